package io.callqa.operators.time;

/**
 * Whether the sources are still being read up to a given record time: the job may be working
 * through a backlog (after an outage or under load, the small call-events topic runs far ahead of
 * the audio), and then a call's missing audio is not lost, only not read yet. Record time is the
 * Kafka record's timestamp; the watermark says up to where every source has been read. A
 * processing-time wait that gives up on input that never came (missing channel reports, a dead
 * channel) asks {@link #stillReading} first and waits another period while it says yes. When the
 * sources are idle the watermark stops moving and the wait gives up as before.
 *
 * <p>One per operator instance, not in state: after a restore it starts afresh from the first
 * watermark it sees.
 */
public final class WatermarkProgress {
  private long watermark = Long.MIN_VALUE;
  private long advancedAt = Long.MIN_VALUE;

  /** Call in every input and timer callback with the operator's current watermark. */
  public void observe(long currentWatermark, long now) {
    if (currentWatermark > watermark) {
      watermark = currentWatermark;
      advancedAt = now;
    }
  }

  /**
   * Whether records up to {@code recordTimeMs} may still be on their way: the watermark is behind
   * that time and moved within the last {@code windowMs}.
   */
  public boolean stillReading(long recordTimeMs, long now, long windowMs) {
    return watermark < recordTimeMs && advancedAt != Long.MIN_VALUE && now - advancedAt < windowMs;
  }
}
