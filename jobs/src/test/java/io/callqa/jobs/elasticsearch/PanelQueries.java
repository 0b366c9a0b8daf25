package io.callqa.jobs.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a Lens panel or a saved search of the NDJSON into the Elasticsearch request Kibana would
 * send for it (terms / date histograms nested in column order, metrics inside, the panel's KQL as a
 * query), so the panels can be run against a real index. KQL is supported in the forms the
 * dashboards use; any other form fails loudly rather than being skipped.
 */
final class PanelQueries {
  private PanelQueries() {}

  private static final Pattern KQL_VALUE =
      Pattern.compile("^([\\w.@]+)\\s*:\\s*(\"[^\"]*\"|true|false)$");
  private static final Pattern KQL_ANY_OF =
      Pattern.compile("^([\\w.@]+)\\s*:\\s*\\((\"[^\"]*\"(?:\\s+or\\s+\"[^\"]*\")*)\\)$");

  /** The query for a panel: its KQL, plus any extra filters (time range, a dashboard query). */
  static ObjectNode query(String kql, List<JsonNode> filters) {
    ObjectNode bool = SavedObjects.JSON.createObjectNode();
    ArrayNode filter = bool.putObject("bool").putArray("filter");
    if (!kql.isBlank()) {
      filter.add(kql(kql));
    }
    filters.forEach(filter::add);
    return bool;
  }

  static JsonNode kql(String kql) {
    ObjectNode q = SavedObjects.JSON.createObjectNode();
    Matcher one = KQL_VALUE.matcher(kql.trim());
    if (one.matches()) {
      String v = one.group(2);
      if (v.startsWith("\"")) {
        q.putObject("term").put(one.group(1), v.substring(1, v.length() - 1));
      } else {
        q.putObject("term").put(one.group(1), Boolean.parseBoolean(v));
      }
      return q;
    }
    Matcher any = KQL_ANY_OF.matcher(kql.trim());
    if (any.matches()) {
      ArrayNode values = q.putObject("terms").putArray(any.group(1));
      Matcher value = Pattern.compile("\"([^\"]*)\"").matcher(any.group(2));
      while (value.find()) {
        values.add(value.group(1));
      }
      return q;
    }
    throw new IllegalArgumentException("KQL form not supported by the test translator: " + kql);
  }

  /** The search body of a Lens panel. */
  static ObjectNode lens(SavedObjects.Lens lens, List<JsonNode> filters) {
    ObjectNode body = SavedObjects.JSON.createObjectNode();
    body.put("size", 0);
    body.put("track_total_hits", true);
    body.set("query", query(lens.kql(), filters));
    List<SavedObjects.Column> buckets = new ArrayList<>();
    List<SavedObjects.Column> metrics = new ArrayList<>();
    for (SavedObjects.Column c : lens.columns()) {
      (c.bucketed() ? buckets : metrics).add(c);
    }
    ObjectNode aggs = body.putObject("aggs");
    for (SavedObjects.Column b : buckets) {
      ObjectNode agg = aggs.putObject(b.id());
      switch (b.operation()) {
        case "terms" -> {
          ObjectNode terms = agg.putObject("terms");
          terms.put("field", b.field());
          terms.put("size", b.params().path("size").asInt(10));
          JsonNode orderBy = b.params().path("orderBy");
          String direction = b.params().path("orderDirection").asText("desc");
          if (orderBy.path("type").asText().equals("alphabetical")) {
            terms.putObject("order").put("_key", direction);
          } else {
            String by = orderBy.path("columnId").asText();
            SavedObjects.Column target =
                metrics.stream()
                    .filter(m -> m.id().equals(by))
                    .findFirst()
                    .orElseThrow(
                        () ->
                            new IllegalArgumentException(
                                lens.id() + ": orders by unknown column " + by));
            terms
                .putObject("order")
                .put(target.operation().equals("count") ? "_count" : by, direction);
          }
        }
        case "date_histogram" -> {
          ObjectNode h = agg.putObject("date_histogram");
          h.put("field", b.field());
          String interval = b.params().path("interval").asText("auto");
          h.put("fixed_interval", interval.equals("auto") ? "1h" : interval);
          h.put("min_doc_count", 1);
        }
        default ->
            throw new IllegalArgumentException(lens.id() + ": bucket operation " + b.operation());
      }
      aggs = agg.putObject("aggs");
    }
    for (SavedObjects.Column m : metrics) {
      switch (m.operation()) {
        case "count" -> {}
        case "average" -> aggs.putObject(m.id()).putObject("avg").put("field", m.field());
        case "sum", "min", "max" ->
            aggs.putObject(m.id()).putObject(m.operation()).put("field", m.field());
        case "unique_count" ->
            aggs.putObject(m.id()).putObject("cardinality").put("field", m.field());
        case "last_value" -> {
          ObjectNode top = aggs.putObject(m.id()).putObject("top_hits");
          top.put("size", 1);
          top.put("_source", false);
          top.putArray("docvalue_fields").add(m.field());
          top.putArray("sort")
              .addObject()
              .putObject(m.params().path("sortField").asText())
              .put("order", "desc");
        }
        default ->
            throw new IllegalArgumentException(lens.id() + ": metric operation " + m.operation());
      }
    }
    if (aggs.isEmpty()) {
      removeEmptyAggs(body);
    }
    return body;
  }

