package io.callqa.operators.alerts;

import io.callqa.schemas.Alert;
import io.callqa.schemas.WebhookDelivery;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Wires webhook delivery onto the alert stream. */
public final class Webhooks {
  /** Stable uid of the delivery operator. */
  public static final String UID = "rules-webhooks";

  private Webhooks() {}

  /**
   * Sends every alert to the endpoints of {@code config} that want it and returns one outcome per
   * alert and endpoint (store them beside the alerts; see docs/webhooks.md).
   *
   * @param secrets where {@code secretEnv}/{@code urlEnv} are read: {@link
   *     SecretResolver#environment()} in a deployment
   */
  public static DataStream<WebhookDelivery> deliver(
      DataStream<Alert> alerts, WebhookConfig config, SecretResolver secrets) {
    return AsyncDataStream.unorderedWait(
            alerts,
            new WebhookDeliveryFunction(config, secrets),
            WebhookDeliveryFunction.asyncTimeoutMs(config),
            TimeUnit.MILLISECONDS,
            config.capacity())
        .uid(UID)
        .name("Webhook delivery");
  }
}
