package io.callqa.operators.audio;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * How much a frame's fine spectrum (harmonics resolved) equals the one {@link #LAG_FRAMES} frames
 * earlier: the cue that tells hold music and other steady tones from speech.
 *
 * <p>A note of music keeps its pitch, and so the positions of its harmonics, exactly for hundreds
 * of milliseconds while only its loudness changes; speech moves its pitch and its formants within
 * tens of milliseconds. On the demo calls, 90% of loud hold-music frames have a cosine similarity
 * above 0.99 with the frame 50 ms earlier, against 1-5% of speech frames (steady vowels).
 *
 * <p>The spectrum is that of a 32 ms Hann window ending with this frame (decimated to 8 kHz by
 * averaging sample pairs: the telephone band is all there is), 256-point FFT, bins of 31.25 Hz from
 * 125 Hz to 3.6 kHz, normalised to unit length. 32 ms resolves the harmonics of low notes (~110 Hz
 * apart); with 20 ms their beating made the spectrum of a steady note look unsteady. The last
 * {@link #LAG_FRAMES} spectra live in {@link VadState} (a ring of {@value #LAG_FRAMES} × {@value
 * #BINS} floats, about 2 KB).
 *
 * <p>Stateless and thread-safe.
 */
final class SpectralStationarity {

  static final int LAG_FRAMES = 5;
  static final int FIRST_BIN = 4;
  static final int BINS = 112;
  private static final int HALF = EnergyVad.FRAME_SAMPLES / 2;
  private static final int N = 256;
  private static final int HISTORY = N - HALF;
  private static final double[] WINDOW = new double[N];

  static {
    for (int i = 0; i < WINDOW.length; i++) {
      WINDOW[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (WINDOW.length - 1));
    }
  }

  /** Per-thread FFT and buffers: no allocation per frame (this runs for every loud 10 ms). */
  private static final class Scratch {
    final DoubleFFT_1D fft = new DoubleFFT_1D(N);
    final double[] frame = new double[N];
    final double[] power = new double[BINS];
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private SpectralStationarity() {}

  static void init(VadState s) {
    s.recentSamples = new float[HISTORY];
    s.spectra = new float[LAG_FRAMES * BINS];
  }

  /**
   * Takes the next frame ({@link EnergyVad#FRAME_SAMPLES} samples at 16 kHz) and returns the cosine
   * similarity of its spectrum with the one {@link #LAG_FRAMES} frames earlier (0 until there is
   * one, and for digital silence). With {@code analyse} false (a quiet frame) only the history
   * moves on: no FFT, an empty spectrum is stored and 0 returned.
   */
  static double next(VadState s, short[] x, int offset, boolean analyse) {
    if (s.spectra == null) {
      init(s);
    }
    Scratch scratch = SCRATCH.get();
    double[] re = scratch.frame;
    double mean = 0;
    float[] h = s.recentSamples;
    for (int i = 0; i < HISTORY; i++) {
      re[i] = h[i];
      mean += h[i];
    }
    for (int i = 0; i < HALF; i++) {
      double v = 0.5 * (x[offset + 2 * i] + x[offset + 2 * i + 1]);
      re[HISTORY + i] = v;
      mean += v;
    }
    mean /= N;
    System.arraycopy(h, HALF, h, 0, HISTORY - HALF);
    for (int i = 0; i < HALF; i++) {
      h[HISTORY - HALF + i] = (float) re[HISTORY + i];
    }
    if (!analyse) {
      java.util.Arrays.fill(s.spectra, s.spectraNext * BINS, (s.spectraNext + 1) * BINS, 0f);
      s.spectraNext = (s.spectraNext + 1) % LAG_FRAMES;
      s.spectraFilled = Math.min(LAG_FRAMES, s.spectraFilled + 1);
      return 0;
    }
    for (int i = 0; i < N; i++) {
      re[i] = (re[i] - mean) * WINDOW[i];
    }
    // real-input FFT in place: re[2k] = Re X[k], re[2k+1] = Im X[k] for 0 < k < N/2
    scratch.fft.realForward(re);
    double[] p = scratch.power;
    double norm = 0;
    for (int b = 0; b < BINS; b++) {
      int k = FIRST_BIN + b;
      p[b] = re[2 * k] * re[2 * k] + re[2 * k + 1] * re[2 * k + 1];
      norm += p[b] * p[b];
    }
    norm = Math.sqrt(norm);
    int slot = s.spectraNext * BINS;
    double similarity = 0;
    boolean haveLagged = s.spectraFilled >= LAG_FRAMES;
    for (int b = 0; b < BINS; b++) {
      float v = norm > 0 ? (float) (p[b] / norm) : 0f;
      if (haveLagged) {
        similarity += v * s.spectra[slot + b]; // the oldest spectrum is overwritten now
      }
      s.spectra[slot + b] = v;
    }
    s.spectraNext = (s.spectraNext + 1) % LAG_FRAMES;
    s.spectraFilled = Math.min(LAG_FRAMES, s.spectraFilled + 1);
    return similarity;
  }
}
