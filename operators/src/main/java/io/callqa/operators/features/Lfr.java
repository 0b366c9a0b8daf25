package io.callqa.operators.features;

/**
 * Low frame rate stacking as FunASR's {@code apply_lfr} (m = 7, n = 6 for SenseVoice): prepend
 * (m−1)/2 copies of frame 0, then every n-th position stack m consecutive frames; near the end the
 * last frame is repeated to fill the stack. T frames give ⌈T / n⌉ outputs of m · dim values.
 *
 * <p>Equivalently: output row i, block j (0 ≤ j &lt; m) is input frame clamp(i·n + j − (m−1)/2, 0,
 * T−1), which is how it is computed here. Stateless and thread-safe.
 */
public final class Lfr {

  public static final int SENSEVOICE_M = 7;
  public static final int SENSEVOICE_N = 6;

  private Lfr() {}

  public static int outputFrames(int frames, int n) {
    return (frames + n - 1) / n;
  }

  /** LFR with SenseVoice's m = 7, n = 6. */
  public static float[] apply(float[] feats, int frames, int dim) {
    return apply(feats, frames, dim, SENSEVOICE_M, SENSEVOICE_N);
  }

  /** Stacks row-major [frames][dim] into row-major [⌈frames / n⌉][m·dim]. */
  public static float[] apply(float[] feats, int frames, int dim, int m, int n) {
    if (m < 1 || n < 1) {
      throw new IllegalArgumentException("LFR needs m >= 1 and n >= 1, got m=" + m + " n=" + n);
    }
    if (feats.length < (long) frames * dim) {
      throw new IllegalArgumentException(
          "need " + frames + " x " + dim + " values, got " + feats.length);
    }
    int outFrames = outputFrames(frames, n);
    float[] out = new float[outFrames * m * dim];
    int leftPad = (m - 1) / 2;
    int p = 0;
    for (int i = 0; i < outFrames; i++) {
      for (int j = 0; j < m; j++) {
        int src = Math.max(0, Math.min(frames - 1, i * n + j - leftPad));
        System.arraycopy(feats, src * dim, out, p, dim);
        p += dim;
      }
    }
    return out;
  }
}
