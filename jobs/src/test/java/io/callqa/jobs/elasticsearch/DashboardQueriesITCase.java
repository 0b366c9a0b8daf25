package io.callqa.jobs.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callqa.devstack.DevStack;
import io.callqa.devstack.DevStackExtension;
import io.callqa.operators.sinks.elasticsearch.documents.IndexNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every dashboard panel's query and aggregations, run on the real Elasticsearch of the dev stack
 * with the templates installed and a realistic day of calls written through callqa's mappers,
 * within the dashboards' default time range (last 7 days), returns data.
 */
@ExtendWith(DevStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardQueriesITCase {
  private static final Instant NOW = Instant.now();

  private EsTestClient es;
  private SavedObjects saved;
  private SampleCalls calls;

  @BeforeAll
  void indexADayOfCalls(DevStack stack) throws Exception {
    es = new EsTestClient(stack.elasticsearchUrl());
    es.deleteCallqaIndicesAndTemplates();
    new TemplateInstaller(new JsonHttp(stack.elasticsearchUrl(), null, Duration.ofSeconds(60)))
        .install(IndexTemplates.all(1, 0), false, r -> {});
    calls = new SampleCalls(NOW);
    es.bulk(calls.documents());
    saved = KibanaDashboardsTest.committed();
  }

  private List<JsonNode> lastSevenDays(String dataViewId) {
    ObjectNode range = SavedObjects.JSON.createObjectNode();
    range
        .putObject("range")
        .putObject(saved.dataViewTimeField(dataViewId))
        .put("gte", "now-7d")
        .put("lte", "now");
    return List.of(range);
  }

  @Test
  void everyLensPanelReturnsData() throws Exception {
    Map<String, List<String>> problems = new LinkedHashMap<>();
    for (SavedObjects.Lens lens : saved.lens()) {
      String index = saved.dataViewTitle(lens.dataViewId());
      JsonNode response =
          es.search(index, PanelQueries.lens(lens, lastSevenDays(lens.dataViewId())));
      List<String> p = PanelQueries.emptiness(lens, response);
      if (!p.isEmpty()) {
        problems.put(lens.id() + " on " + index, p);
      }
    }
    assertThat(saved.lens()).hasSizeGreaterThan(15);
    assertThat(problems).isEmpty();
  }

  @Test
  void everySavedSearchReturnsDocumentsWithItsColumns() throws Exception {
    List<String> problems = new ArrayList<>();
    for (SavedObjects.Search search : saved.searches()) {
      String index = saved.dataViewTitle(search.dataViewId());
      JsonNode hits =
          es.search(index, PanelQueries.search(search, lastSevenDays(search.dataViewId())))
              .path("hits")
              .path("hits");
      if (hits.isEmpty()) {
        problems.add(search.id() + ": no documents");
        continue;
      }
      for (String column : search.columns()) {
        boolean seen = false;
        for (JsonNode hit : hits) {
          seen |= !hit.path("_source").path(column).isMissingNode();
        }
        if (!seen) {
          problems.add(search.id() + ": no document has " + column);
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void drillDownPanelsFilteredByOneCallShowOnlyThatCall() throws Exception {
    JsonNode dashboard = saved.find("dashboard", "callqa-dashboard-call-drill-down");
    Set<String> panelIds = new java.util.HashSet<>();
    dashboard.path("references").forEach(r -> panelIds.add(r.path("id").asText()));
    ObjectNode oneCall = SavedObjects.JSON.createObjectNode();
    oneCall.putObject("term").put("callId", SampleCalls.ANGRY_CALL);

    for (SavedObjects.Lens lens : saved.lens()) {
      if (!panelIds.contains(lens.id())) {
        continue;
      }
      List<JsonNode> filters = new ArrayList<>(lastSevenDays(lens.dataViewId()));
      filters.add(oneCall);
      JsonNode response =
          es.search(saved.dataViewTitle(lens.dataViewId()), PanelQueries.lens(lens, filters));
      assertThat(PanelQueries.emptiness(lens, response)).as(lens.id()).isEmpty();
      assertThat(response.path("hits").path("total").path("value").asLong())
          .as(lens.id() + " counts only the call's utterances")
          .isEqualTo(calls.utterancesOf(SampleCalls.ANGRY_CALL));
    }

    SavedObjects.Lens transcript =
        saved.lens().stream()
            .filter(l -> l.id().equals("callqa-lens-call-transcript"))
            .findFirst()
            .orElseThrow();
    List<JsonNode> filters = new ArrayList<>(lastSevenDays(transcript.dataViewId()));
    filters.add(oneCall);
    JsonNode rows =
        es.search(
                saved.dataViewTitle(transcript.dataViewId()),
                PanelQueries.lens(transcript, filters))
            .path("aggregations")
            .path("utterance")
            .path("buckets");
    assertThat(rows).hasSize((int) calls.utterancesOf(SampleCalls.ANGRY_CALL));
    double previousStart = -1;
    for (JsonNode row : rows) {
      double start = row.path("start").path("value").asDouble();
      assertThat(start).as("transcript rows in call order").isGreaterThan(previousStart);
      previousStart = start;
    }
    assertThat(
            rows.get(1)
                .path("role")
                .path("hits")
                .path("hits")
                .get(0)
                .path("fields")
                .path("role")
                .get(0)
                .asText())
        .isEqualTo("customer");
    assertThat(
            rows.get(1)
                .path("text")
                .path("hits")
                .path("hits")
                .get(0)
                .path("fields")
                .path("text.keyword")
                .get(0)
                .asText())
        .isEqualTo("我的账单又错了，太慢了");

    for (SavedObjects.Search search : saved.searches()) {
      if (!panelIds.contains(search.id())) {
        continue;
      }
      List<JsonNode> f = new ArrayList<>(lastSevenDays(search.dataViewId()));
      f.add(oneCall);
      JsonNode hits =
          es.search(saved.dataViewTitle(search.dataViewId()), PanelQueries.search(search, f))
              .path("hits")
              .path("hits");
      assertThat(hits).as(search.id()).isNotEmpty();
      hits.forEach(
          h ->
              assertThat(h.path("_source").path("callId").asText())
                  .isEqualTo(SampleCalls.ANGRY_CALL));
    }
  }

  @Test
  void dashboardControlsOfferTheCalls() throws Exception {
    for (SavedObjects.Control c : saved.controls()) {
      ObjectNode body = SavedObjects.JSON.createObjectNode();
      body.put("size", 0);
      body.putObject("aggs")
          .putObject("options")
          .putObject("terms")
          .put("field", c.field())
          .put("size", 100);
      List<String> options = new ArrayList<>();
      es.search(saved.dataViewTitle(c.dataViewId()), body)
          .path("aggregations")
          .path("options")
          .path("buckets")
          .forEach(b -> options.add(b.path("key").asText()));
      assertThat(options)
          .as(c.toString())
          .contains(SampleCalls.ANGRY_CALL)
          .hasSize(calls.summaries.size());
    }
  }

  @Test
  void overviewNumbersAreTheSampleDaysNumbers() throws Exception {
    List<JsonNode> none = List.of();
    SavedObjects.Lens inspected =
        saved.lens().stream()
            .filter(l -> l.id().equals("callqa-lens-calls-inspected"))
            .findFirst()
            .orElseThrow();
    JsonNode r =
        es.search(saved.dataViewTitle(inspected.dataViewId()), PanelQueries.lens(inspected, none));
    assertThat(r.path("hits").path("total").path("value").asLong())
        .isEqualTo(calls.summaries.size());

    SavedObjects.Lens banned =
        saved.lens().stream()
            .filter(l -> l.id().equals("callqa-lens-banned-phrases-per-agent"))
            .findFirst()
            .orElseThrow();
    JsonNode agents =
        es.search(saved.dataViewTitle(banned.dataViewId()), PanelQueries.lens(banned, none))
            .path("aggregations")
            .path("x")
            .path("buckets");
    Map<String, Long> perAgent = new LinkedHashMap<>();
    agents.forEach(b -> perAgent.put(b.path("key").asText(), b.path("doc_count").asLong()));
    assertThat(perAgent).containsOnly(Map.entry("agent-li", 1L), Map.entry("agent-wang", 1L));

    SavedObjects.Lens scores =
        saved.lens().stream()
            .filter(l -> l.id().equals("callqa-lens-score-distribution"))
            .findFirst()
            .orElseThrow();
    List<String> bands = new ArrayList<>();
    es.search(saved.dataViewTitle(scores.dataViewId()), PanelQueries.lens(scores, none))
        .path("aggregations")
        .path("x")
        .path("buckets")
        .forEach(b -> bands.add(b.path("key").asText()));
    assertThat(bands).containsExactly("40-49", "60-69", "70-79", "90-100");

    assertThat(es.count(IndexNames.ALERTS.readAlias())).isEqualTo(calls.alerts.size());
  }
}
