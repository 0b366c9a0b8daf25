package io.callqa.operators.alerts;

/**
 * Per-endpoint circuit breaker: {@code failureThreshold} consecutive failed attempts open it; while
 * open, attempts are refused (the alert's outcome is CIRCUIT_OPEN) so a dead endpoint costs
 * nothing; after {@code openMs} one trial attempt is let through (half-open) and its result closes
 * or re-opens the circuit. Thread-safe; lives in the delivery operator (one per subtask and
 * endpoint, not checkpointed: a restart starts closed).
 */
public final class CircuitBreaker {
  /** Circuit states. */
  public enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  private final int failureThreshold;
  private final long openMs;
  private State state = State.CLOSED;
  private int consecutiveFailures;
  private long openedAt;
  private boolean trialInFlight;

  public CircuitBreaker(int failureThreshold, long openMs) {
    this.failureThreshold = failureThreshold;
    this.openMs = openMs;
  }

  /** Whether an attempt may go out now (a half-open circuit lets one trial through). */
  public synchronized boolean allow(long nowMs) {
    switch (state) {
      case CLOSED:
        return true;
      case OPEN:
        if (nowMs - openedAt >= openMs) {
          state = State.HALF_OPEN;
          trialInFlight = true;
          return true;
        }
        return false;
      default:
        if (!trialInFlight) {
          trialInFlight = true;
          return true;
        }
        return false;
    }
  }

  public synchronized void success() {
    state = State.CLOSED;
    consecutiveFailures = 0;
    trialInFlight = false;
  }

  public synchronized void failure(long nowMs) {
    consecutiveFailures++;
    trialInFlight = false;
    if (state == State.HALF_OPEN || consecutiveFailures >= failureThreshold) {
      state = State.OPEN;
      openedAt = nowMs;
    }
  }

  public synchronized State state() {
    return state;
  }
}
