package io.callqa.operators.sinks.elasticsearch.documents;

import static io.callqa.operators.sinks.elasticsearch.documents.SampleRecords.PROCESSING_CLOCK;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callqa.operators.sinks.elasticsearch.EsDocument;
import io.callqa.schemas.Channel;
import io.callqa.schemas.Utterance;
import org.junit.jupiter.api.Test;

class UtteranceDocumentsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final UtteranceDocuments mapper = new UtteranceDocuments(PROCESSING_CLOCK);

  @Test
  void indexesByTenantAndCallStartDayAtTheUtteranceId() throws Exception {
    EsDocument doc = mapper.toDocument(SampleRecords.customerUtterance());
    assertThat(doc.index()).isEqualTo("callqa-utterances-acme-2026.11.21");
    assertThat(doc.id()).isEqualTo("call-7/CUSTOMER/3");
    JsonNode json = JSON.readTree(doc.json());
    assertThat(json.get("text").asText()).isEqualTo("我已经打了三次电话了，你们到底管不管");
  }

  @Test
  void keepsEveryRecordFieldAndAddsKibanaFields() {
    JsonNode json = mapper.json(SampleRecords.customerUtterance());
    assertThat(json.get("utteranceId").asText()).isEqualTo("call-7/CUSTOMER/3");
    assertThat(json.get("tenant").asText()).isEqualTo("Acme");
    assertThat(json.get("channel").asText()).isEqualTo("CUSTOMER");
    assertThat(json.get("slotIndex").asInt()).isEqualTo(3);
    assertThat(json.get("emotion").asText()).isEqualTo("ANGRY");
    assertThat(json.get("status").asText()).isEqualTo("OK");
    assertThat(json.get("piiKinds").get(0).asText()).isEqualTo("PHONE");
    assertThat(json.get("startedAt").asText()).isEqualTo("2026-11-21T09:30:00.000Z");
    assertThat(json.get("confidence").floatValue()).isEqualTo(0.87f);
    assertThat(json.has("error")).as("null error left out").isFalse();

    assertThat(json.get("@timestamp").asText()).isEqualTo("2026-11-21T09:30:12.300Z");
    assertThat(json.get("timeSource").asText()).isEqualTo("call");
    assertThat(json.get("role").asText()).isEqualTo("customer");
    assertThat(json.get("startSec").asDouble()).isEqualTo(12.3);
    assertThat(json.get("endSec").asDouble()).isEqualTo(15.8);
    assertThat(json.get("durationSec").asDouble()).isEqualTo(3.5);
  }

  @Test
  void roleFollowsTheChannel() {
    for (Channel c : Channel.values()) {
      Utterance u = SampleRecords.customerUtterance();
      u.setChannel(c);
      assertThat(mapper.json(u).get("role").asText())
          .isEqualTo(c.name().toLowerCase(java.util.Locale.ROOT));
    }
    assertThat(DocumentFields.role(Channel.AGENT)).isEqualTo("agent");
  }

  @Test
  void unknownCallStartFallsBackToProcessingTime() {
    Utterance u = SampleRecords.customerUtterance();
    u.setStartedAt(null);
    EsDocument doc = mapper.toDocument(u);
    assertThat(doc.index()).isEqualTo("callqa-utterances-acme-2026.11.22");
    JsonNode json = mapper.json(u);
    assertThat(json.get("@timestamp").asText()).isEqualTo("2026-11-22T08:00:00.000Z");
    assertThat(json.get("timeSource").asText()).isEqualTo("processing");
    assertThat(json.has("startedAt")).isFalse();
  }

  @Test
  void sameUtteranceGivesTheSameDocumentSoReplaysOverwrite() {
    assertThat(mapper.toDocument(SampleRecords.customerUtterance()))
        .isEqualTo(
            new UtteranceDocuments(PROCESSING_CLOCK).toDocument(SampleRecords.customerUtterance()));
  }

  @Test
  void emptyUtteranceIdIsRebuiltFromCallChannelAndSlot() {
    Utterance u = SampleRecords.customerUtterance();
    u.setUtteranceId("");
    assertThat(mapper.toDocument(u).id()).isEqualTo("call-7/CUSTOMER/3");
  }
}
