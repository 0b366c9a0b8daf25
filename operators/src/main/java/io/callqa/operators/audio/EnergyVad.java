package io.callqa.operators.audio;

/**
 * Energy voice-activity detector on 10 ms frames of 16 kHz audio: a frame is speech when its energy
 * stands out from an adaptive noise floor, with hysteresis and a hangover.
 *
 * <ul>
 *   <li>Energy is measured above {@value #HIGH_PASS_HZ} Hz (a high-pass filter), where speech has
 *       its formants and line noise is steadier; the filter also removes a DC offset, so it does
 *       not look like speech (and does not hide it).
 *   <li>The noise floor is the quietest frame of the last {@link VadSettings#noiseWindowMs()}
 *       (minimum statistics over {@value #NOISE_BLOCKS} blocks). Speech always has dips between
 *       words, so the floor stays at the noise under it; steady noise or hold music has none, so
 *       within one window it becomes the floor itself and stops counting as speech.
 *   <li>A frame is compared with the floor <em>before</em> it joins the statistics, and the floor
 *       never drops below {@link VadSettings#absoluteFloorDb()}, so silence and all-zero audio are
 *       never speech.
 * </ul>
 *
 * <p>Why not a model-based VAD: the slotter runs for every channel of every call before inference,
 * must be cheap (well over 1000× real time per core) and dependency-free, and only has to find slot
 * boundaries; the speech model itself labels what is in a slot (its event tag says BGM, Speech,
 * ...). See docs/frontend.md.
 *
 * <p>Stateless and thread-safe; everything that evolves lives in a {@link VadState}.
 */
public final class EnergyVad {

  public static final int FRAME_MS = 10;
  public static final int FRAME_SAMPLES = SpeechSlot.SAMPLE_RATE * FRAME_MS / 1000;
  public static final int NOISE_BLOCKS = 8;

  /**
   * Decisions use the mean power of the last 3 frames (a 30 ms analysis window): 10 ms frames of
   * tonal sounds (music, vowels) beat by several dB, which would make the minimum-statistics floor
   * sit too far below the typical level of steady music.
   */
  public static final int SMOOTHING_FRAMES = 3;

  /**
   * The noise floor is tracked on the mean power of the last 10 frames (100 ms): line noise
   * fluctuates by ±5 dB from one 10 ms frame to the next, so the minimum of raw frames sits far
   * below the noise's typical level and the noise itself then crosses the thresholds. Over 100 ms
   * the fluctuation is about ±1 dB, and the minimum is close to the noise's mean.
   */
  public static final int NOISE_SMOOTHING_FRAMES = 10;

  /**
   * A loud frame whose fine spectrum has a cosine similarity above this with the one 50 ms earlier
   * is tonal (see {@link SpectralStationarity}).
   */
  public static final double TONAL_SIMILARITY = 0.99;

  /** The tonal score is the exponential average of "tonal" over loud frames at this rate. */
  public static final double TONAL_RATE = 0.05;

  /** Per quiet frame the tonal score decays by this fraction (a 2 s time constant). */
  public static final double TONAL_DECAY = 0.005;

  /**
   * Noise whose level wanders by more than this (see {@link #noiseSpreadDb}) raises both thresholds
   * by the excess: the floor is the noise's quietest moment, and at its loudest the noise alone
   * would otherwise cross them.
   */
  public static final double SPREAD_ALLOWANCE_DB = 3;

  /** Above this tonal score loud frames are taken for music, not speech. */
  public static final double TONAL_VETO = 0.6;

  private final VadSettings settings;
  private final int framesPerBlock;
  private final int hangoverFrames;

  public EnergyVad(VadSettings settings) {
    this.settings = settings;
    this.framesPerBlock = (int) Math.max(1, settings.noiseWindowMs() / FRAME_MS / NOISE_BLOCKS);
    this.hangoverFrames = (int) (settings.hangoverMs() / FRAME_MS);
  }

  public VadState newState() {
    return VadState.initial();
  }

  /**
   * Energy of {@code n} samples in dB of their mean square after removing their mean; 0 dB for
   * digital silence (the +1 keeps the log finite).
   */
  public static double frameEnergyDb(short[] x, int offset, int n) {
    long sum = 0;
    long sumSq = 0;
    for (int i = 0; i < n; i++) {
      int v = x[offset + i];
      sum += v;
      sumSq += (long) v * v;
    }
    double mean = (double) sum / n;
    double meanSquare = (double) sumSq / n - mean * mean;
    return 10 * Math.log10(Math.max(0, meanSquare) + 1.0);
  }

