package io.callqa.operators.audio;

/** Read access to the recent part of a channel's 16 kHz stream that a caller still keeps. */
@FunctionalInterface
public interface AudioWindow {

  /**
   * Samples [from, to) of the stream; the caller guarantees it keeps everything from {@link
   * SpeechSegmenter#keepFrom} up to the segmenter's cursor.
   */
  short[] read(long from, long to);
}
