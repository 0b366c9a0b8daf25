package io.callqa.operators.sinks.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callqa.operators.sinks.elasticsearch.EsDocument.Operation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.junit.jupiter.api.Test;

class EsDocumentStateSerializerTest {
  private final EsDocumentStateSerializer serializer = new EsDocumentStateSerializer();

  @Test
  void roundTripKeepsOperationAttemptsAndBytes() throws IOException {
    EsDocument indexed = new EsDocument("callqa-calls-acme-2026.11.21", "c-1", json("{\"a\":1}"));
    EsDocument merged =
        EsDocument.merge("callqa-alerts-acme-2026.11.21", "c-1/anger/0", json("{\"w\":\"中\"}"))
            .retried()
            .retried();
    BufferedRequestState<EsDocument> restored =
        serializer.deserialize(
            serializer.getVersion(), serializer.serialize(state(indexed, merged)));
    assertThat(entries(restored)).containsExactly(indexed, merged);
    assertThat(entries(restored).get(1).operation()).isEqualTo(Operation.MERGE);
    assertThat(entries(restored).get(1).attempts()).isEqualTo(2);
    assertThat(serializer.getVersion()).isEqualTo(2);
  }

  @Test
  void readsVersionOneStateAsFullIndexOperations() throws IOException {
    EsDocument a = new EsDocument("callqa-alerts-acme-2026.11.21", "c-1/anger/0", json("{}"));
    EsDocument b = new EsDocument("callqa-calls-acme-2026.11.21", "c-1", json("{\"x\":[1]}"));
    byte[] v1 = new EsDocumentStateSerializer.Version1().serialize(state(a, b.retried()));
    BufferedRequestState<EsDocument> restored = serializer.deserialize(1, v1);
    assertThat(entries(restored)).containsExactly(a, b.retried());
    assertThat(entries(restored)).extracting(EsDocument::operation).containsOnly(Operation.INDEX);
  }

  @Test
  void refusesStateOfANewerVersion() {
    assertThatThrownBy(() -> serializer.deserialize(3, new byte[0]))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("version 3");
  }

  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static BufferedRequestState<EsDocument> state(EsDocument... docs) {
    return new BufferedRequestState<>(
        java.util.Arrays.stream(docs)
            .map(d -> new RequestEntryWrapper<>(d, d.sizeInBytes()))
            .toList());
  }

  private static List<EsDocument> entries(BufferedRequestState<EsDocument> state) {
    return state.getBufferedRequestEntries().stream()
        .map(RequestEntryWrapper::getRequestEntry)
        .toList();
  }
}
