package io.callqa.operators.sinks.elasticsearch.documents;

import static io.callqa.operators.sinks.elasticsearch.documents.SampleRecords.PROCESSING_CLOCK;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.callqa.operators.sinks.elasticsearch.EsDocument;
import io.callqa.schemas.DeadLetter;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class DeadLetterDocumentsTest {
  private final DeadLetterDocuments mapper = new DeadLetterDocuments(PROCESSING_CLOCK);

  @Test
  void kafkaDeadLettersAreIndexedAtTheirSourcePosition() {
    EsDocument doc = mapper.toDocument(SampleRecords.kafkaDeadLetter());
    assertThat(doc.id()).isEqualTo("call-audio/3@1234");
    assertThat(doc.index()).isEqualTo("callqa-deadletters-unknown-2026.11.21");
  }

  @Test
  void rawBytesAreLeftOutButDescribed() {
    JsonNode json = mapper.json(SampleRecords.kafkaDeadLetter());
    assertThat(json.has("rawKey")).isFalse();
    assertThat(json.has("rawValue")).isFalse();
    assertThat(json.get("rawKeyText").asText()).isEqualTo("call-43");
    assertThat(json.get("rawKeyBytes").asInt()).isEqualTo(7);
    assertThat(json.get("rawValueBytes").asInt()).isEqualTo(26);
    assertThat(json.get("reason").asText()).isEqualTo("NOT_SINGLE_OBJECT");
    assertThat(json.get("@timestamp").asText()).isEqualTo("2026-11-21T09:31:00.000Z");
    assertThat(json.get("timeSource").asText()).isEqualTo("record");
  }

  @Test
  void binaryKeysAreNotCopiedAsText() {
    DeadLetter d = SampleRecords.kafkaDeadLetter();
    d.setRawKey(ByteBuffer.wrap(new byte[] {(byte) 0xC3, 0x01, 0x00, (byte) 0xFF}));
    JsonNode json = mapper.json(d);
    assertThat(json.has("rawKeyText")).isFalse();
    assertThat(json.get("rawKeyBytes").asInt()).isEqualTo(4);
  }

  @Test
  void deadLettersWithoutSourceGetAStableDigestId() {
    DeadLetter d = SampleRecords.kafkaDeadLetter();
    d.setSourceTopic(null);
    d.setStage("inference");
    d.setReason("MODEL_ERROR");
    d.setTenant("acme");
    d.setCallId("call-9");
    String id = DeadLetterDocuments.id(d);
    assertThat(id).matches("[0-9a-f]{64}");
    assertThat(DeadLetterDocuments.id(SampleRecords.kafkaDeadLetter())).isNotEqualTo(id);
    DeadLetter same = DeadLetter.newBuilder(d).build();
    assertThat(DeadLetterDocuments.id(same)).isEqualTo(id);
    same.setSeq(5L);
    assertThat(DeadLetterDocuments.id(same)).isNotEqualTo(id);
    assertThat(mapper.toDocument(d).index()).isEqualTo("callqa-deadletters-acme-2026.11.21");
  }

  @Test
  void missingTimeFallsBackToProcessingTime() {
    DeadLetter d = SampleRecords.kafkaDeadLetter();
    d.setAtEpochMs(0);
    assertThat(mapper.json(d).get("timeSource").asText()).isEqualTo("processing");
    assertThat(mapper.toDocument(d).index()).endsWith("-2026.11.22");
  }
}
