package io.callqa.operators.features;

/**
 * A row-major float32 matrix of features: {@code frames} rows of {@code dim} values (for the
 * SenseVoice front end, T_lfr × 560).
 */
public record Features(int frames, int dim, float[] data) {

  public Features {
    if (frames < 0 || dim <= 0 || data.length != frames * dim) {
      throw new IllegalArgumentException(
          "features "
              + frames
              + " x "
              + dim
              + " need "
              + frames * dim
              + " values, got "
              + data.length);
    }
  }

  public float get(int frame, int d) {
    return data[frame * dim + d];
  }

  /** A copy as [frames][dim]. */
  public float[][] toArray() {
    float[][] out = new float[frames][dim];
    for (int f = 0; f < frames; f++) {
      System.arraycopy(data, f * dim, out[f], 0, dim);
    }
    return out;
  }
}
