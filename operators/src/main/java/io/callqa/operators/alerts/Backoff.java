package io.callqa.operators.alerts;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter: the wait before attempt n+1 (n ≥ 1). */
public final class Backoff {
  private Backoff() {}

  /**
   * A random wait in [d/2, d], d = min(max, initial · 2^(attempt-1)): retries of many alerts to a
   * recovering endpoint spread out instead of arriving together.
   */
  public static long delayMs(int attempt, long initialMs, long maxMs) {
    double d = Math.min((double) maxMs, initialMs * Math.pow(2, Math.max(0, attempt - 1)));
    long full = (long) d;
    if (full <= 1) {
      return full;
    }
    return full / 2 + ThreadLocalRandom.current().nextLong(full - full / 2 + 1);
  }
}
