package io.callqa.operators.audio;

import java.io.Serializable;

/**
 * Parameters of {@link EnergyVad}. Energies are in dB of the mean square of a 10 ms frame in int16
 * units (a full-scale sine is 87.3 dB, digital silence is 0 dB).
 *
 * @param onsetDb a frame starts speech when it is this far above the noise floor
 * @param offsetDb speech continues while frames stay this far above the noise floor (hysteresis)
 * @param hangoverMs speech is held this long after the last frame above {@code offsetDb}
 * @param noiseWindowMs the noise floor is the quietest frame of this trailing window (minimum
 *     statistics): short enough that steady noise or hold music becomes the floor within it, long
 *     enough to always contain a pause between words
 * @param absoluteFloorDb the noise floor never goes below this, so near-silence is never speech
 */
public record VadSettings(
    double onsetDb, double offsetDb, long hangoverMs, long noiseWindowMs, double absoluteFloorDb)
    implements Serializable {

  public static final double DEFAULT_ONSET_DB = 9.0;
  public static final double DEFAULT_OFFSET_DB = 6.0;
  public static final long DEFAULT_HANGOVER_MS = 100;
  public static final long DEFAULT_NOISE_WINDOW_MS = 2_000;

  /** 30 dB: an rms of about 32 in int16 units, −60 dBFS. */
  public static final double DEFAULT_ABSOLUTE_FLOOR_DB = 30.0;

  public static final VadSettings DEFAULTS =
      new VadSettings(
          DEFAULT_ONSET_DB,
          DEFAULT_OFFSET_DB,
          DEFAULT_HANGOVER_MS,
          DEFAULT_NOISE_WINDOW_MS,
          DEFAULT_ABSOLUTE_FLOOR_DB);

  public VadSettings {
    if (!(onsetDb > 0)) {
      throw new IllegalArgumentException("vad onsetDb must be > 0, got " + onsetDb);
    }
    if (!(offsetDb > 0) || offsetDb > onsetDb) {
      throw new IllegalArgumentException(
          "vad offsetDb must be in (0, onsetDb=" + onsetDb + "], got " + offsetDb);
    }
    if (hangoverMs < 0) {
      throw new IllegalArgumentException("vad hangoverMs must be >= 0, got " + hangoverMs);
    }
    if (noiseWindowMs < 8 * EnergyVad.FRAME_MS) {
      throw new IllegalArgumentException(
          "vad noiseWindowMs must be >= " + 8 * EnergyVad.FRAME_MS + ", got " + noiseWindowMs);
    }
  }
}
