package io.callqa.operators.audio;

/**
 * One slot decided by {@link SpeechSegmenter}: sample positions [start, end) of the channel's 16
 * kHz stream. {@code split} tells that it ended at the maximum slot length, at the quietest point.
 */
public record SlotCut(long start, long end, boolean split) {

  public long lengthSamples() {
    return end - start;
  }
}
