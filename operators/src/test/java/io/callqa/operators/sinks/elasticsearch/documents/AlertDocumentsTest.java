package io.callqa.operators.sinks.elasticsearch.documents;

import static io.callqa.operators.sinks.elasticsearch.documents.SampleRecords.PROCESSING_CLOCK;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.callqa.operators.sinks.elasticsearch.EsDocument;
import io.callqa.schemas.Alert;
import io.callqa.schemas.Channel;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertDocumentsTest {
  private final AlertDocuments mapper = new AlertDocuments(PROCESSING_CLOCK);

  @Test
  void indexesAtTheAlertIdOnTheTriggerDay() {
    EsDocument doc = mapper.toDocument(SampleRecords.angerAlert());
    assertThat(doc.id()).isEqualTo("call-7/anger_escalation/0");
    assertThat(doc.index()).isEqualTo("callqa-alerts-acme-2026.11.21");
  }

  @Test
  void writtenAsAMergeSoTheWebhookOutcomesInTheSameDocumentStay() {
    EsDocument doc = mapper.toDocument(SampleRecords.angerAlert());
    assertThat(doc.operation()).isEqualTo(EsDocument.Operation.MERGE);
    assertThat(mapper.json(SampleRecords.angerAlert()).has(AlertDocuments.WEBHOOKS)).isFalse();
  }

  @Test
  void timestampIsTheTriggerArrivalWhileAlertsCarryNoCallStart() {
    JsonNode json = mapper.json(SampleRecords.angerAlert());
    assertThat(json.get("@timestamp").asText()).isEqualTo("2026-11-21T09:30:15.900Z");
    assertThat(json.get("timeSource").asText()).isEqualTo("record");
    assertThat(json.get("atSec").asDouble()).isEqualTo(15.8);
  }

  @Test
  void withoutAnyWallClockTheAlertUsesProcessingTime() {
    Alert a = SampleRecords.angerAlert();
    a.setTriggerArrivedAtEpochMs(0);
    JsonNode json = mapper.json(a);
    assertThat(json.get("@timestamp").asText()).isEqualTo("2026-11-22T08:00:00.000Z");
    assertThat(json.get("timeSource").asText()).isEqualTo("processing");
    assertThat(mapper.toDocument(a).index()).isEqualTo("callqa-alerts-acme-2026.11.22");
  }

  @Test
  void evidenceItemsGetRolesAndSecondsAndASummaryLine() {
    JsonNode json = mapper.json(SampleRecords.angerAlert());
    JsonNode evidence = json.get("evidence");
    assertThat(evidence).hasSize(2);
    assertThat(evidence.get(1).get("utteranceId").asText()).isEqualTo("call-7/CUSTOMER/3");
    assertThat(evidence.get(1).get("role").asText()).isEqualTo("customer");
    assertThat(evidence.get(1).get("startSec").asDouble()).isEqualTo(12.3);
    assertThat(evidence.get(1).get("endSec").asDouble()).isEqualTo(15.8);
    assertThat(json.get("evidenceCount").asInt()).isEqualTo(2);
    assertThat(json.get("evidenceSummary"))
        .extracting(JsonNode::asText)
        .containsExactly(
            "customer 5.0s [ANGRY]: 太慢了", "customer 12.3s [ANGRY]: 我已经打了三次电话了，你们到底管不管");
    assertThat(json.get("severity").asText()).isEqualTo("critical");
    assertThat(json.get("agentId").asText()).isEqualTo("agent-12");
  }

  @Test
  void longEvidenceTextIsCutInTheSummaryButKeptInTheEvidence() {
    Alert a = SampleRecords.angerAlert();
    String longText = "很".repeat(500);
    a.setEvidence(
        List.of(SampleRecords.evidence("call-7/AGENT/1", Channel.AGENT, 0, 30_000, longText, "")));
    JsonNode json = mapper.json(a);
    assertThat(json.get("evidence").get(0).get("text").asText()).isEqualTo(longText);
    assertThat(json.get("evidenceSummary").get(0).asText())
        .startsWith("agent 0.0s: 很")
        .endsWith("…")
        .hasSize("agent 0.0s: ".length() + AlertDocuments.SUMMARY_TEXT_CHARS + 1);
  }

  @Test
  void alertWithoutEvidenceHasEmptyEvidenceFields() {
    Alert a = SampleRecords.angerAlert();
    a.setEvidence(List.of());
    JsonNode json = mapper.json(a);
    assertThat(json.get("evidence")).isEmpty();
    assertThat(json.get("evidenceSummary")).isEmpty();
    assertThat(json.get("evidenceCount").asInt()).isZero();
  }

  @Test
  void emptyAlertIdIsRebuiltFromCallRuleAndEpisode() {
    Alert a = SampleRecords.angerAlert();
    a.setAlertId("");
    a.setEpisode(2);
    assertThat(mapper.toDocument(a).id()).isEqualTo("call-7/anger_escalation/2");
  }
}
