package io.callqa.operators.audio;

import java.io.Serializable;

/**
 * How {@link SpeechSegmenter} turns VAD frames into slots.
 *
 * @param minSpeechMs a run of speech shorter than this (first to last speech frame) is discarded as
 *     a click or breath (counted, not emitted)
 * @param maxSlotMs no slot is longer than this (padding included); a longer run is split at its
 *     quietest 10 ms frame in the second half of the window
 * @param paddingMs audio kept before the first and after the last speech frame, never overlapping
 *     the neighbouring slot
 * @param maxPauseMs a pause shorter than this stays inside the slot, so words are not cut apart
 */
public record SegmenterSettings(
    long minSpeechMs, long maxSlotMs, long paddingMs, long maxPauseMs, VadSettings vad)
    implements Serializable {

  public static final long DEFAULT_MIN_SPEECH_MS = 300;
  public static final long DEFAULT_MAX_SLOT_MS = 30_000;
  public static final long DEFAULT_PADDING_MS = 200;
  public static final long DEFAULT_MAX_PAUSE_MS = 350;

  public static final SegmenterSettings DEFAULTS =
      new SegmenterSettings(
          DEFAULT_MIN_SPEECH_MS,
          DEFAULT_MAX_SLOT_MS,
          DEFAULT_PADDING_MS,
          DEFAULT_MAX_PAUSE_MS,
          VadSettings.DEFAULTS);

  public SegmenterSettings {
    if (minSpeechMs < 0) {
      throw new IllegalArgumentException("minSpeechMs must be >= 0, got " + minSpeechMs);
    }
    if (paddingMs < 0 || paddingMs % EnergyVad.FRAME_MS != 0) {
      throw new IllegalArgumentException(
          "paddingMs must be >= 0 and a multiple of " + EnergyVad.FRAME_MS + ", got " + paddingMs);
    }
    if (maxPauseMs < paddingMs) {
      throw new IllegalArgumentException(
          "maxPauseMs (" + maxPauseMs + ") must be >= paddingMs (" + paddingMs + ")");
    }
    if (maxSlotMs < 4 * (paddingMs + EnergyVad.FRAME_MS) || maxSlotMs < 1_000) {
      throw new IllegalArgumentException(
          "maxSlotMs must be >= 1000 and >= 4 x (paddingMs + 10), got " + maxSlotMs);
    }
    if (vad == null) {
      throw new IllegalArgumentException("vad settings are required");
    }
  }
}
