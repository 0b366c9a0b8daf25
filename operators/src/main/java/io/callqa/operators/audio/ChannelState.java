package io.callqa.operators.audio;

import io.callqa.schemas.Channel;

/**
 * Everything the slotter remembers about one open channel except the audio and the reorder buffer
 * (those are list / map state). A Flink POJO: public fields, no-arg constructor, no Kryo.
 *
 * <p>After the channel closes it shrinks to a tombstone ({@link #closedBy} set, everything else
 * default) for {@link SlotterSettings#closedRetentionMs()}, then is cleared by a timer.
 */
public class ChannelState {

  public String tenant;
  public String callId;
  public Channel channel;
  public String agentId;
  public Long startedAt;

  /** LAST_CHUNK | CALL_ENDED | IDLE_TIMEOUT once closed (tombstone), else null. */
  public String closedBy;

  /** The next seq to process; everything below is done (processed or filled). */
  public long nextSeq;

  /** Seq of the chunk flagged {@code last}, or -1. */
  public long lastSeq = -1;

  /** Highest seq seen (processed or buffered), or -1. */
  public long maxSeqSeen = -1;

  /** Call time (ms) of sample 0 of the 16 kHz stream, or -1 before the first processed chunk. */
  public long baseOffsetMs = -1;

  /** Call time (ms) that the stream jumped over beyond {@link SlotterSettings#maxGapFillMs()}. */
  public long skippedMs;

  // coverage counters (see ChannelReport)
  public long chunksReceived;
  public long chunksRejected;
  public long duplicateChunks;
  public long audioMicrosReceived;
  public long gapMsFilled;
  public long slotsCut;

  /** Chunks in the reorder buffer. */
  public int pendingCount;

  // registered processing-time timers, 0 when none
  public long idleTimerAt;
  public long gapTimerAt;
  public long endTimerAt;

  /**
   * Call time (ms) of the ENDED event once it arrived, else -1. Kept alone (with the retention
   * timer) when the ENDED came before any audio: {@link #endedBeforeAudio()}.
   */
  public long endedAtMs = -1;

  /** When a tombstone or an ENDED that came before any audio is dropped, 0 when none. */
  public long retentionTimerAt;

  /** Processing time of the last chunk received (valid or not). */
  public long lastChunkAt;

  /** Processing time at which the chunk processed last had arrived. */
  public long lastArrivedAt;

  public int nextSlotIndex;

  /** The last {@code ChannelProgress} emitted: its slotsCut (-1: none yet) and cutUpToMs. */
  public long progressSlots = -1;

  public long progressUpToMs = Long.MIN_VALUE;

  /** Sample position of the first sample in the audio list state. */
  public long audioStart;

  /** Samples in the audio list state. */
  public long audioLength;

  public ResamplerState resampler;
  public SegmenterState segmenter;

  /**
   * Seq ranges given up on and filled with silence, as pairs [from, to), newest last (at most
   * {@link #MAX_FILLED_RANGES}); a chunk in one of them is LATE rather than DUPLICATE.
   */
  public long[] filledRanges = new long[0];

  static final int MAX_FILLED_RANGES = 16;

  public ChannelState() {}

  boolean isClosed() {
    return closedBy != null;
  }

  /** Not a channel yet: only its call's ENDED, which came before any of its audio. */
  boolean endedBeforeAudio() {
    return closedBy == null && channel == null && endedAtMs >= 0;
  }
}
