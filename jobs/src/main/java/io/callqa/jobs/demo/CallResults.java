package io.callqa.jobs.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callqa.jobs.elasticsearch.JsonHttp;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What callqa concluded about a set of calls, read back from Elasticsearch in the shape of {@code
 * callqa demo --json} (docs/cli.md): per call its alerts, summary and utterances.
 */
public final class CallResults {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_HITS = 10_000;

  private final JsonHttp es;

  public CallResults(JsonHttp es) {
    this.es = es;
  }

  /** Calls (of {@code callIds}) with a summary emitted at or after {@code sinceEpochMs}. */
  public int summarized(Collection<String> callIds, long sinceEpochMs) throws Exception {
    refresh();
    return (int)
        search("callqa-calls-*", callIds, null).stream()
            .filter(s -> s.path("emittedAtEpochMs").asLong() >= sinceEpochMs)
            .count();
  }

  /**
   * {@code {"calls": [{callId, alerts, summary, utterances}, ...]}} in the order of {@code
   * callIds}.
   */
  public ObjectNode read(List<String> callIds) throws Exception {
    refresh();
    Map<String, ObjectNode> calls = new LinkedHashMap<>();
    for (String id : callIds) {
      ObjectNode c = JSON.createObjectNode();
      c.put("callId", id);
      c.putArray("alerts");
      c.putObject("summary");
      c.putArray("utterances");
      calls.put(id, c);
    }
    for (JsonNode s : search("callqa-calls-*", callIds, null)) {
      calls.get(s.path("callId").asText()).set("summary", s);
    }
    for (JsonNode a : search("callqa-alerts-*", callIds, "atMs")) {
      ((ArrayNode) calls.get(a.path("callId").asText()).get("alerts")).add(a);
    }
    for (JsonNode u : search("callqa-utterances-*", callIds, "startMs")) {
      ObjectNode o = JSON.createObjectNode();
      o.put("role", u.path("role").asText());
      o.put("startMs", u.path("startMs").asLong());
      o.put("endMs", u.path("endMs").asLong());
      o.put("text", u.path("text").asText());
      o.put("language", u.path("language").asText());
      o.put("emotion", u.path("emotion").asText());
      o.put("modelEmotion", u.path("modelEmotion").asText());
      o.put("event", u.path("event").asText());
      o.put("status", u.path("status").asText());
      o.put("utteranceId", u.path("utteranceId").asText());
      ((ArrayNode) calls.get(u.path("callId").asText()).get("utterances")).add(o);
    }
    ObjectNode root = JSON.createObjectNode();
    ArrayNode array = root.putArray("calls");
    calls.values().forEach(array::add);
    return root;
  }

  private void refresh() throws Exception {
    es.post(
        "/callqa-*/_refresh?ignore_unavailable=true&allow_no_indices=true",
        "application/json",
        new byte[0]);
  }

  private List<JsonNode> search(String index, Collection<String> callIds, String sortField)
      throws Exception {
    ObjectNode q = JSON.createObjectNode();
    q.put("size", MAX_HITS);
    ArrayNode ids = q.putObject("query").putObject("terms").putArray("callId");
    callIds.forEach(ids::add);
    if (sortField != null) {
      q.putArray("sort").addObject().put(sortField, "asc");
    }
    JsonHttp.Response r =
        es.post(
            "/" + index + "/_search?ignore_unavailable=true&allow_no_indices=true",
            "application/json",
            q.toString().getBytes(StandardCharsets.UTF_8));
    if (!r.ok()) {
      throw new IllegalStateException("search " + index + " failed: " + r.errorText());
    }
    return java.util.stream.StreamSupport.stream(
            r.json().path("hits").path("hits").spliterator(), false)
        .map(h -> h.get("_source"))
        .toList();
  }
}
