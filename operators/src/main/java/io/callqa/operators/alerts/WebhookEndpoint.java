package io.callqa.operators.alerts;

import io.callqa.operators.rules.Severity;
import java.io.Serializable;
import java.net.URI;
import java.util.List;

/**
 * One webhook endpoint: where alerts go, in which format, which alerts, and how hard to try.
 *
 * <p>Credentials never sit in this object: {@code secretEnv} and {@code urlEnv} name environment
 * variables, read when the delivery operator opens (robot URLs carry their token, so a URL can come
 * from the environment too). {@link #toString()} shows only the host.
 *
 * @param name unique, used in outcomes and metrics
 * @param url the endpoint URL, or null when {@code urlEnv} gives it
 * @param urlEnv environment variable holding the URL, or null
 * @param secretEnv environment variable holding the signing secret (generic: required; dingtalk:
 *     optional; wecom and slack: not allowed)
 * @param minSeverity alerts below this severity are not sent
 * @param rules rule ids to send; empty: all
 * @param timeoutMs per attempt
 * @param maxAttempts attempts per alert including the first
 * @param initialBackoffMs wait before the 2nd attempt; doubled per attempt, with jitter
 * @param maxBackoffMs upper bound of a wait (also for Retry-After)
 * @param circuitFailureThreshold consecutive failed attempts that open the circuit
 * @param circuitOpenMs how long an open circuit refuses before one trial attempt
 */
public record WebhookEndpoint(
    String name,
    String url,
    String urlEnv,
    WebhookFormat format,
    String secretEnv,
    Severity minSeverity,
    List<String> rules,
    long timeoutMs,
    int maxAttempts,
    long initialBackoffMs,
    long maxBackoffMs,
    int circuitFailureThreshold,
    long circuitOpenMs)
    implements Serializable {

  public WebhookEndpoint {
    rules = List.copyOf(rules);
  }

  /** Whether this endpoint wants the alert (severity and rule filters). */
  public boolean accepts(io.callqa.schemas.Alert alert) {
    Severity s = Severity.parse(alert.getSeverity());
    if (s == null) {
      s = Severity.WARNING;
    }
    return s.compareTo(minSeverity) >= 0 && (rules.isEmpty() || rules.contains(alert.getRule()));
  }

  /**
   * The longest one delivery can take: every attempt timing out, every wait at its maximum. The
   * async operator's timeout is set above this, so an outcome always comes from the client.
   */
  public long worstCaseMs() {
    return maxAttempts * timeoutMs + (long) Math.max(0, maxAttempts - 1) * maxBackoffMs;
  }

  @Override
  public String toString() {
    String where;
    if (url != null) {
      URI u = URI.create(url);
      where =
          u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "") + "/…";
    } else {
      where = "$" + urlEnv;
    }
    return "WebhookEndpoint{"
        + name
        + " "
        + format.wireName()
        + " "
        + where
        + (secretEnv != null ? " signed" : "")
        + " minSeverity="
        + minSeverity.wireName()
        + (rules.isEmpty() ? "" : " rules=" + rules)
        + " attempts="
        + maxAttempts
        + "}";
  }
}
