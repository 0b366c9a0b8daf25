package io.callqa.jobs.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.callqa.operators.sinks.elasticsearch.EsDocument;
import io.callqa.operators.sinks.elasticsearch.documents.CallSummaryDocuments;
import io.callqa.operators.sinks.elasticsearch.documents.IndexNames;
import io.callqa.schemas.CallSummary;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks on a real Elasticsearch that the installed templates shape the indices callqa's mappers
 * write into (for SetupEsITCase, which lives with the CLI).
 */
public final class ElasticsearchChecks {
  private static final Instant NOW = Instant.now();

  private final EsTestClient es;
  private final SampleCalls calls = new SampleCalls(NOW);

  public ElasticsearchChecks(String url) {
    this.es = new EsTestClient(url);
  }

  public void deleteCallqaIndicesAndTemplates() throws Exception {
    es.deleteCallqaIndicesAndTemplates();
  }

  public int status(String path) throws Exception {
    return es.http.get(path).status();
  }

  public void put(String path, String json) throws Exception {
    JsonHttp.Response r = es.http.put(path, SavedObjects.JSON.readTree(json));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  public void delete(String path) throws Exception {
    es.http.delete(path);
  }

  /** The sample day through the mappers, one document with fields no template names, twice. */
  public void indexSampleDocuments() throws Exception {
    List<EsDocument> docs = new ArrayList<>(calls.documents());
    String unknownFields =
        "{\"@timestamp\": \""
            + NOW
            + "\", \"tenant\": \"acme\", \"callId\": \"call-new-fields\","
            + " \"customerText\": \"a field added to the schema later\", \"newLabel\": \"x\","
            + " \"newScore\": 0.5, \"newCount\": 3, \"newAt\": \"2026-11-21T10:00:00.000Z\"}";
    docs.add(
        new EsDocument(
            IndexNames.UTTERANCES.index("acme", NOW),
            "call-new-fields/AGENT/0",
            unknownFields.getBytes(StandardCharsets.UTF_8)));
    es.bulk(docs);
    long utterances = es.count(IndexNames.UTTERANCES.readAlias());
    es.bulk(docs); // a replay: same ids, so the same documents are overwritten
    assertThat(es.count(IndexNames.UTTERANCES.readAlias())).isEqualTo(utterances);
    assertThat(utterances).isEqualTo(calls.utterances.size() + 1);
    assertThat(es.count(IndexNames.ALERTS.readAlias())).isEqualTo(calls.alerts.size());
    assertThat(es.count(IndexNames.CALLS.readAlias())).isEqualTo(calls.summaries.size());
    assertThat(es.count(IndexNames.DEAD_LETTERS.readPattern())).isEqualTo(calls.deadLetters.size());
    assertThat(es.count(IndexNames.DEAD_LETTERS.prefix())).as("the sink's own index").isEqualTo(1);
  }

  public void assertMappingsAndSettings(int replicas) throws Exception {
    for (JsonNode m : mappings(IndexNames.UTTERANCES)) {
      JsonNode p = m.path("properties");
      assertThat(p.at("/text/type").asText()).isEqualTo("text");
      assertThat(p.at("/text/fields/keyword/type").asText()).isEqualTo("keyword");
      assertThat(p.at("/@timestamp/type").asText()).isEqualTo("date");
      assertThat(p.at("/startedAt/type").asText()).isEqualTo("date");
      assertThat(p.at("/role/type").asText()).isEqualTo("keyword");
      assertThat(p.at("/emotion/type").asText()).isEqualTo("keyword");
      assertThat(p.at("/startSec/type").asText()).isEqualTo("float");
    }
    JsonNode withNewFields =
        es.get("/" + IndexNames.UTTERANCES.index("acme", NOW) + "/_mapping")
            .elements()
            .next()
            .path("mappings")
            .path("properties");
    assertThat(withNewFields.at("/customerText/type").asText()).isEqualTo("text");
    assertThat(withNewFields.at("/customerText/fields/keyword/type").asText()).isEqualTo("keyword");
    assertThat(withNewFields.at("/newLabel/type").asText()).isEqualTo("keyword");
    assertThat(withNewFields.at("/newScore/type").asText()).isEqualTo("double");
    assertThat(withNewFields.at("/newCount/type").asText()).isEqualTo("long");
    assertThat(withNewFields.at("/newAt/type").asText()).isEqualTo("date");

    for (JsonNode m : mappings(IndexNames.ALERTS)) {
      JsonNode p = m.path("properties");
      assertThat(p.at("/evidence/type").asText()).isEqualTo("nested");
      assertThat(p.at("/evidence/properties/text/type").asText()).isEqualTo("text");
      assertThat(p.at("/evidence/properties/role/type").asText()).isEqualTo("keyword");
      assertThat(p.at("/evidenceSummary/type").asText()).isEqualTo("text");
      assertThat(p.at("/rule/type").asText()).isEqualTo("keyword");
      assertThat(p.at("/triggerArrivedAtEpochMs/type").asText()).isEqualTo("date");
    }
    for (JsonNode m : mappings(IndexNames.CALLS)) {
      JsonNode p = m.path("properties");
      assertThat(p.at("/coverage/properties/slotsCut/type").asText()).isEqualTo("long");
      assertThat(p.at("/coverageComplete/type").asText()).isEqualTo("boolean");
      assertThat(p.at("/scoreBand/type").asText()).isEqualTo("keyword");
      assertThat(p.at("/alertRules/type").asText()).isEqualTo("keyword");
      if (p.at("/alertsByRule/properties").size() > 0) {
        p.at("/alertsByRule/properties")
            .elements()
            .forEachRemaining(rule -> assertThat(rule.path("type").asText()).isEqualTo("integer"));
      }
    }
    boolean someRuleCounted = false;
    for (JsonNode m : mappings(IndexNames.CALLS)) {
      someRuleCounted |=
          m.at("/properties/alertsByRule/properties/banned_phrase/type").asText().equals("integer");
    }
    assertThat(someRuleCounted).as("alertsByRule.banned_phrase mapped as integer").isTrue();
    for (JsonNode m : mappings(IndexNames.DEAD_LETTERS)) {
      assertThat(m.at("/properties/atEpochMs/type").asText()).isEqualTo("date");
      assertThat(m.at("/properties/rawKeyText/type").asText()).isEqualTo("keyword");
    }

    JsonNode sink =
        es.get("/" + IndexNames.DEAD_LETTERS.prefix() + "/_mapping")
            .path(IndexNames.DEAD_LETTERS.prefix())
            .path("mappings")
            .path("properties");
    assertThat(sink.at("/status/type").asText()).as("the sink's dead letters").isEqualTo("integer");
    assertThat(sink.at("/source/type").asText()).isEqualTo("text");
    assertThat(sink.at("/atEpochMs/type").asText()).isEqualTo("date");
    assertThat(sink.at("/index/type").asText()).isEqualTo("keyword");

    for (IndexNames family : IndexNames.values()) {
      JsonNode settings = es.get("/" + family.readPattern() + "/_settings");
      assertThat(settings.size()).as(family + " indices").isGreaterThan(0);
      settings
          .fields()
          .forEachRemaining(
              e -> {
                JsonNode index = e.getValue().path("settings").path("index");
                assertThat(index.path("number_of_replicas").asText())
                    .as(e.getKey())
                    .isEqualTo(Integer.toString(replicas));
                assertThat(index.path("number_of_shards").asText()).as(e.getKey()).isEqualTo("1");
              });
    }

    String nested =
        "{\"query\": {\"nested\": {\"path\": \"evidence\", \"query\": {\"bool\": {\"must\": ["
            + "{\"match\": {\"evidence.text\": \"投诉\"}}, {\"term\": {\"evidence.role\": \"customer\"}}]}}}}}";
    JsonNode hits = es.search(IndexNames.ALERTS.readPattern(), SavedObjects.JSON.readTree(nested));
    assertThat(hits.at("/hits/total/value").asLong()).as("nested evidence query").isGreaterThan(0);
    assertThat(hits.at("/hits/hits/0/_source/rule").asText())
        .isIn("anger_escalation", "complaint_risk");
  }

  /** After setup-es --replicas N, a newly created daily index has N replicas. */
  public void assertNewIndicesGetReplicas(int replicas) throws Exception {
    Instant later = NOW.plus(3, ChronoUnit.DAYS);
    CallSummary c =
        CallSummary.newBuilder(calls.summaries.get(0))
            .setStartedAt(later)
            .setCallId("call-later")
            .build();
    EsDocument doc = new CallSummaryDocuments().toDocument(c);
    es.bulk(List.of(doc));
    JsonNode index =
        es.get("/" + doc.index() + "/_settings").path(doc.index()).path("settings").path("index");
    assertThat(index.path("number_of_replicas").asText()).isEqualTo(Integer.toString(replicas));
    es.http.delete("/" + doc.index());
  }

  private List<JsonNode> mappings(IndexNames family) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e :
        iterable(es.get("/" + family.readPattern() + "/_mapping"))) {
      out.add(e.getValue().path("mappings"));
    }
    assertThat(out).as(family + " indices").isNotEmpty();
    return out;
  }

  private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
    return node::fields;
  }
}
