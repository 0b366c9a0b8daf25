package io.callqa.operators.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.callqa.operators.rules.Severity;
import io.callqa.schemas.Alert;
import io.callqa.schemas.WebhookDelivery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Webhook delivery inside a Flink job: a flaky and a dead endpoint never fail or stall it. */
class WebhooksTest {
  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @Test
  void everyAlertIsAcceptedOnceByTheFlakyEndpointWhileTheDeadOneIsShortCircuited()
      throws Exception {
    try (TestWebhookServer flaky =
        new TestWebhookServer(WebhookFormat.GENERIC, WebhookClientTest.SECRET).failFirst(2, 500)) {
      WebhookEndpoint good =
          new WebhookEndpoint(
              "backend",
              flaky.url(),
              null,
              WebhookFormat.GENERIC,
              "WEBHOOK_SECRET",
              Severity.INFO,
              List.of(),
              2_000,
              5,
              10,
              50,
              100,
              60_000);
      WebhookEndpoint dead =
          new WebhookEndpoint(
              "gone",
              "http://127.0.0.1:9/hook",
              null,
              WebhookFormat.SLACK,
              null,
              Severity.WARNING,
              List.of(),
              300,
              2,
              10,
              20,
              2,
              600_000);
      List<Alert> alerts = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        Alert a = WebhookClientTest.alert(i);
        alerts.add(i % 3 == 0 ? Alert.newBuilder(a).setSeverity("info").build() : a);
      }
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.setParallelism(1);
      List<WebhookDelivery> out = new ArrayList<>();
      try (CloseableIterator<WebhookDelivery> it =
          Webhooks.deliver(
                  env.fromData(alerts, TypeInformation.of(Alert.class)),
                  new WebhookConfig(List.of(good, dead), 10),
                  WebhookClientTest.SECRETS)
              .collectAsync()) {
        env.execute("webhooks-test");
        it.forEachRemaining(out::add);
      }
      Map<String, List<WebhookDelivery>> byEndpoint =
          out.stream().collect(Collectors.groupingBy(WebhookDelivery::getEndpoint));
      assertThat(byEndpoint.get("backend"))
          .hasSize(30)
          .allSatisfy(d -> assertThat(d.getOutcome()).isEqualTo("DELIVERED"));
      assertThat(flaky.accepted).hasSize(30).allSatisfy((k, n) -> assertThat(n).isEqualTo(1));
      assertThat(flaky.acks).allSatisfy((k, n) -> assertThat(n).isEqualTo(1));
      assertThat(flaky.badSignatures).hasValue(0);
      // the dead endpoint only wants warning+ (20 alerts); after 2 failed attempts its circuit
      // opens
      assertThat(byEndpoint.get("gone")).hasSize(20);
      assertThat(byEndpoint.get("gone"))
          .extracting(WebhookDelivery::getOutcome)
          .containsOnly("FAILED", "CIRCUIT_OPEN")
          .contains("CIRCUIT_OPEN");
      assertThat(out).extracting(WebhookDelivery::getDeliveryId).doesNotHaveDuplicates();
    }
  }
}
