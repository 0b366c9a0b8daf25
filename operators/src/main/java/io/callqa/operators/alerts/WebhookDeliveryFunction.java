package io.callqa.operators.alerts;

import io.callqa.schemas.Alert;
import io.callqa.schemas.WebhookDelivery;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * Emits one {@link WebhookDelivery} outcome per alert and endpoint that wants it (severity and rule
 * filters), after sending the alert with a {@link WebhookClient}. Runs in Flink's async I/O
 * operator: a slow or dead endpoint only takes capacity, never a thread, and never fails the job
 * (its circuit opens and its alerts get CIRCUIT_OPEN outcomes at once).
 *
 * <p>Metrics per endpoint, group {@code webhook.<name>}: one counter per outcome ({@code
 * DELIVERED}, {@code FAILED}, {@code CIRCUIT_OPEN}, {@code TIMED_OUT}, {@code NOT_CONFIGURED}) and
 * {@code retries}.
 */
public class WebhookDeliveryFunction extends RichAsyncFunction<Alert, WebhookDelivery> {
  private static final long serialVersionUID = 1L;

  static final List<String> OUTCOMES =
      List.of(
          WebhookClient.DELIVERED,
          WebhookClient.FAILED,
          WebhookClient.CIRCUIT_OPEN,
          WebhookClient.TIMED_OUT,
          WebhookClient.NOT_CONFIGURED);

  private final WebhookConfig config;
  private final SecretResolver secrets;

  private transient WebhookClient client;
  private transient Map<String, Map<String, Counter>> counters;

  public WebhookDeliveryFunction(WebhookConfig config, SecretResolver secrets) {
    this.config = config;
    this.secrets = secrets;
  }

  @Override
  public void open(OpenContext openContext) {
    client =
        new WebhookClient(
            config.endpoints(),
            secrets,
            WebhookClient.defaultHttpClient(),
            System::currentTimeMillis);
    counters = new HashMap<>();
    MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("webhook");
    for (WebhookEndpoint e : config.endpoints()) {
      MetricGroup g = group.addGroup(e.name());
      Map<String, Counter> m = new HashMap<>();
      for (String o : OUTCOMES) {
        m.put(o, g.counter(o));
      }
      m.put("retries", g.counter("retries"));
      counters.put(e.name(), m);
    }
  }

  @Override
  public void asyncInvoke(Alert alert, ResultFuture<WebhookDelivery> result) {
    List<CompletableFuture<WebhookDelivery>> futures = new ArrayList<>();
    for (WebhookEndpoint e : config.endpoints()) {
      if (e.accepts(alert)) {
        futures.add(client.deliver(alert, e).whenComplete((d, err) -> count(d)));
      }
    }
    if (futures.isEmpty()) {
      result.complete(List.of());
      return;
    }
    CompletableFuture.allOf(futures.toArray(new CompletableFuture[0]))
        .whenComplete(
            (ignored, err) -> {
              List<WebhookDelivery> out = new ArrayList<>();
              futures.forEach(f -> out.add(f.join()));
              result.complete(out);
            });
  }

  @Override
  public void timeout(Alert alert, ResultFuture<WebhookDelivery> result) {
    List<WebhookDelivery> out = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (WebhookEndpoint e : config.endpoints()) {
      if (e.accepts(alert)) {
        out.add(
            WebhookClient.outcomeOf(alert, e)
                .setOutcome(WebhookClient.TIMED_OUT)
                .setError("no outcome within the async timeout")
                .setCompletedAtEpochMs(now)
                .build());
        counters.get(e.name()).get(WebhookClient.TIMED_OUT).inc();
      }
    }
    result.complete(out);
  }

  private void count(WebhookDelivery d) {
    if (d == null) {
      return;
    }
    Map<String, Counter> m = counters.get(d.getEndpoint());
    if (m != null) {
      m.get(d.getOutcome()).inc();
      if (d.getAttempts() > 1) {
        m.get("retries").inc(d.getAttempts() - 1);
      }
    }
  }

  /** The async operator's timeout: longer than any endpoint's worst case, so it rarely fires. */
  public static long asyncTimeoutMs(WebhookConfig config) {
    long worst = 0;
    for (WebhookEndpoint e : config.endpoints()) {
      worst = Math.max(worst, e.worstCaseMs());
    }
    return worst + 5_000;
  }
}
