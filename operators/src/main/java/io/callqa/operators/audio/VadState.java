package io.callqa.operators.audio;

/**
 * What {@link EnergyVad} remembers between frames: the minimum-statistics blocks of the noise floor
 * and the hangover. A Flink POJO (kept in the slotter's keyed state).
 */
public class VadState {

  /** Minimum frame energy (dB) of each finished block of the noise window, ring buffer. */
  public float[] blockMinDb;

  /** How many entries of {@link #blockMinDb} hold data (fills up once, then stays full). */
  public int blocksFilled;

  /** Next ring position to overwrite. */
  public int nextBlock;

  /** Minimum of the block being filled. */
  public float currentMinDb = Float.POSITIVE_INFINITY;

  public int framesInCurrentBlock;

  /** Whether each finished block had a speech frame (they do not count for the noise spread). */
  public boolean[] blockHadSpeech;

  /** Whether the block being filled has had a speech frame. */
  public boolean currentHadSpeech;

  /** The last noise spread measured on speech-free blocks ({@link EnergyVad#noiseSpreadDb}). */
  public float noiseSpreadDb;

  /** Whether the previous frame was speech (for the onset / offset hysteresis). */
  public boolean speaking;

  /** Frames of hangover left. */
  public int hangoverLeft;

  /**
   * Mean-square power of the previous frames, newest first (for the 30 ms and 100 ms smoothing).
   */
  public float[] recentPower;

  /** Frames seen, saturating at {@link EnergyVad#NOISE_SMOOTHING_FRAMES}. */
  public int framesSeen;

  /** The last 22 ms decimated to 8 kHz, for the 32 ms spectral window. */
  public float[] recentSamples;

  /** Normalised fine spectra of the last frames, ring buffer ({@link SpectralStationarity}). */
  public float[] spectra;

  public int spectraNext;

  public int spectraFilled;

  /** Exponential average over loud frames of "the spectrum is stationary" (music, tones). */
  public float tonalScore;

  /** The last frame was loud (above the offset threshold), before the tonal veto. */
  public boolean lastLoud;

  /** The last frame was loud and had a stationary spectrum. */
  public boolean lastTonal;

  /** The high-pass filter's last two inputs and outputs ({@link EnergyVad#HIGH_PASS_HZ}). */
  public float highPassX1;

  public float highPassX2;
  public float highPassY1;
  public float highPassY2;

  public VadState() {}

  static VadState initial() {
    VadState s = new VadState();
    s.blockMinDb = new float[EnergyVad.NOISE_BLOCKS];
    s.blockHadSpeech = new boolean[EnergyVad.NOISE_BLOCKS];
    s.recentPower = new float[EnergyVad.NOISE_SMOOTHING_FRAMES - 1];
    SpectralStationarity.init(s);
    return s;
  }
}
