package io.callqa.operators.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callqa.schemas.Alert;
import io.callqa.schemas.WebhookDelivery;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Sends alerts to webhook endpoints with java.net.http, asynchronously: bounded retries with
 * exponential backoff and jitter (honouring Retry-After), a circuit breaker per endpoint, the alert
 * id as {@code Idempotency-Key} on every attempt. Each delivery ends in exactly one {@link
 * WebhookDelivery} outcome; nothing here throws to the caller or blocks its thread.
 *
 * <p>Delivery is at-least-once: an attempt whose response is lost is retried, so receivers must
 * honour the idempotency key (the signed timestamp changes per attempt, the key does not).
 */
public final class WebhookClient {
  /** Outcome names of {@link WebhookDelivery#getOutcome()}. */
  public static final String DELIVERED = "DELIVERED";

  public static final String FAILED = "FAILED";
  public static final String CIRCUIT_OPEN = "CIRCUIT_OPEN";
  public static final String TIMED_OUT = "TIMED_OUT";
  public static final String NOT_CONFIGURED = "NOT_CONFIGURED";

  /** DingTalk "send too fast" and WeCom "api freq out of limit": worth another try later. */
  static final Set<Integer> RATE_LIMIT_ERRCODES = Set.of(130101, 45009);

  private static final ObjectMapper JSON = new ObjectMapper();

  private record Target(String url, String secret, String problem) {}

  private final HttpClient http;
  private final LongSupplier clock;
  private final Map<String, Target> targets = new HashMap<>();
  private final Map<String, CircuitBreaker> breakers = new HashMap<>();

  /**
   * @param secrets resolves {@code urlEnv} and {@code secretEnv} once, here
   */
  public WebhookClient(
      List<WebhookEndpoint> endpoints,
      SecretResolver secrets,
      HttpClient http,
      LongSupplier clock) {
    this.http = http;
    this.clock = clock;
    for (WebhookEndpoint e : endpoints) {
      String url = e.url();
      String problem = null;
      if (url == null) {
        url = secrets.resolve(e.urlEnv());
        if (url == null || url.isBlank()) {
          problem = "environment variable " + e.urlEnv() + " (url) is not set";
        }
      }
      String secret = null;
      if (e.secretEnv() != null) {
        secret = secrets.resolve(e.secretEnv());
        if (secret == null || secret.isEmpty()) {
          problem = "environment variable " + e.secretEnv() + " (secret) is not set";
        }
      }
      targets.put(e.name(), new Target(url, secret, problem));
      breakers.put(e.name(), new CircuitBreaker(e.circuitFailureThreshold(), e.circuitOpenMs()));
    }
  }

  public static HttpClient defaultHttpClient() {
    return HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  public CircuitBreaker breaker(String endpoint) {
    return breakers.get(endpoint);
  }

  /** Delivers one alert to one endpoint; the future always completes normally with the outcome. */
  public CompletableFuture<WebhookDelivery> deliver(Alert alert, WebhookEndpoint endpoint) {
    Target t = targets.get(endpoint.name());
    long start = clock.getAsLong();
    if (t == null || t.problem != null) {
      return CompletableFuture.completedFuture(
          outcome(
              alert,
              endpoint,
              NOT_CONFIGURED,
              0,
              null,
              t == null ? "unknown endpoint" : t.problem,
              start));
    }
    CompletableFuture<WebhookDelivery> done = new CompletableFuture<>();
    attempt(alert, endpoint, t, 1, start, null, null, done);
    return done;
  }

  private void attempt(
      Alert alert,
      WebhookEndpoint ep,
      Target t,
      int n,
      long start,
      Integer lastStatus,
      String lastError,
      CompletableFuture<WebhookDelivery> done) {
    CircuitBreaker breaker = breakers.get(ep.name());
    long now = clock.getAsLong();
    if (!breaker.allow(now)) {
      done.complete(
          n == 1
              ? outcome(alert, ep, CIRCUIT_OPEN, 0, null, "circuit open", start)
              : outcome(
                  alert,
                  ep,
                  FAILED,
                  n - 1,
                  lastStatus,
                  "circuit opened after: " + lastError,
                  start));
      return;
    }
    HttpRequest request;
    try {
      request = request(alert, ep, t, now);
    } catch (RuntimeException e) {
      breaker.failure(now);
      done.complete(
          outcome(alert, ep, FAILED, n, null, "cannot build request: " + e.getMessage(), start));
      return;
    }
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .handle(
            (resp, err) -> {
              Result r = classify(ep.format(), resp, err);
              long after = clock.getAsLong();
              if (r.ok) {
                breaker.success();
                done.complete(outcome(alert, ep, DELIVERED, n, r.status, null, start));
              } else {
                breaker.failure(after);
                if (r.retryable && n < ep.maxAttempts()) {
                  long wait = Backoff.delayMs(n, ep.initialBackoffMs(), ep.maxBackoffMs());
                  if (r.retryAfterMs > 0) {
                    wait = Math.min(ep.maxBackoffMs(), Math.max(wait, r.retryAfterMs));
                  }
                  CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS)
                      .execute(() -> attempt(alert, ep, t, n + 1, start, r.status, r.error, done));
                } else {
                  done.complete(outcome(alert, ep, FAILED, n, r.status, r.error, start));
                }
              }
              return null;
            });
  }

