package io.callqa.operators.features;

/**
 * Kaldi's triangular mel filter bank (torchaudio's {@code get_mel_banks} without VTLN), stored
 * sparse: for each mel bin, the first FFT bin with non-zero weight and the weights from there.
 */
final class MelBanks {

  private final int numBins;
  private final int[] first;
  private final double[][] weights;

  private MelBanks(int[] first, double[][] weights) {
    this.numBins = first.length;
    this.first = first;
    this.weights = weights;
  }

  static double melScale(double hz) {
    return 1127.0 * Math.log(1.0 + hz / 700.0);
  }

  /**
   * Bins over FFT columns 0 .. paddedWindow/2 − 1 (torchaudio pads the Nyquist column with a zero
   * weight, so it never contributes).
   *
   * <p>The arithmetic follows torchaudio's {@code get_mel_banks} operation by operation, including
   * its precision: the band edges and slopes are float32 tensors there (only {@code mel_low},
   * {@code mel_high} and the band spacing are Python doubles), so they are floats here too. With
   * double weights the result differed from torchaudio's float64 fbank by up to 2e-4 on pure tones
   * sitting on a band edge; with these it agrees to rounding.
   */
  static MelBanks kaldi(
      int numBins, int paddedWindow, double sampleRate, double lowFreq, double highFreq) {
    int numFftBins = paddedWindow / 2;
    double fftBinWidth = sampleRate / paddedWindow;
    double melLow = melScale(lowFreq);
    double melHigh = melScale(highFreq);
    double delta = (melHigh - melLow) / (numBins + 1);
    float melLowF = (float) melLow;
    float deltaF = (float) delta;
    float[] mel = new float[numFftBins];
    for (int k = 0; k < numFftBins; k++) {
      float hz = (float) fftBinWidth * (float) k;
      mel[k] = 1127.0f * (float) Math.log(1.0f + hz / 700.0f);
    }
    int[] first = new int[numBins];
    double[][] weights = new double[numBins][];
    for (int b = 0; b < numBins; b++) {
      float left = melLowF + (float) b * deltaF;
      float center = melLowF + ((float) b + 1.0f) * deltaF;
      float right = melLowF + ((float) b + 2.0f) * deltaF;
      double[] dense = new double[numFftBins];
      int lo = -1;
      int hi = -1;
      for (int k = 0; k < numFftBins; k++) {
        float up = (mel[k] - left) / (center - left);
        float down = (right - mel[k]) / (right - center);
        float w = Math.max(0.0f, Math.min(up, down));
        dense[k] = w;
        if (w > 0) {
          if (lo < 0) {
            lo = k;
          }
          hi = k;
        }
      }
      if (lo < 0) {
        lo = 0;
        hi = -1;
      }
      first[b] = lo;
      weights[b] = java.util.Arrays.copyOfRange(dense, lo, hi + 1);
    }
    return new MelBanks(first, weights);
  }

  int numBins() {
    return numBins;
  }

  /** Dense weight of FFT bin {@code k} in mel bin {@code b} (for tests). */
  double weight(int b, int k) {
    int i = k - first[b];
    return i >= 0 && i < weights[b].length ? weights[b][i] : 0.0;
  }

  /** out[b] = ln(max(Σ_k w[b][k]·power[k], epsilon)). */
  void applyLog(double[] power, double epsilon, float[] out, int outOffset) {
    for (int b = 0; b < numBins; b++) {
      double[] w = weights[b];
      int k0 = first[b];
      double e = 0;
      for (int i = 0; i < w.length; i++) {
        e += w[i] * power[k0 + i];
      }
      out[outOffset + b] = (float) Math.log(Math.max(e, epsilon));
    }
  }
}
