package io.callqa.operators.time;

/**
 * When this run of an operator instance began, in processing time: its first input or timer. A
 * processing-time wait counts only time the job was running: after a restore, timers set before an
 * outage are overdue at once while the input they wait for still sits in the backlog, so a wait
 * measured from a time kept in state counts from no earlier than this.
 */
public final class RunStart {
  private long at = Long.MIN_VALUE;

  /** Call first in every input and timer callback: the first call marks the start of this run. */
  public void mark(long now) {
    if (at == Long.MIN_VALUE) {
      at = now;
    }
  }

  /** The start of this run (Long.MIN_VALUE before the first {@link #mark}). */
  public long at() {
    return at;
  }

  /** {@code since}, or the start of this run when that is later. */
  public long notBefore(long since) {
    return Math.max(since, at);
  }
}
