package io.callqa.operators.sinks.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.util.BinaryData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How buffered documents become bulk operations: full index, or update with doc_as_upsert. */
class ElasticsearchSinkWriterBulkTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void indexDocumentsAreBulkIndexOperationsWithTheSourceAsIs() throws IOException {
    EsDocument doc = new EsDocument("callqa-calls-acme-2026.11.21", "c-1", bytes("{\"a\":\"中\"}"));
    BulkRequest bulk = ElasticsearchSinkWriter.bulkOf(List.of(doc));
    BulkOperation op = bulk.operations().get(0);
    assertThat(op.isIndex()).isTrue();
    assertThat(op.index().index()).isEqualTo("callqa-calls-acme-2026.11.21");
    assertThat(op.index().id()).isEqualTo("c-1");
    assertThat(text((BinaryData) op.index().document())).isEqualTo("{\"a\":\"中\"}");
  }

  @Test
  void mergesAreUpdatesWithDocAsUpsertAndConflictRetries() throws IOException {
    EsDocument doc =
        EsDocument.merge(
            "callqa-alerts-acme-2026.11.21",
            "c-1/anger/0",
            bytes("{\"webhooks\":{\"qa\":{\"outcome\":\"DELIVERED\"}}}"));
    BulkRequest bulk =
        ElasticsearchSinkWriter.bulkOf(
            List.of(doc, new EsDocument("callqa-calls-acme-2026.11.21", "c-1", bytes("{}"))));
    assertThat(bulk.operations()).hasSize(2);
    BulkOperation op = bulk.operations().get(0);
    assertThat(op.isUpdate()).isTrue();
    assertThat(op.update().index()).isEqualTo("callqa-alerts-acme-2026.11.21");
    assertThat(op.update().id()).isEqualTo("c-1/anger/0");
    assertThat(op.update().retryOnConflict())
        .isEqualTo(ElasticsearchSinkWriter.MERGE_RETRIES_ON_CONFLICT);
    JsonNode action = JSON.readTree(text(op.update().binaryAction()));
    assertThat(action.get("doc_as_upsert").asBoolean()).isTrue();
    assertThat(action.get("doc")).isEqualTo(JSON.readTree(doc.json()));
    assertThat(action.size()).isEqualTo(2);
    assertThat(bulk.operations().get(1).isIndex()).isTrue();
  }

  @Test
  void theMergeActionWrapsTheSourceBytesUnchanged() throws IOException {
    byte[] source = bytes("{\"text\":\"你们太过分了\",\"n\":1.50}");
    String action = new String(ElasticsearchSinkWriter.mergeAction(source), StandardCharsets.UTF_8);
    assertThat(action)
        .isEqualTo("{\"doc\":{\"text\":\"你们太过分了\",\"n\":1.50},\"doc_as_upsert\":true}");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(BinaryData data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    data.writeTo(out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
