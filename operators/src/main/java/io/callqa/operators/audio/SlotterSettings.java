package io.callqa.operators.audio;

import java.io.Serializable;

/**
 * Settings of the slotter ({@link SlotterFunction}), all durations in milliseconds. Build with
 * {@link #builder()}; every setting has a named default and is validated on construction.
 *
 * @param gapTimeoutMs how long a missing seq is waited for before its place is filled with silence
 * @param idleTimeoutMs a channel with no chunk for this long (processing time) is closed
 * @param endedGraceMs after the call's ENDED event, audio still in flight gets this long to arrive
 *     before the channel is closed
 * @param closedRetentionMs after a channel closes, a tombstone (a few bytes) is kept this long so
 *     that stragglers and redelivered chunks are rejected instead of opening a second session; 0
 *     keeps nothing
 * @param reorderBufferChunks at most this many out-of-order chunks are held per channel; one more
 *     fills the oldest gap at once
 * @param segmenter VAD and slot cutting
 * @param maxChunkMs a chunk with more audio than this is rejected
 * @param maxSeq a seq above this is rejected
 * @param maxOffsetMs an offsetMs above this is rejected
 * @param maxGapFillMs a gap is filled with at most this much silence; beyond it the timeline just
 *     jumps (the call times of later slots stay right, nothing is generated for the rest)
 * @param progressIntervalMs a {@code ChannelProgress} marker goes out when a slot was cut, else
 *     when the call time it vouches for moved on by this much (0: after every chunk)
 */
public record SlotterSettings(
    long gapTimeoutMs,
    long idleTimeoutMs,
    long endedGraceMs,
    long closedRetentionMs,
    int reorderBufferChunks,
    SegmenterSettings segmenter,
    long maxChunkMs,
    long maxSeq,
    long maxOffsetMs,
    long maxGapFillMs,
    long progressIntervalMs)
    implements Serializable {

  /** A call id longer than this (UTF-8 bytes) is rejected: it is a key in state and in indexes. */
  public static final int MAX_CALL_ID_BYTES = 256;

  public static final long DEFAULT_GAP_TIMEOUT_MS = 2_000;
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 30_000;
  public static final long DEFAULT_ENDED_GRACE_MS = 5_000;
  public static final long DEFAULT_CLOSED_RETENTION_MS = 10 * 60_000;
  public static final int DEFAULT_REORDER_BUFFER_CHUNKS = 64;
  public static final long DEFAULT_MAX_CHUNK_MS = 60_000;

  /** 100 million chunks: 23 days of 20 ms chunks. */
  public static final long DEFAULT_MAX_SEQ = 100_000_000L;

  /** One day. */
  public static final long DEFAULT_MAX_OFFSET_MS = 24L * 3_600_000;

  public static final long DEFAULT_MAX_GAP_FILL_MS = 10 * 60_000;

  /**
   * Often enough that the rules never wait long on a silent channel, rare enough to be noise next
   * to the audio records.
   */
  public static final long DEFAULT_PROGRESS_INTERVAL_MS = 500;

  public static final SlotterSettings DEFAULTS = builder().build();

  public SlotterSettings {
    positive("gapTimeoutMs", gapTimeoutMs);
    positive("idleTimeoutMs", idleTimeoutMs);
    notNegative("endedGraceMs", endedGraceMs);
    notNegative("closedRetentionMs", closedRetentionMs);
    positive("reorderBufferChunks", reorderBufferChunks);
    positive("maxChunkMs", maxChunkMs);
    positive("maxSeq", maxSeq);
    positive("maxOffsetMs", maxOffsetMs);
    notNegative("maxGapFillMs", maxGapFillMs);
    notNegative("progressIntervalMs", progressIntervalMs);
    if (segmenter == null) {
      throw new IllegalArgumentException("segmenter settings are required");
    }
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
  }

  private static void notNegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .gapTimeoutMs(gapTimeoutMs)
        .idleTimeoutMs(idleTimeoutMs)
        .endedGraceMs(endedGraceMs)
        .closedRetentionMs(closedRetentionMs)
        .reorderBufferChunks(reorderBufferChunks)
        .segmenter(segmenter)
        .maxChunkMs(maxChunkMs)
        .maxSeq(maxSeq)
        .maxOffsetMs(maxOffsetMs)
        .maxGapFillMs(maxGapFillMs)
        .progressIntervalMs(progressIntervalMs);
  }

  /** Builder starting from the defaults. */
  public static final class Builder {
    private long gapTimeoutMs = DEFAULT_GAP_TIMEOUT_MS;
    private long idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS;
    private long endedGraceMs = DEFAULT_ENDED_GRACE_MS;
    private long closedRetentionMs = DEFAULT_CLOSED_RETENTION_MS;
    private int reorderBufferChunks = DEFAULT_REORDER_BUFFER_CHUNKS;
    private SegmenterSettings segmenter = SegmenterSettings.DEFAULTS;
    private long maxChunkMs = DEFAULT_MAX_CHUNK_MS;
    private long maxSeq = DEFAULT_MAX_SEQ;
    private long maxOffsetMs = DEFAULT_MAX_OFFSET_MS;
    private long maxGapFillMs = DEFAULT_MAX_GAP_FILL_MS;
    private long progressIntervalMs = DEFAULT_PROGRESS_INTERVAL_MS;

    private Builder() {}

    public Builder gapTimeoutMs(long v) {
      gapTimeoutMs = v;
      return this;
    }

    public Builder idleTimeoutMs(long v) {
      idleTimeoutMs = v;
      return this;
    }

    public Builder endedGraceMs(long v) {
      endedGraceMs = v;
      return this;
    }

    public Builder closedRetentionMs(long v) {
      closedRetentionMs = v;
      return this;
    }

    public Builder reorderBufferChunks(int v) {
      reorderBufferChunks = v;
      return this;
    }

    public Builder segmenter(SegmenterSettings v) {
      segmenter = v;
      return this;
    }

    public Builder maxChunkMs(long v) {
      maxChunkMs = v;
      return this;
    }

    public Builder maxSeq(long v) {
      maxSeq = v;
      return this;
    }

    public Builder maxOffsetMs(long v) {
      maxOffsetMs = v;
      return this;
    }

    public Builder maxGapFillMs(long v) {
      maxGapFillMs = v;
      return this;
    }

    public Builder progressIntervalMs(long v) {
      progressIntervalMs = v;
      return this;
    }

    public SlotterSettings build() {
      return new SlotterSettings(
          gapTimeoutMs,
          idleTimeoutMs,
          endedGraceMs,
          closedRetentionMs,
          reorderBufferChunks,
          segmenter,
          maxChunkMs,
          maxSeq,
          maxOffsetMs,
          maxGapFillMs,
          progressIntervalMs);
    }
  }
}
