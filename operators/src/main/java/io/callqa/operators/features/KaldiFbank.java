package io.callqa.operators.features;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Kaldi log-mel filter bank, numerically the same as {@code torchaudio.compliance.kaldi.fbank(x,
 * num_mel_bins=80, frame_length=25, frame_shift=10, dither=0.0, window_type='hamming',
 * sample_frequency=16000, energy_floor=0.0, preemphasis_coefficient=0.97, remove_dc_offset=True,
 * low_freq=20, high_freq=0, snip_edges=True, round_to_power_of_two=True, use_log_fbank=True,
 * use_power=True)} on samples in int16 range (the SenseVoice front end). Emits T × 80 log energies,
 * T = 1 + (n − 400) / 160 (0 when n &lt; 400).
 *
 * <p>Per frame, as torchaudio 0.13 does it: subtract the frame's mean; pre-emphasis {@code x[j] -=
 * 0.97·x[j−1]} with {@code x[0] -= 0.97·x[0]}; Hamming window (symmetric, 0.54/0.46); zero-pad 400
 * → 512; power spectrum of bins 0..255 (the Nyquist bin has no mel weight in torchaudio); 80
 * triangular bins equally spaced on Kaldi's mel scale {@code 1127·ln(1 + f/700)} from 20 Hz to 8
 * kHz; {@code ln(max(e, FLT_EPSILON))}.
 *
 * <p>Arithmetic is double precision, the mel matrix is built with torchaudio's float32 steps (see
 * {@link MelBanks}); against torchaudio run in float64 the log-mel agrees to ~2e-5, against
 * torchaudio in float32 to ~7e-4 (float32 rounding on the reference side; see FrontEndParityTest).
 * The FFT is JTransforms' real 512-point transform (a hand-written radix-2 real FFT was measured
 * and was ~25% slower); the window and the sparse mel matrix are computed once; per frame there is
 * no allocation.
 *
 * <p>Not thread-safe: an instance owns its scratch buffers. Use one instance per thread (they are
 * cheap: a few KB).
 */
public final class KaldiFbank {

  public static final int SAMPLE_RATE = 16_000;
  public static final int FRAME_LENGTH = 400; // 25 ms
  public static final int FRAME_SHIFT = 160; // 10 ms
  public static final int FFT_SIZE = 512; // next power of two
  public static final int NUM_MEL_BINS = 80;
  public static final double LOW_FREQ = 20.0;
  public static final double HIGH_FREQ = SAMPLE_RATE / 2.0; // high_freq = 0 → Nyquist
  public static final double PREEMPHASIS = 0.97;

  /** torch.finfo(torch.float32).eps, the floor under every mel energy before the log. */
  public static final double EPSILON = 1.1920928955078125e-07;

  private static final double[] WINDOW = hammingWindow(FRAME_LENGTH);
  private static final MelBanks MEL =
      MelBanks.kaldi(NUM_MEL_BINS, FFT_SIZE, SAMPLE_RATE, LOW_FREQ, HIGH_FREQ);

  private final double[] buffer = new double[FFT_SIZE];
  private final double[] power = new double[FFT_SIZE / 2];
  private final DoubleFFT_1D fft = new DoubleFFT_1D(FFT_SIZE);

  public KaldiFbank() {}

  /** Frames Kaldi produces from {@code numSamples} samples with snip_edges (0 when too short). */
  public static int numFrames(int numSamples) {
    return numSamples < FRAME_LENGTH ? 0 : 1 + (numSamples - FRAME_LENGTH) / FRAME_SHIFT;
  }

  /** Features of a whole signal: row-major [numFrames(length)][80]. */
  public float[] compute(short[] samples) {
    float[] out = new float[numFrames(samples.length) * NUM_MEL_BINS];
    compute(samples, 0, samples.length, out, 0);
    return out;
  }

  /**
   * Writes the features of {@code samples[offset, offset+length)} into {@code out} from {@code
   * outOffset}; returns the number of frames.
   */
  public int compute(short[] samples, int offset, int length, float[] out, int outOffset) {
    int frames = numFrames(length);
    for (int f = 0; f < frames; f++) {
      int start = offset + f * FRAME_SHIFT;
      double sum = 0;
      for (int j = 0; j < FRAME_LENGTH; j++) {
        double v = samples[start + j];
        buffer[j] = v;
        sum += v;
      }
      frame(sum, out, outOffset + f * NUM_MEL_BINS);
    }
    return frames;
  }

  /** Same as {@link #compute(short[], int, int, float[], int)} for samples in int16 range. */
  public int compute(float[] samples, int offset, int length, float[] out, int outOffset) {
    int frames = numFrames(length);
    for (int f = 0; f < frames; f++) {
      int start = offset + f * FRAME_SHIFT;
      double sum = 0;
      for (int j = 0; j < FRAME_LENGTH; j++) {
        double v = samples[start + j];
        buffer[j] = v;
        sum += v;
      }
      frame(sum, out, outOffset + f * NUM_MEL_BINS);
    }
    return frames;
  }

  /** One frame: buffer[0..400) holds the raw samples, sum their sum. */
  private void frame(double sum, float[] out, int outOffset) {
    double[] x = buffer;
    double mean = sum / FRAME_LENGTH;
    // DC removal, then pre-emphasis from the end backwards (x[j-1] still unmodified), then window
    double prev = x[FRAME_LENGTH - 1] - mean;
    for (int j = FRAME_LENGTH - 1; j > 0; j--) {
      double cur = prev;
      prev = x[j - 1] - mean;
      x[j] = (cur - PREEMPHASIS * prev) * WINDOW[j];
    }
    x[0] = (prev - PREEMPHASIS * prev) * WINDOW[0];
    for (int j = FRAME_LENGTH; j < FFT_SIZE; j++) {
      x[j] = 0;
    }
    fft.realForward(x); // packed: x[0] = Re X0, x[1] = Re X256, x[2k], x[2k+1] = Re, Im Xk
    power[0] = x[0] * x[0];
    for (int k = 1; k < FFT_SIZE / 2; k++) {
      double re = x[2 * k];
      double im = x[2 * k + 1];
      power[k] = re * re + im * im;
    }
    MEL.applyLog(power, EPSILON, out, outOffset);
  }

  /** Symmetric Hamming window as torch.hamming_window(n, periodic=False, 0.54, 0.46). */
  static double[] hammingWindow(int n) {
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = 0.54 - 0.46 * Math.cos(2 * Math.PI * i / (n - 1));
    }
    return w;
  }
}
