package io.callqa.operators.audio;

import io.callqa.schemas.AudioEncoding;

/** A validated chunk waiting in the reorder buffer for the seqs before it. A Flink POJO. */
public class PendingChunk {

  public long seq;
  public long offsetMs;
  public int sampleRate;
  public AudioEncoding encoding;
  public byte[] payload;
  public boolean last;

  /** Processing time when it arrived. */
  public long arrivedAt;

  public PendingChunk() {}
}