  /**
   * Frame energies are measured above this frequency. Line noise is strongest at the bottom of the
   * band (brown and pink noise, mains hum) and swings by ±5 dB from one 10 ms frame to the next
   * there, while speech carries its energy in the formants above 300 Hz (the telephone band starts
   * there). Without the filter the thresholds had to sit high enough for those swings to stay under
   * them, and quiet (sad) speech in noise stayed under them too.
   */
  public static final double HIGH_PASS_HZ = 300;

  /** {b0, b1, b2, a1, a2} of a Butterworth biquad high-pass at {@link #HIGH_PASS_HZ} (RBJ). */
  private static final double[] HIGH_PASS = highPass(HIGH_PASS_HZ);

  private static double[] highPass(double cutoffHz) {
    double w0 = 2 * Math.PI * cutoffHz / SpeechSlot.SAMPLE_RATE;
    double alpha = Math.sin(w0) / Math.sqrt(2);
    double cos = Math.cos(w0);
    double a0 = 1 + alpha;
    double b0 = (1 + cos) / 2 / a0;
    return new double[] {b0, -2 * b0, b0, -2 * cos / a0, (1 - alpha) / a0};
  }

  /**
   * Energy in dB of one frame after the high-pass (which also removes any DC offset); the filter's
   * memory carries over from the previous frame in {@code s}. 0 dB for digital silence.
   */
  static double highPassedEnergyDb(VadState s, short[] x, int offset) {
    double[] h = HIGH_PASS;
    double x1 = s.highPassX1;
    double x2 = s.highPassX2;
    double y1 = s.highPassY1;
    double y2 = s.highPassY2;
    double sumSquares = 0;
    for (int i = 0; i < FRAME_SAMPLES; i++) {
      double v = x[offset + i];
      double y = h[0] * v + h[1] * x1 + h[2] * x2 - h[3] * y1 - h[4] * y2;
      x2 = x1;
      x1 = v;
      y2 = y1;
      y1 = y;
      sumSquares += y * y;
    }
    s.highPassX1 = (float) x1;
    s.highPassX2 = (float) x2;
    s.highPassY1 = (float) y1;
    s.highPassY2 = (float) y2;
    return 10 * Math.log10(sumSquares / FRAME_SAMPLES + 1.0);
  }

  /**
   * Starts the noise floor of a fresh state at the floor of the first {@code frames} frames of
   * {@code x} (their quietest 100 ms above the high-pass), as if they had been heard before: the
   * floor is then known from the first frame on (see {@link SpeechSegmenter}'s priming). The frames
   * go through the detector's own statistics in a scratch state; {@code s} keeps its filter memory
   * and statistics, and the frames are still to be fed through {@link #accept}.
   */
  public void prime(VadState s, short[] x, int frames) {
    VadState scratch = VadState.initial();
    for (int f = 0; f < frames; f++) {
      acceptEnergy(scratch, highPassedEnergyDb(scratch, x, f * FRAME_SAMPLES));
    }
    if (hasFloor(scratch)) {
      s.currentMinDb = (float) Math.min(s.currentMinDb, noiseFloorDb(scratch));
    }
  }

  /** Whether the first 100 ms have been heard: before that there is no floor to compare with. */
  private static boolean hasFloor(VadState s) {
    return s.blocksFilled > 0 || !Float.isInfinite(s.currentMinDb);
  }

  /** The current noise floor in dB (before the next frame is seen). */
  public double noiseFloorDb(VadState s) {
    double floor = s.currentMinDb;
    for (int b = 0; b < s.blocksFilled; b++) {
      floor = Math.min(floor, s.blockMinDb[b]);
    }
    if (Double.isInfinite(floor)) {
      floor = settings.absoluteFloorDb();
    }
    return Math.max(floor, settings.absoluteFloorDb());
  }

  /** Classifies one frame of {@link #FRAME_SAMPLES} samples and updates the state. */
  public boolean accept(VadState s, short[] frame, int offset) {
    double energyDb = highPassedEnergyDb(s, frame, offset);
    // the spectral cue only matters for loud frames: skip the FFT for quiet ones (most of a call)
    boolean analyse = energyDb > noiseFloorDb(s) + settings.offsetDb() - 3;
    double similarity = SpectralStationarity.next(s, frame, offset, analyse);
    return decide(s, energyDb, similarity);
  }