  private HttpRequest request(Alert alert, WebhookEndpoint ep, Target t, long nowMs) {
    String body = WebhookPayloads.body(ep.format(), alert);
    String url = t.url;
    HttpRequest.Builder b =
        HttpRequest.newBuilder()
            .timeout(Duration.ofMillis(ep.timeoutMs()))
            .header("Content-Type", "application/json; charset=utf-8")
            .header("User-Agent", "callqa-webhooks/1")
            .header(WebhookSigner.IDEMPOTENCY_HEADER, alert.getAlertId());
    if (ep.format() == WebhookFormat.GENERIC) {
      long ts = nowMs / 1000;
      b.header(WebhookSigner.TIMESTAMP_HEADER, Long.toString(ts));
      b.header(WebhookSigner.SIGNATURE_HEADER, WebhookSigner.generic(t.secret, ts, body));
    } else if (ep.format() == WebhookFormat.DINGTALK && t.secret != null) {
      url =
          url
              + (url.contains("?") ? "&" : "?")
              + "timestamp="
              + nowMs
              + "&sign="
              + WebhookSigner.dingTalk(t.secret, nowMs);
    }
    return b.uri(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private record Result(
      boolean ok, boolean retryable, Integer status, String error, long retryAfterMs) {}

  private static Result classify(WebhookFormat format, HttpResponse<String> resp, Throwable err) {
    if (err != null) {
      Throwable cause = err.getCause() != null ? err.getCause() : err;
      return new Result(
          false, true, null, cause.getClass().getSimpleName() + ": " + cause.getMessage(), 0);
    }
    int status = resp.statusCode();
    if (status >= 200 && status < 300) {
      if (format == WebhookFormat.DINGTALK || format == WebhookFormat.WECOM) {
        Integer errcode = errcode(resp.body());
        if (errcode != null && errcode != 0) {
          return new Result(
              false,
              RATE_LIMIT_ERRCODES.contains(errcode),
              status,
              "errcode " + errcode + ": " + abbreviate(resp.body()),
              0);
        }
      }
      return new Result(true, false, status, null, 0);
    }
    boolean retryable = status == 408 || status == 429 || status >= 500;
    long retryAfter = 0;
    if (status == 429 || status == 503) {
      retryAfter = resp.headers().firstValue("Retry-After").map(WebhookClient::seconds).orElse(0L);
    }
    return new Result(
        false, retryable, status, "HTTP " + status + ": " + abbreviate(resp.body()), retryAfter);
  }

  private static Integer errcode(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      return n != null && n.has("errcode") ? n.get("errcode").asInt() : null;
    } catch (Exception e) {
      return null;
    }
  }

  private static long seconds(String header) {
    try {
      return Long.parseLong(header.trim()) * 1000;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }

  private WebhookDelivery outcome(
      Alert alert,
      WebhookEndpoint ep,
      String outcome,
      int attempts,
      Integer status,
      String error,
      long start) {
    long end = clock.getAsLong();
    return outcomeOf(alert, ep)
        .setOutcome(outcome)
        .setAttempts(attempts)
        .setHttpStatus(status)
        .setError(error)
        .setFirstAttemptAtEpochMs(start)
        .setCompletedAtEpochMs(end)
        .setEndToEndLatencyMs(
            alert.getTriggerArrivedAtEpochMs() > 0
                ? end - alert.getTriggerArrivedAtEpochMs()
                : null)
        .build();
  }

  /**
   * An outcome's fields that come from the alert and the endpoint, including the alert's wall
   * clocks, which let the outcome be stored in the alert's own (daily) document.
   */
  public static WebhookDelivery.Builder outcomeOf(Alert alert, WebhookEndpoint ep) {
    return WebhookDelivery.newBuilder()
        .setDeliveryId(alert.getAlertId() + "@" + ep.name())
        .setAlertId(alert.getAlertId())
        .setTenant(alert.getTenant())
        .setCallId(alert.getCallId())
        .setRule(alert.getRule())
        .setEndpoint(ep.name())
        .setFormat(ep.format().wireName())
        .setAlertStartedAt(alert.getStartedAt())
        .setAlertTriggerArrivedAtEpochMs(alert.getTriggerArrivedAtEpochMs());
  }
}
