package io.callqa.operators.sinks.elasticsearch.documents;

import static io.callqa.operators.sinks.elasticsearch.documents.SampleRecords.CALL_START;
import static io.callqa.operators.sinks.elasticsearch.documents.SampleRecords.PROCESSING_CLOCK;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.callqa.operators.alerts.WebhookClient;
import io.callqa.operators.sinks.elasticsearch.EsDocument;
import io.callqa.schemas.Alert;
import io.callqa.schemas.WebhookDelivery;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertDeliveryDocumentsTest {
  private final AlertDocuments alerts = new AlertDocuments(PROCESSING_CLOCK);
  private final AlertDeliveryDocuments outcomes = new AlertDeliveryDocuments(PROCESSING_CLOCK);

  @Test
  void mergesIntoTheAlertsOwnDocument() {
    Alert alert = SampleRecords.angerAlert();
    EsDocument doc = outcomes.toDocument(SampleRecords.delivered(alert, "qa-backend"));
    EsDocument alertDoc = alerts.toDocument(alert);
    assertThat(doc.operation()).isEqualTo(EsDocument.Operation.MERGE);
    assertThat(doc.index()).isEqualTo(alertDoc.index()).isEqualTo("callqa-alerts-acme-2026.11.21");
    assertThat(doc.id()).isEqualTo(alertDoc.id()).isEqualTo("call-7/anger_escalation/0");
  }

  @Test
  void findsTheAlertsIndexWhateverDatesTheAlert() {
    List<Alert> variants = new ArrayList<>();
    Alert callStart = SampleRecords.angerAlert();
    // a call that started just before midnight: the alert's day is the call's start day
    callStart.setStartedAt(Instant.parse("2026-11-20T23:59:50Z"));
    variants.add(callStart);
    variants.add(SampleRecords.angerAlert()); // trigger arrival only
    Alert noClock = SampleRecords.angerAlert();
    noClock.setTriggerArrivedAtEpochMs(0);
    variants.add(noClock); // processing time on both paths (same clock here)
    Alert otherTenant = SampleRecords.angerAlert();
    otherTenant.setTenant("华为 cloud");
    variants.add(otherTenant);
    for (Alert a : variants) {
      EsDocument doc = outcomes.toDocument(SampleRecords.delivered(a, "qa-backend"));
      assertThat(doc.index()).as(a.toString()).isEqualTo(alerts.toDocument(a).index());
      assertThat(doc.id()).isEqualTo(alerts.toDocument(a).id());
    }
    assertThat(outcomes.toDocument(SampleRecords.delivered(callStart, "x")).index())
        .endsWith("2026.11.20");
  }

  @Test
  void theOutcomeSitsUnderItsEndpointWithTheAlertsIds() {
    Alert alert = SampleRecords.angerAlert();
    JsonNode json = outcomes.json(SampleRecords.delivered(alert, "qa-backend"));
    assertThat(json.get("alertId").asText()).isEqualTo("call-7/anger_escalation/0");
    assertThat(json.get("tenant").asText()).isEqualTo("Acme");
    assertThat(json.get("callId").asText()).isEqualTo("call-7");
    assertThat(json.get("rule").asText()).isEqualTo("anger_escalation");
    assertThat(json.get("webhooks").size()).isEqualTo(1);
    JsonNode entry = json.get("webhooks").get("qa-backend");
    assertThat(entry.get("endpoint").asText()).isEqualTo("qa-backend");
    assertThat(entry.get("format").asText()).isEqualTo("generic");
    assertThat(entry.get("outcome").asText()).isEqualTo("DELIVERED");
    assertThat(entry.get("attempts").asInt()).isEqualTo(1);
    assertThat(entry.get("httpStatus").asInt()).isEqualTo(200);
    assertThat(entry.get("completedAtEpochMs").asLong())
        .isEqualTo(CALL_START.toEpochMilli() + 16_800);
    assertThat(entry.get("endToEndLatencyMs").asLong()).isEqualTo(900);
    assertThat(entry.get("deliveryId").asText()).isEqualTo("call-7/anger_escalation/0@qa-backend");
    // the alert's own fields are the alert document's, not repeated per endpoint
    assertThat(entry.has("alertId")).isFalse();
    assertThat(entry.has("tenant")).isFalse();
    assertThat(entry.has("alertTriggerArrivedAtEpochMs")).isFalse();
    assertThat(entry.has("error")).isFalse();
    // and the merge touches nothing of the alert's own content
    assertThat(json.has("@timestamp")).isFalse();
    assertThat(json.has("evidence")).isFalse();
  }

  @Test
  void anOutcomeWithoutAttemptsHasNoAttemptTimes() {
    WebhookDelivery d = SampleRecords.delivered(SampleRecords.angerAlert(), "qa-backend");
    d.setOutcome(WebhookClient.CIRCUIT_OPEN);
    d.setAttempts(0);
    d.setHttpStatus(null);
    d.setFirstAttemptAtEpochMs(0);
    d.setError("circuit open");
    JsonNode entry = outcomes.json(d).get("webhooks").get("qa-backend");
    assertThat(entry.has("firstAttemptAtEpochMs")).isFalse();
    assertThat(entry.has("httpStatus")).isFalse();
    assertThat(entry.get("completedAtEpochMs").asLong()).isPositive();
    assertThat(entry.get("outcome").asText()).isEqualTo("CIRCUIT_OPEN");
    assertThat(entry.get("error").asText()).isEqualTo("circuit open");
  }

  @Test
  void endpointNamesBecomeFieldNamesThatNeverNestOrCollide() {
    assertThat(AlertDeliveryDocuments.endpointKey("qa-backend")).isEqualTo("qa-backend");
    assertThat(AlertDeliveryDocuments.endpointKey("team_slack2")).isEqualTo("team_slack2");
    String dotted = AlertDeliveryDocuments.endpointKey("qa.backend");
    String underscored = AlertDeliveryDocuments.endpointKey("qa_backend");
    assertThat(dotted).matches("qa_backend_[0-9a-f]{8}").isNotEqualTo(underscored);
    assertThat(AlertDeliveryDocuments.endpointKey("主管 钉钉")).matches("ep_{6}[0-9a-f]{8}");
    assertThat(AlertDeliveryDocuments.endpointKey("_hidden")).matches("ep_hidden_[0-9a-f]{8}");
    assertThat(AlertDeliveryDocuments.endpointKey("主管 钉钉"))
        .isNotEqualTo(AlertDeliveryDocuments.endpointKey("客服 钉钉"));
    WebhookDelivery d = SampleRecords.delivered(SampleRecords.angerAlert(), "qa.backend");
    JsonNode entry = outcomes.json(d).get("webhooks").get(dotted);
    assertThat(entry.get("endpoint").asText()).isEqualTo("qa.backend");
  }

  @Test
  void processingTimeFallbackUsesTheMappersClock() {
    Alert noClock = SampleRecords.angerAlert();
    noClock.setTriggerArrivedAtEpochMs(0);
    Clock later = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
    assertThat(
            new AlertDeliveryDocuments(later)
                .toDocument(SampleRecords.delivered(noClock, "qa-backend"))
                .index())
        .isEqualTo("callqa-alerts-acme-2026.12.01");
  }
}