  /**
   * Classifies one frame given only its energy (see {@link #highPassedEnergyDb}): no spectral cue,
   * so steady tones are only rejected by the noise floor.
   */
  public boolean acceptEnergy(VadState s, double frameEnergyDb) {
    return decide(s, frameEnergyDb, 0);
  }

  private boolean decide(VadState s, double frameEnergyDb, double similarity) {
    double power = Math.pow(10, frameEnergyDb / 10);
    int have = Math.min(s.framesSeen, NOISE_SMOOTHING_FRAMES - 1);
    double sum3 = power;
    double sum10 = power;
    for (int i = 0; i < have; i++) {
      if (i < SMOOTHING_FRAMES - 1) {
        sum3 += s.recentPower[i];
      }
      sum10 += s.recentPower[i];
    }
    for (int i = NOISE_SMOOTHING_FRAMES - 2; i > 0; i--) {
      s.recentPower[i] = s.recentPower[i - 1];
    }
    s.recentPower[0] = (float) power;
    s.framesSeen = Math.min(s.framesSeen + 1, NOISE_SMOOTHING_FRAMES);
    double energyDb = 10 * Math.log10(sum3 / (Math.min(have, SMOOTHING_FRAMES - 1) + 1));
    double noiseDb = 10 * Math.log10(sum10 / (have + 1));
    double floor = noiseFloorDb(s);
    double raise = Math.max(0, noiseSpreadDb(s) - SPREAD_ALLOWANCE_DB);
    boolean warmedUp = have == NOISE_SMOOTHING_FRAMES - 1;
    boolean active =
        warmedUp
            && hasFloor(s)
            && energyDb > floor + raise + (s.speaking ? settings.offsetDb() : settings.onsetDb());
    // tonality: how much of the recent loud sound had a stationary fine spectrum (music)
    boolean loud = warmedUp && energyDb > floor + raise + settings.offsetDb();
    s.lastLoud = loud;
    s.lastTonal = loud && similarity > TONAL_SIMILARITY;
    if (loud) {
      s.tonalScore += (float) (TONAL_RATE * ((s.lastTonal ? 1 : 0) - s.tonalScore));
    } else {
      s.tonalScore *= (float) (1 - TONAL_DECAY);
    }
    if (active && s.tonalScore > TONAL_VETO) {
      active = false;
    }
    boolean speech;
    if (active) {
      s.speaking = true;
      s.hangoverLeft = hangoverFrames;
      speech = true;
    } else if (s.speaking && s.hangoverLeft > 0) {
      s.hangoverLeft--;
      speech = true;
    } else {
      s.speaking = false;
      speech = false;
    }
    if (warmedUp) {
      updateNoiseStatistics(s, (float) noiseDb, speech);
    }
    return speech;
  }

  /**
   * How far the quietest 100 ms of the loudest speech-free block of the noise window lies above the
   * floor: about 1 dB for steady line noise, several dB when the noise level itself wanders (a line
   * whose gain pumps). Blocks with speech do not count, so a loud turn does not deafen the detector
   * to a quiet one right after it; while every block of the window had speech, the last estimate
   * holds.
   */
  double noiseSpreadDb(VadState s) {
    if (s.blockHadSpeech == null) {
      return 0; // state restored from before the spread was tracked
    }
    double floor = noiseFloorDb(s);
    boolean measured = false;
    double spread = 0;
    for (int b = 0; b < s.blocksFilled; b++) {
      if (!s.blockHadSpeech[b]) {
        spread = Math.max(spread, s.blockMinDb[b] - floor);
        measured = true;
      }
    }
    if (measured) {
      s.noiseSpreadDb = (float) spread;
    }
    return s.noiseSpreadDb;
  }

  private void updateNoiseStatistics(VadState s, float energyDb, boolean speech) {
    if (energyDb < s.currentMinDb) {
      s.currentMinDb = energyDb;
    }
    s.currentHadSpeech |= speech;
    if (++s.framesInCurrentBlock >= framesPerBlock) {
      s.blockMinDb[s.nextBlock] = s.currentMinDb;
      if (s.blockHadSpeech == null) {
        s.blockHadSpeech = new boolean[NOISE_BLOCKS];
      }
      s.blockHadSpeech[s.nextBlock] = s.currentHadSpeech;
      s.currentHadSpeech = false;
      s.nextBlock = (s.nextBlock + 1) % NOISE_BLOCKS;
      s.blocksFilled = Math.min(NOISE_BLOCKS, s.blocksFilled + 1);
      s.currentMinDb = Float.POSITIVE_INFINITY;
      s.framesInCurrentBlock = 0;
    }
  }
}
