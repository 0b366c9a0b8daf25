package io.callqa.jobs.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callqa.operators.sinks.elasticsearch.documents.IndexNames;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The saved objects of an NDJSON file, read the way Kibana reads them: the panels' data views,
 * fields, aggregations and queries, for checks against the index templates and the real
 * Elasticsearch.
 */
final class SavedObjects {
  static final ObjectMapper JSON = new ObjectMapper();

  final List<JsonNode> objects = new ArrayList<>();

  /** One Lens column. */
  record Column(String id, String operation, String field, boolean bucketed, JsonNode params) {}

  /** A Lens visualization with its single layer's columns in Lens' column order. */
  record Lens(
      String id,
      String title,
      String visualizationType,
      String dataViewId,
      String kql,
      List<Column> columns) {}

  /** A saved search. */
  record Search(
      String id,
      String title,
      String dataViewId,
      List<String> columns,
      String sortField,
      String sortDirection) {}

  /** A dashboard control filtering on one field of a data view. */
  record Control(String dashboardId, String id, String type, String field, String dataViewId) {}

  List<Control> controls() throws IOException {
    List<Control> out = new ArrayList<>();
    for (JsonNode d : ofType("dashboard")) {
      JsonNode group = d.path("attributes").path("controlGroupInput");
      if (group.isMissingNode()) {
        continue;
      }
      JsonNode panels = JSON.readTree(group.path("panelsJSON").asText());
      for (Map.Entry<String, JsonNode> e : iterable(panels)) {
        String view = null;
        for (JsonNode ref : d.path("references")) {
          if (ref.path("name").asText().startsWith("controlGroup_" + e.getKey() + ":")) {
            view = ref.path("id").asText();
          }
        }
        out.add(
            new Control(
                d.path("id").asText(),
                e.getKey(),
                e.getValue().path("type").asText(),
                e.getValue().path("explicitInput").path("fieldName").asText(),
                view));
      }
    }
    return out;
  }

  private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
    return node::fields;
  }

  /** Parses every line; fails with the line number on the first that is not a JSON object. */
  static SavedObjects parse(String ndjson) {
    SavedObjects s = new SavedObjects();
    String[] lines = ndjson.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      try {
        JsonNode node = JSON.readTree(lines[i]);
        if (!node.isObject()) {
          throw new IllegalArgumentException("line " + (i + 1) + " is not a JSON object");
        }
        s.objects.add(node);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "line " + (i + 1) + " is not JSON: " + e.getMessage(), e);
      }
    }
    return s;
  }

  List<JsonNode> ofType(String type) {
    return objects.stream().filter(o -> o.path("type").asText().equals(type)).toList();
  }

  JsonNode find(String type, String id) {
    return objects.stream()
        .filter(o -> o.path("type").asText().equals(type) && o.path("id").asText().equals(id))
        .findFirst()
        .orElse(null);
  }

  String dataViewTitle(String id) {
    return find("index-pattern", id).path("attributes").path("title").asText();
  }

  String dataViewTimeField(String id) {
    return find("index-pattern", id).path("attributes").path("timeFieldName").asText();
  }

  List<Lens> lens() {
    List<Lens> out = new ArrayList<>();
    for (JsonNode o : ofType("lens")) {
      JsonNode attributes = o.path("attributes");
      JsonNode layers =
          attributes.path("state").path("datasourceStates").path("formBased").path("layers");
      if (layers.size() != 1) {
        throw new IllegalArgumentException(
            o.path("id").asText() + ": expected one layer, found " + layers.size());
      }
      Map.Entry<String, JsonNode> layer = layers.fields().next();
      String dataView = null;
      for (JsonNode ref : o.path("references")) {
        if (ref.path("name").asText().equals("indexpattern-datasource-layer-" + layer.getKey())) {
          dataView = ref.path("id").asText();
        }
      }
      List<Column> columns = new ArrayList<>();
      for (JsonNode id : layer.getValue().path("columnOrder")) {
        JsonNode c = layer.getValue().path("columns").path(id.asText());
        columns.add(
            new Column(
                id.asText(),
                c.path("operationType").asText(),
                c.path("sourceField").asText(),
                c.path("isBucketed").asBoolean(),
                c.path("params")));
      }
      out.add(
          new Lens(
              o.path("id").asText(),
              attributes.path("title").asText(),
              attributes.path("visualizationType").asText(),
              dataView,
              attributes.path("state").path("query").path("query").asText(),
              columns));
    }
    return out;
  }

  List<Search> searches() {
    List<Search> out = new ArrayList<>();
    for (JsonNode o : ofType("search")) {
      JsonNode a = o.path("attributes");
      List<String> columns = new ArrayList<>();
      a.path("columns").forEach(c -> columns.add(c.asText()));
      String dataView = null;
      for (JsonNode ref : o.path("references")) {
        if (ref.path("type").asText().equals("index-pattern")) {
          dataView = ref.path("id").asText();
        }
      }
      JsonNode sort = a.path("sort").path(0);
      out.add(
          new Search(
              o.path("id").asText(),
              a.path("title").asText(),
              dataView,
              columns,
              sort.path(0).asText(),
              sort.path(1).asText()));
    }
    return out;
  }

  /** The index family whose daily indices a data view title (an index pattern) matches. */
  static IndexNames familyOf(String title) {
    IndexNames found = null;
    for (IndexNames family : IndexNames.values()) {
      if (glob(title)
          .matcher(family.index("acme", Instant.parse("2026-11-21T00:00:00Z")))
          .matches()) {
        if (found != null) {
          throw new IllegalArgumentException(title + " matches both " + found + " and " + family);
        }
        found = family;
      }
    }
    return found;
  }

  /** An index pattern (with * wildcards, comma-separated alternatives) as a regex. */
  static Pattern glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    Iterator<String> parts = List.of(pattern.split(",")).iterator();
    while (parts.hasNext()) {
      regex.append(Pattern.quote(parts.next().trim()).replace("*", "\\E.*\\Q"));
      if (parts.hasNext()) {
        regex.append('|');
      }
    }
    return Pattern.compile(regex.toString());
  }
}