  private static void removeEmptyAggs(ObjectNode node) {
    var it = node.fields();
    while (it.hasNext()) {
      var e = it.next();
      if (e.getKey().equals("aggs") && e.getValue().isEmpty()) {
        it.remove();
      } else if (e.getValue() instanceof ObjectNode o) {
        removeEmptyAggs(o);
      }
    }
  }

  /** The search body of a saved search: newest (or oldest) documents with the columns. */
  static ObjectNode search(SavedObjects.Search search, List<JsonNode> filters) {
    ObjectNode body = SavedObjects.JSON.createObjectNode();
    body.put("size", 50);
    body.set("query", query("", filters));
    body.putArray("sort").addObject().put(search.sortField(), search.sortDirection());
    return body;
  }

  /**
   * Problems with a Lens result: no buckets at some level, or a metric column without a value in
   * any innermost bucket.
   */
  static List<String> emptiness(SavedObjects.Lens lens, JsonNode response) {
    List<String> problems = new ArrayList<>();
    if (response.path("hits").path("total").path("value").asLong() == 0) {
      problems.add("no documents match");
      return problems;
    }
    List<SavedObjects.Column> buckets =
        lens.columns().stream().filter(SavedObjects.Column::bucketed).toList();
    List<SavedObjects.Column> metrics = lens.columns().stream().filter(c -> !c.bucketed()).toList();
    List<JsonNode> level = List.of(response.path("aggregations"));
    for (SavedObjects.Column b : buckets) {
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode parent : level) {
        parent.path(b.id()).path("buckets").forEach(next::add);
      }
      if (next.isEmpty()) {
        problems.add(
            "column " + b.id() + " (" + b.operation() + " " + b.field() + ") has no buckets");
        return problems;
      }
      level = next;
    }
    for (SavedObjects.Column m : metrics) {
      boolean found = false;
      for (JsonNode bucket : level) {
        found |= hasValue(m, bucket);
      }
      if (!found) {
        problems.add(
            "metric " + m.id() + " (" + m.operation() + " " + m.field() + ") has no value");
      }
    }
    return problems;
  }

  private static boolean hasValue(SavedObjects.Column m, JsonNode bucket) {
    return switch (m.operation()) {
      case "count" -> bucket.has("doc_count") ? bucket.path("doc_count").asLong() > 0 : true;
      case "last_value" ->
          !bucket
              .path(m.id())
              .path("hits")
              .path("hits")
              .path(0)
              .path("fields")
              .path(m.field())
              .isMissingNode();
      default -> bucket.path(m.id()).path("value").isNumber();
    };
  }
}
