package io.callqa.jobs.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callqa.operators.sinks.elasticsearch.EsDocument;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;

/** Test-side calls to a real Elasticsearch: bulk indexing of mapped documents, reads, cleanup. */
final class EsTestClient {
  final JsonHttp http;

  EsTestClient(String url) {
    this.http = new JsonHttp(url, null, Duration.ofSeconds(60));
  }

  /**
   * Writes the documents at their index and id as the sink does (a full index, or a merge with
   * doc_as_upsert), and makes them searchable.
   */
  void bulk(Collection<EsDocument> docs) throws Exception {
    StringBuilder body = new StringBuilder();
    for (EsDocument d : docs) {
      ObjectNode action = SavedObjects.JSON.createObjectNode();
      String source = new String(d.json(), StandardCharsets.UTF_8);
      if (d.operation() == EsDocument.Operation.MERGE) {
        action.putObject("update").put("_index", d.index()).put("_id", d.id());
        source = "{\"doc\":" + source + ",\"doc_as_upsert\":true}";
      } else {
        action.putObject("index").put("_index", d.index()).put("_id", d.id());
      }
      body.append(action).append('\n');
      body.append(source).append('\n');
    }
    JsonHttp.Response r =
        http.post(
            "/_bulk?refresh=wait_for",
            "application/x-ndjson",
            body.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode json = r.json();
    if (json.path("errors").asBoolean()) {
      for (JsonNode item : json.path("items")) {
        JsonNode result = item.elements().next(); // {"index": …} or {"update": …}
        assertThat(result.path("error").isMissingNode())
            .as(
                "bulk item "
                    + result.path("_index").asText()
                    + "/"
                    + result.path("_id").asText()
                    + ": "
                    + result.path("error"))
            .isTrue();
      }
    }
  }

  JsonNode get(String path) throws Exception {
    JsonHttp.Response r = http.get(path);
    assertThat(r.status()).as("GET " + path + ": " + r.body()).isEqualTo(200);
    return r.json();
  }

  JsonNode search(String index, JsonNode body) throws Exception {
    JsonHttp.Response r =
        http.post(
            "/" + index + "/_search",
            "application/json",
            body.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(r.status()).as("search " + index + " " + body + ": " + r.body()).isEqualTo(200);
    return r.json();
  }

  long count(String index) throws Exception {
    return get("/" + index + "/_count").path("count").asLong();
  }

  /** Deletes callqa's indices and templates (index templates before the components they use). */
  void deleteCallqaIndicesAndTemplates() throws Exception {
    ok(http.delete("/callqa-*?expand_wildcards=all"));
    for (IndexTemplates.Template t : reversed(IndexTemplates.all(1, 0))) {
      ok(http.delete(t.kind().path(t.name())));
    }
  }

  private static void ok(JsonHttp.Response r) {
    assertThat(r.status()).as(r.body()).isIn(200, 404);
  }

  private static <T> java.util.List<T> reversed(java.util.List<T> list) {
    java.util.List<T> copy = new java.util.ArrayList<>(list);
    java.util.Collections.reverse(copy);
    return copy;
  }
}
