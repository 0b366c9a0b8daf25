package io.callqa.operators.audio;

/**
 * Where {@link SpeechSegmenter} stands on one channel: positions are sample indices of the
 * channel's 16 kHz stream. A Flink POJO, kept in the slotter's keyed state.
 */
public class SegmenterState {

  /** Samples consumed so far, the partial frame included. */
  public long cursor;

  /** Samples after the last whole frame (fewer than one frame), waiting for the rest. */
  public short[] partial;

  public int partialLength;

  public VadState vad;

  /**
   * The stream's first {@link SpeechSegmenter#PRIME_MS} are still being held back (false in state
   * restored from before priming existed: such a stream is past its start anyway).
   */
  public boolean priming;

  /** Inside a run of speech (a slot is open). */
  public boolean inSpeech;

  /** Start of the open slot, padding included. */
  public long slotStart;

  /** Start of the first speech frame of the open run. */
  public long firstSpeech;

  /** End of the last speech frame of the open run (hangover included). */
  public long lastSpeechEnd;

  /** End of the last slot emitted; the next slot's padding stops here. */
  public long prevSlotEnd;

  /** The open slot continues one that was split at the maximum length (always emitted). */
  public boolean continuation;

  /** Runs shorter than the minimum speech duration that were discarded. */
  public long discardedBursts;

  /** Loud frames (above the VAD's offset threshold) of the open run, and how many were tonal. */
  public int runLoudFrames;

  public int runTonalFrames;

  public SegmenterState() {}
}
