package io.callqa.operators.sinks.elasticsearch.documents;

import static io.callqa.operators.sinks.elasticsearch.documents.SampleRecords.PROCESSING_CLOCK;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.callqa.operators.sinks.elasticsearch.EsDocument;
import io.callqa.schemas.CallSummary;
import io.callqa.schemas.Coverage;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallSummaryDocumentsTest {
  private final CallSummaryDocuments mapper = new CallSummaryDocuments(PROCESSING_CLOCK);

  @Test
  void indexesAtTheCallIdOnTheCallStartDay() {
    EsDocument doc = mapper.toDocument(SampleRecords.callSummary());
    assertThat(doc.id()).isEqualTo("call-7");
    assertThat(doc.index()).isEqualTo("callqa-calls-acme-2026.11.21");
  }

  @Test
  void addsTimesAndDurations() {
    JsonNode json = mapper.json(SampleRecords.callSummary());
    assertThat(json.get("@timestamp").asText()).isEqualTo("2026-11-21T09:30:00.000Z");
    assertThat(json.get("startedAt").asText()).isEqualTo("2026-11-21T09:30:00.000Z");
    assertThat(json.get("endedAt").asText()).isEqualTo("2026-11-21T09:32:05.500Z");
    assertThat(json.get("durationSec").asDouble()).isEqualTo(125.5);
    assertThat(json.get("timeSource").asText()).isEqualTo("call");
  }

  @Test
  void flattensAlertCountsIntoRulesThatFired() {
    JsonNode json = mapper.json(SampleRecords.callSummary());
    assertThat(json.get("alertsByRule").get("banned_phrase").asInt()).isEqualTo(2);
    assertThat(json.get("alertsByRule").get("dead_air").asInt()).isZero();
    assertThat(json.get("alertRules"))
        .extracting(JsonNode::asText)
        .containsExactly("anger_escalation", "banned_phrase");
    assertThat(json.get("alertsTotal").asInt()).isEqualTo(3);
  }

  @Test
  void coveragePercentAndCompleteness() {
    JsonNode json = mapper.json(SampleRecords.callSummary());
    assertThat(json.get("coverage").get("slotsCut").asLong()).isEqualTo(20);
    assertThat(json.get("coveragePercent").asDouble()).isEqualTo(95.0);
    assertThat(json.get("coverageComplete").asBoolean()).isTrue();

    Coverage lost = SampleRecords.coverage();
    lost.setSlotsRecognised(18); // 18 + 1 failed of 20 cut: one slot unaccounted for
    assertThat(CallSummaryDocuments.coverageComplete(lost)).isFalse();
    assertThat(CallSummaryDocuments.coveragePercent(lost)).isEqualTo(90.0);

    Coverage rejected = SampleRecords.coverage();
    rejected.setChunksRejected(1);
    assertThat(CallSummaryDocuments.coverageComplete(rejected)).isFalse();

    Coverage silent = SampleRecords.coverage();
    silent.setSlotsCut(0);
    silent.setSlotsRecognised(0);
    silent.setSlotsFailed(0);
    assertThat(CallSummaryDocuments.coveragePercent(silent)).isEqualTo(100.0);

    Coverage third = SampleRecords.coverage();
    third.setSlotsCut(3);
    third.setSlotsRecognised(1);
    assertThat(CallSummaryDocuments.coveragePercent(third)).isEqualTo(33.33);
  }

  @Test
  void scoreBandsSortAlphabetically() {
    assertThat(CallSummaryDocuments.scoreBand(0)).isEqualTo("00-09");
    assertThat(CallSummaryDocuments.scoreBand(9.99)).isEqualTo("00-09");
    assertThat(CallSummaryDocuments.scoreBand(72.5)).isEqualTo("70-79");
    assertThat(CallSummaryDocuments.scoreBand(89.999)).isEqualTo("80-89");
    assertThat(CallSummaryDocuments.scoreBand(90)).isEqualTo("90-100");
    assertThat(CallSummaryDocuments.scoreBand(100)).isEqualTo("90-100");
    assertThat(CallSummaryDocuments.scoreBand(-3)).isEqualTo("00-09");
    assertThat(mapper.json(SampleRecords.callSummary()).get("scoreBand").asText())
        .isEqualTo("70-79");
  }

  @Test
  void callWithoutScoreOrStartStillMaps() {
    CallSummary c = SampleRecords.callSummary();
    c.setScore(null);
    c.setStartedAt(null);
    c.setAlertsByRule(Map.of());
    JsonNode json = mapper.json(c);
    assertThat(json.has("score")).isFalse();
    assertThat(json.has("scoreBand")).isFalse();
    assertThat(json.has("endedAt")).isFalse();
    assertThat(json.get("alertRules")).isEmpty();
    assertThat(json.get("alertsTotal").asInt()).isZero();
    assertThat(json.get("@timestamp").asText()).isEqualTo("2026-11-22T08:00:00.000Z");
    assertThat(mapper.toDocument(c).index()).isEqualTo("callqa-calls-acme-2026.11.22");
  }
}
