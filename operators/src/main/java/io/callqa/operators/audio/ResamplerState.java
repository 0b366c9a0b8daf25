package io.callqa.operators.audio;

/**
 * What a {@link Resampler} carries from one chunk to the next: the last input samples the filter
 * still needs and the phase of the next output sample. A Flink POJO, so it lives in keyed state and
 * a restored job continues mid-call without a click.
 */
public class ResamplerState {

  /** Input rate this state belongs to; a chunk at another rate starts a fresh state. */
  public int inputRate;

  /** The last {@code tapsPerPhase - 1} input samples, oldest first (zeros before the first). */
  public float[] history;

  /**
   * Position of the next output sample on the upsampled time axis, counted from the first sample of
   * the next chunk (0 ≤ nextTime, and nextTime &lt; down).
   */
  public long nextTime;

  public ResamplerState() {}

  ResamplerState(int inputRate, int historyLength) {
    this.inputRate = inputRate;
    this.history = new float[historyLength];
    this.nextTime = 0;
  }
}
