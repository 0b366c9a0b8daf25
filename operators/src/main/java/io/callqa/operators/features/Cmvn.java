package io.callqa.operators.features;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Global cepstral mean and variance normalisation from a model's {@code am.mvn}: {@code y = (x +
 * shift) · scale} per dimension, in float32 exactly as FunASR's {@code apply_cmvn} (so results are
 * bit-identical to its numpy / torch float32 arithmetic). Immutable and thread-safe.
 */
public final class Cmvn {

  private final float[] shift;
  private final float[] scale;

  public Cmvn(float[] shift, float[] scale) {
    if (shift.length != scale.length || shift.length == 0) {
      throw new IllegalArgumentException(
          "shift and scale must have the same non-zero length, got "
              + shift.length
              + " and "
              + scale.length);
    }
    this.shift = shift.clone();
    this.scale = scale.clone();
  }

  /** Reads a Kaldi nnet text file with {@code <AddShift>} and {@code <Rescale>} components. */
  public static Cmvn load(Path amMvn) throws IOException {
    return CmvnParser.parse(amMvn);
  }

  public int dim() {
    return shift.length;
  }

  public float[] shift() {
    return shift.clone();
  }

  public float[] scale() {
    return scale.clone();
  }

  /** Normalises row-major [rows][dim()] in place. */
  public void applyInPlace(float[] x, int rows) {
    int dim = shift.length;
    if (x.length < (long) rows * dim) {
      throw new IllegalArgumentException("need " + rows + " x " + dim + " values, got " + x.length);
    }
    for (int r = 0; r < rows; r++) {
      int base = r * dim;
      for (int d = 0; d < dim; d++) {
        x[base + d] = (x[base + d] + shift[d]) * scale[d];
      }
    }
  }

  @Override
  public String toString() {
    return "Cmvn{dim=" + dim() + ", shift[0..3]=" + Arrays.toString(Arrays.copyOf(shift, 3)) + "}";
  }
}
