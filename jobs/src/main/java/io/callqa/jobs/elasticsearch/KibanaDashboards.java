package io.callqa.jobs.elasticsearch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callqa.operators.sinks.elasticsearch.documents.IndexNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Emits callqa's Kibana saved objects (data views, Lens visualizations, saved searches and four
 * dashboards) as NDJSON for Kibana's saved objects import, in the 8.x format that Kibana 8.19 and
 * 9.x both import (Kibana migrates older objects forward on import, never backward).
 *
 * <p>The committed artifact is {@code dashboards/callqa.ndjson}; {@code KibanaDashboardsTest} fails
 * when it differs from what this class emits. Regenerate it after a change here with {@code mvn -pl
 * jobs -am test -Dtest=KibanaDashboardsTest -Dcallqa.dashboards.write=true
 * -Dsurefire.failIfNoSpecifiedTests=false} (or this class's {@code main}).
 *
 * <p>Panels only use what Kibana data views of callqa's index templates offer: keyword fields for
 * terms, {@code @timestamp} for date histograms, numeric fields for averages and sums; nested
 * fields (alert evidence) are shown through the flat {@code evidenceSummary} field, since Lens
 * cannot aggregate nested fields.
 */
public final class KibanaDashboards {
  /** Where the NDJSON lives in the repository. */
  public static final String FILE = "dashboards/callqa.ndjson";

  /** The saved-object format version the objects are written in (Kibana migrates forward). */
  static final String CORE_MIGRATION_VERSION = "8.8.0";

  static final String LENS_VERSION = "8.9.0";
  static final String DASHBOARD_VERSION = "8.7.0";
  static final String PANEL_VERSION = "8.9.0";
  static final String DATA_VIEW_VERSION = "8.0.0";
  static final String SEARCH_VERSION = "8.0.0";

  static final String LAYER = "layer1";
  static final String RECORDS = "___records___";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** A Kibana data view over one index family. */
  public record DataView(String id, String title, String timeField, String name) {}

  public static final DataView UTTERANCES =
      new DataView(
          "callqa-utterances",
          IndexNames.UTTERANCES.readPattern(),
          "@timestamp",
          "callqa utterances");
  public static final DataView CALLS =
      new DataView("callqa-calls", IndexNames.CALLS.readPattern(), "@timestamp", "callqa calls");
  public static final DataView ALERTS =
      new DataView("callqa-alerts", IndexNames.ALERTS.readPattern(), "@timestamp", "callqa alerts");

  /**
   * Both the daily dead-letter indices and the sink's own {@code callqa-deadletters}; their common
   * time field is {@code atEpochMs} (the sink's dead letters have no {@code @timestamp}).
   */
  public static final DataView DEAD_LETTERS =
      new DataView(
          "callqa-deadletters",
          IndexNames.DEAD_LETTERS.prefix() + "*",
          "atEpochMs",
          "callqa dead letters");

  public static final List<DataView> DATA_VIEWS = List.of(UTTERANCES, CALLS, ALERTS, DEAD_LETTERS);

  private KibanaDashboards() {}

  /** Writes the NDJSON to the given file (default {@value #FILE}). */
  public static void main(String[] args) throws IOException {
    Path file = Paths.get(args.length > 0 ? args[0] : FILE);
    write(file);
    System.out.println("wrote " + objects().size() + " saved objects to " + file);
  }

  public static void write(Path file) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(file, ndjson(), StandardCharsets.UTF_8);
  }

  /** All saved objects, one JSON object per line, referenced objects before those that use them. */
  public static String ndjson() {
    StringBuilder out = new StringBuilder();
    for (ObjectNode o : objects()) {
      try {
        out.append(JsonHttp.JSON.writeValueAsString(o)).append('\n');
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    return out.toString();
  }

  /** All saved objects, data views first, dashboards last. */
  public static List<ObjectNode> objects() {
    List<ObjectNode> out = new ArrayList<>();
    for (DataView v : DATA_VIEWS) {
      out.add(dataView(v));
    }
    Map<String, Lens> lens = new LinkedHashMap<>();
    Map<String, Search> searches = new LinkedHashMap<>();
    List<Dashboard> dashboards = new ArrayList<>();
    overview(lens, searches, dashboards);
    agents(lens, searches, dashboards);
    alerts(lens, searches, dashboards);
    drillDown(lens, searches, dashboards);
    lens.values().forEach(l -> out.add(l.savedObject()));
    searches.values().forEach(s -> out.add(s.savedObject()));
    dashboards.forEach(d -> out.add(d.savedObject()));
    return out;
  }

  // ---------------------------------------------------------------- dashboards

  private static void overview(
      Map<String, Lens> lens, Map<String, Search> searches, List<Dashboard> dashboards) {
    Lens inspected =
        add(lens, new Lens("callqa-lens-calls-inspected", "Calls inspected", "lnsMetric", CALLS))
            .column("m", count("Calls inspected"))
            .metric("m");
    Lens coverage =
        add(
                lens,
                new Lens(
                    "callqa-lens-coverage", "Coverage % (recognised slots)", "lnsMetric", CALLS))
            .column("m", metric("average", "coveragePercent", "Coverage %"))
            .metric("m");
    Lens complete =
        add(
                lens,
                new Lens(
                    "callqa-lens-calls-fully-covered",
                    "Calls with every chunk and slot accounted for",
                    "lnsMetric",
                    CALLS))
            .query("coverageComplete : true")
            .column("m", count("Fully covered calls"))
            .metric("m");
    Lens deadLetters =
        add(
                lens,
                new Lens(
                    "callqa-lens-dead-letters",
                    "Dead letters (input not inspected)",
                    "lnsMetric",
                    DEAD_LETTERS))
            .column("m", count("Dead letters"))
            .metric("m");
    Lens alertsOverTime =
        add(
                lens,
                new Lens(
                    "callqa-lens-alerts-by-rule-over-time",
                    "Alerts by rule over time",
                    "lnsXY",
                    ALERTS))
            .column("x", dateHistogram("@timestamp", "auto"))
            .column("split", terms("rule", "string", 10, "y", "desc", "Rule"))
            .column("y", count("Alerts"))
            .xy("bar_stacked", "x", "y", "split");
    Lens emotions =
        add(
                lens,
                new Lens("callqa-lens-emotion-by-hour", "Emotion mix by hour", "lnsXY", UTTERANCES))
            .column("x", dateHistogram("@timestamp", "1h"))
            .column("split", terms("emotion", "string", 8, "y", "desc", "Emotion"))
            .column("y", count("Utterances"))
            .xy("bar_percentage_stacked", "x", "y", "split");
    Lens languages =
        add(lens, new Lens("callqa-lens-language-mix", "Language mix", "lnsPie", UTTERANCES))
            .column("g", terms("language", "string", 10, "m", "desc", "Language"))
            .column("m", count("Utterances"))
            .pie("g", "m");
    Search deadLetterList =
        add(
            searches,
            new Search(
                "callqa-search-dead-letters",
                "Dead letters",
                DEAD_LETTERS,
                List.of("stage", "reason", "detail", "callId", "sourceTopic", "index"),
                "atEpochMs",
                "desc"));
    dashboards.add(
        new Dashboard(
                "callqa-dashboard-overview",
                "callqa Overview",
                "Calls inspected, coverage, alerts by rule, emotion and language mix. Dead letters"
                    + " are input that could not be inspected (with the reason).")
            .panel(inspected, 0, 0, 12, 7)
            .panel(coverage, 12, 0, 12, 7)
            .panel(complete, 24, 0, 12, 7)
            .panel(deadLetters, 36, 0, 12, 7)
            .panel(alertsOverTime, 0, 7, 48, 14)
            .panel(emotions, 0, 21, 30, 14)
            .panel(languages, 30, 21, 18, 14)
            .panel(deadLetterList, 0, 35, 48, 12));
  }

  private static void agents(
      Map<String, Lens> lens, Map<String, Search> searches, List<Dashboard> dashboards) {
    Lens scores =
        add(lens, new Lens("callqa-lens-score-distribution", "Score distribution", "lnsXY", CALLS))
            .column("x", terms("scoreBand", "string", 11, null, "asc", "Score band"))
            .column("y", count("Calls"))
            .xy("bar", "x", "y", null);
    Lens scorecard =
        add(lens, new Lens("callqa-lens-agent-scorecard", "Agent scorecard", "lnsDatatable", CALLS))
            .column("agent", terms("agentId", "string", 100, "calls", "desc", "Agent"))
            .column("calls", count("Calls"))
            .column("score", metric("average", "score", "Average score"))
            .column("coverage", metric("average", "coveragePercent", "Coverage %"))
            .column("alerts", metric("sum", "alertsTotal", "Alerts"))
            .table("agent", "calls", "score", "coverage", "alerts");
    Lens banned =
        add(
                lens,
                new Lens(
                    "callqa-lens-banned-phrases-per-agent",
                    "Banned phrases per agent",
                    "lnsXY",
                    ALERTS))
            .query("rule : \"banned_phrase\"")
            .column("x", terms("agentId", "string", 20, "y", "desc", "Agent"))
            .column("y", count("Banned phrases"))
            .xy("bar", "x", "y", null);
    Lens greeting =
        add(
                lens,
                new Lens(
                    "callqa-lens-greeting-closing-per-agent",
                    "Missing greeting / closing per agent",
                    "lnsXY",
                    ALERTS))
            .query("rule : (\"missing_greeting\" or \"missing_closing\")")
            .column("x", terms("agentId", "string", 20, "y", "desc", "Agent"))
            .column("split", terms("rule", "string", 2, "y", "desc", "Rule"))
            .column("y", count("Calls"))
            .xy("bar_stacked", "x", "y", "split");
    dashboards.add(
        new Dashboard(
                "callqa-dashboard-agents",
                "callqa Agents",
                "Per agent: score distribution, scorecard, banned phrases, missing greeting and closing.")
            .panel(scores, 0, 0, 20, 14)
            .panel(scorecard, 20, 0, 28, 14)
            .panel(banned, 0, 14, 24, 14)
            .panel(greeting, 24, 14, 24, 14));
  }

  private static void alerts(
      Map<String, Lens> lens, Map<String, Search> searches, List<Dashboard> dashboards) {
    Lens severity =
        add(
                lens,
                new Lens("callqa-lens-alerts-by-severity", "Alerts by severity", "lnsPie", ALERTS))
            .column("g", terms("severity", "string", 5, "m", "desc", "Severity"))
            .column("m", count("Alerts"))
            .pie("g", "m");
    Lens byRule =
        add(lens, new Lens("callqa-lens-alerts-by-rule", "Alerts by rule", "lnsDatatable", ALERTS))
            .column("rule", terms("rule", "string", 20, "alerts", "desc", "Rule"))
            .column("alerts", count("Alerts"))
            .column("calls", metric("unique_count", "callId", "Calls"))
            .column("latest", metric("max", "@timestamp", "Latest"))
            .table("rule", "alerts", "calls", "latest");
    Lens latest =
        add(lens, new Lens("callqa-lens-latest-alerts", "Latest alerts", "lnsDatatable", ALERTS))
            .column("alert", terms("alertId", "string", 100, "time", "desc", "Alert"))
            .column("time", metric("max", "@timestamp", "Time"))
            .column("rule", lastValue("rule", "string", "Rule"))
            .column("severity", lastValue("severity", "string", "Severity"))
            .column("agent", lastValue("agentId", "string", "Agent"))
            .column("evidence", lastValue("evidenceSummary.keyword", "string", "Evidence"))
            .table("alert", "time", "rule", "severity", "agent", "evidence");
    Search withEvidence =
        add(
            searches,
            new Search(
                "callqa-search-latest-alerts",
                "Latest alerts with evidence",
                ALERTS,
                List.of("rule", "severity", "callId", "agentId", "message", "evidenceSummary"),
                "@timestamp",
                "desc"));
    dashboards.add(
        new Dashboard(
                "callqa-dashboard-alerts",
                "callqa Alerts",
                "Latest alerts with the utterances that made them fire (evidence: role, second in"
                    + " the call, emotion, text).")
            .panel(severity, 0, 0, 16, 12)
            .panel(byRule, 16, 0, 32, 12)
            .panel(withEvidence, 0, 12, 48, 16)
            .panel(latest, 0, 28, 48, 16));
  }

  private static void drillDown(
      Map<String, Lens> lens, Map<String, Search> searches, List<Dashboard> dashboards) {
    Lens speakers =
        add(lens, new Lens("callqa-lens-call-speakers", "Who speaks when", "lnsXY", UTTERANCES))
            .column("x", dateHistogram("@timestamp", "auto"))
            .column("split", terms("role", "string", 3, "y", "desc", "Role"))
            .column("y", metric("sum", "durationSec", "Speech (s)"))
            .xy("bar_stacked", "x", "y", "split");
    Lens emotion =
        add(
                lens,
                new Lens("callqa-lens-call-emotion", "Emotion over the call", "lnsXY", UTTERANCES))
            .column("x", dateHistogram("@timestamp", "auto"))
            .column("split", terms("emotion", "string", 8, "y", "desc", "Emotion"))
            .column("y", count("Utterances"))
            .xy("bar_stacked", "x", "y", "split");
    Lens events =
        add(lens, new Lens("callqa-lens-call-events", "Audio events", "lnsPie", UTTERANCES))
            .column("g", terms("event", "string", 9, "m", "desc", "Event"))
            .column("m", count("Utterances"))
            .pie("g", "m");
    Lens transcript =
        add(lens, new Lens("callqa-lens-call-transcript", "Transcript", "lnsDatatable", UTTERANCES))
            .column("utterance", terms("utteranceId", "string", 500, "start", "asc", "Utterance"))
            .column("start", metric("min", "startSec", "Start (s)"))
            .column("role", lastValue("role", "string", "Role"))
            .column("text", lastValue("text.keyword", "string", "Text"))
            .column("emotion", lastValue("emotion", "string", "Emotion"))
            .column("event", lastValue("event", "string", "Event"))
            .table("utterance", "start", "role", "text", "emotion", "event");
    Search transcriptSearch =
        add(
            searches,
            new Search(
                "callqa-search-call-transcript",
                "Call transcript",
                UTTERANCES,
                List.of("role", "startSec", "text", "emotion", "event", "language"),
                "@timestamp",
                "asc"));
    Search callAlerts =
        add(
            searches,
            new Search(
                "callqa-search-call-alerts",
                "Call alerts",
                ALERTS,
                List.of("rule", "severity", "atSec", "message", "evidenceSummary"),
                "@timestamp",
                "asc"));
    dashboards.add(
        new Dashboard(
                "callqa-dashboard-call-drill-down",
                "callqa Call drill-down",
                "One call: pick it in the Call control (or type callId : \"<id>\" in the query bar)."
                    + " Shows the transcript with role, emotion and audio events over time, and the"
                    + " call's alerts.")
            .optionsList(stableId("call-control"), "Call", "callId", UTTERANCES)
            .panel(speakers, 0, 0, 24, 12)
            .panel(emotion, 24, 0, 24, 12)
            .panel(transcriptSearch, 0, 12, 34, 20)
            .panel(events, 34, 12, 14, 10)
            .panel(callAlerts, 34, 22, 14, 10)
            .panel(transcript, 0, 32, 48, 16));
  }

  /** A UUID derived from a name, so the generated file does not change between runs. */
  static String stableId(String name) {
    return java.util
        .UUID
        .nameUUIDFromBytes(("callqa/" + name).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  private static <T> T add(Map<String, T> objects, T object) {
    String id = object instanceof Lens l ? l.id : ((Search) object).id;
    if (objects.put(id, object) != null) {
      throw new IllegalStateException("duplicate saved object id " + id);
    }
    return object;
  }

  // ---------------------------------------------------------------- data views

  static ObjectNode dataView(DataView v) {
    ObjectNode attributes = NODES.objectNode();
    attributes.put("fieldAttrs", "{}");
    attributes.put("fieldFormatMap", "{}");
    attributes.put("fields", "[]");
    attributes.put("name", v.name());
    attributes.put("runtimeFieldMap", "{}");
    attributes.put("sourceFilters", "[]");
    attributes.put("timeFieldName", v.timeField());
    attributes.put("title", v.title());
    attributes.put("typeMeta", "{}");
    return newSavedObject(
        "index-pattern", v.id(), DATA_VIEW_VERSION, attributes, NODES.arrayNode());
  }

  private static ObjectNode newSavedObject(
      String type, String id, String typeVersion, ObjectNode attributes, ArrayNode references) {
    ObjectNode o = NODES.objectNode();
    o.put("type", type);
    o.put("id", id);
    o.set("attributes", attributes);
    o.set("references", references);
    o.put("coreMigrationVersion", CORE_MIGRATION_VERSION);
    o.put("typeMigrationVersion", typeVersion);
    o.put("managed", false);
    return o;
  }

  private static ObjectNode reference(String type, String id, String name) {
    ObjectNode r = NODES.objectNode();
    r.put("type", type);
    r.put("id", id);
    r.put("name", name);
    return r;
  }

  private static String json(Object node) {
    try {
      return JsonHttp.JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode kql(String query) {
    ObjectNode q = NODES.objectNode();
    q.put("query", query);
    q.put("language", "kuery");
    return q;
  }

  // ---------------------------------------------------------------- Lens columns

  static ObjectNode dateHistogram(String field, String interval) {
    ObjectNode c = column(field, "date", "date_histogram", field, true, "interval");
    ObjectNode params = c.putObject("params");
    params.put("interval", interval);
    params.put("includeEmptyRows", true);
    params.put("dropPartials", false);
    return c;
  }

  /**
   * A terms column; ordered by another column ({@code orderByColumn}) or, when that is null,
   * alphabetically.
   */
  static ObjectNode terms(
      String field,
      String dataType,
      int size,
      String orderByColumn,
      String direction,
      String label) {
    ObjectNode c = column(label, dataType, "terms", field, true, "ordinal");
    c.put("customLabel", true);
    ObjectNode params = c.putObject("params");
    params.put("size", size);
    ObjectNode orderBy = params.putObject("orderBy");
    if (orderByColumn == null) {
      orderBy.put("type", "alphabetical");
      orderBy.put("fallback", false);
    } else {
      orderBy.put("type", "column");
      orderBy.put("columnId", orderByColumn);
    }
    params.put("orderDirection", direction);
    params.put("otherBucket", true);
    params.put("missingBucket", false);
    params.putObject("parentFormat").put("id", "terms");
    params.putArray("include");
    params.putArray("exclude");
    params.put("includeIsRegex", false);
    params.put("excludeIsRegex", false);
    return c;
  }

  static ObjectNode count(String label) {
    ObjectNode c = column(label, "number", "count", RECORDS, false, "ratio");
    c.put("customLabel", true);
    c.putObject("params").put("emptyAsNull", true);
    return c;
  }

  /** average, sum, min, max, median or unique_count of a field. */
  static ObjectNode metric(String operation, String field, String label) {
    boolean date = field.equals("@timestamp");
    ObjectNode c = column(label, date ? "date" : "number", operation, field, false, "ratio");
    c.put("customLabel", true);
    if (!operation.equals("unique_count") && !date) {
      c.putObject("params").put("emptyAsNull", true);
    }
    return c;
  }

  static ObjectNode lastValue(String field, String dataType, String label) {
    ObjectNode c = column(label, dataType, "last_value", field, false, "ordinal");
    c.put("customLabel", true);
    ObjectNode params = c.putObject("params");
    params.put("sortField", "@timestamp");
    params.put("showArrayValues", true);
    return c;
  }

  private static ObjectNode column(
      String label,
      String dataType,
      String operation,
      String field,
      boolean bucketed,
      String scale) {
    ObjectNode c = NODES.objectNode();
    c.put("label", label);
    c.put("dataType", dataType);
    c.put("operationType", operation);
    c.put("sourceField", field);
    c.put("isBucketed", bucketed);
    c.put("scale", scale);
    return c;
  }

  // ---------------------------------------------------------------- saved object kinds

  /** A Lens visualization with one layer over one data view. */
  static final class Lens {
    final String id;
    final String title;
    final String type;
    final DataView view;
    private String query = "";
    private final Map<String, ObjectNode> columns = new LinkedHashMap<>();
    private ObjectNode visualization;

    Lens(String id, String title, String type, DataView view) {
      this.id = id;
      this.title = title;
      this.type = type;
      this.view = view;
    }

    Lens query(String kql) {
      this.query = kql;
      return this;
    }

    Lens column(String columnId, ObjectNode column) {
      columns.put(columnId, column);
      return this;
    }

    Lens xy(String seriesType, String x, String y, String split) {
      ObjectNode v = NODES.objectNode();
      v.putObject("legend").put("isVisible", true).put("position", "right");
      v.put("valueLabels", "hide");
      v.put("fittingFunction", "None");
      v.put("preferredSeriesType", seriesType);
      ObjectNode axes = NODES.objectNode().put("x", true).put("yLeft", true).put("yRight", true);
      v.set("axisTitlesVisibilitySettings", axes);
      v.set("tickLabelsVisibilitySettings", axes.deepCopy());
      v.set("gridlinesVisibilitySettings", axes.deepCopy());
      ObjectNode layer = v.putArray("layers").addObject();
      layer.put("layerId", LAYER);
      layer.put("layerType", "data");
      layer.put("seriesType", seriesType);
      layer.put("xAccessor", x);
      layer.putArray("accessors").add(y);
      if (split != null) {
        layer.put("splitAccessor", split);
      }
      layer.put("position", "top");
      layer.put("showGridlines", false);
      this.visualization = v;
      return this;
    }

    Lens pie(String group, String metric) {
      ObjectNode v = NODES.objectNode();
      v.put("shape", "donut");
      ObjectNode layer = v.putArray("layers").addObject();
      layer.put("layerId", LAYER);
      layer.put("layerType", "data");
      layer.putArray("primaryGroups").add(group);
      layer.putArray("metrics").add(metric);
      layer.put("numberDisplay", "percent");
      layer.put("categoryDisplay", "default");
      layer.put("legendDisplay", "default");
      layer.put("nestedLegend", false);
      this.visualization = v;
      return this;
    }

    Lens metric(String metric) {
      ObjectNode v = NODES.objectNode();
      v.put("layerId", LAYER);
      v.put("layerType", "data");
      v.put("metricAccessor", metric);
      this.visualization = v;
      return this;
    }

    Lens table(String... columnIds) {
      ObjectNode v = NODES.objectNode();
      v.put("layerId", LAYER);
      v.put("layerType", "data");
      ArrayNode cols = v.putArray("columns");
      for (String c : columnIds) {
        cols.addObject().put("columnId", c).put("isTransposed", false);
      }
      v.put("rowHeight", "auto");
      this.visualization = v;
      return this;
    }

    ObjectNode savedObject() {
      if (visualization == null) {
        throw new IllegalStateException(id + ": no visualization");
      }
      ObjectNode layer = NODES.objectNode();
      ArrayNode order = layer.putArray("columnOrder");
      // Lens expects bucket columns first, in nesting order
      columns.forEach(
          (k, c) -> {
            if (c.get("isBucketed").asBoolean()) {
              order.add(k);
            }
          });
      columns.forEach(
          (k, c) -> {
            if (!c.get("isBucketed").asBoolean()) {
              order.add(k);
            }
          });
      ObjectNode cols = layer.putObject("columns");
      columns.forEach(cols::set);
      layer.putObject("incompleteColumns");
      layer.put("sampling", 1);

      ObjectNode state = NODES.objectNode();
      state
          .putObject("datasourceStates")
          .putObject("formBased")
          .putObject("layers")
          .set(LAYER, layer);
      state.set("visualization", visualization);
      state.set("query", kql(query));
      state.putArray("filters");
      state.putObject("adHocDataViews");
      state.putArray("internalReferences");

      ObjectNode attributes = NODES.objectNode();
      attributes.put("title", title);
      attributes.put("description", "");
      attributes.put("visualizationType", type);
      attributes.set("state", state);
      ArrayNode refs = NODES.arrayNode();
      refs.add(reference("index-pattern", view.id(), "indexpattern-datasource-layer-" + LAYER));
      return newSavedObject("lens", id, LENS_VERSION, attributes, refs);
    }
  }

  /** A saved search (Discover session): a document table with chosen columns. */
  static final class Search {
    static final String INDEX_REF = "kibanaSavedObjectMeta.searchSourceJSON.index";

    final String id;
    final String title;
    final DataView view;
    final List<String> columns;
    final String sortField;
    final String direction;

    Search(
        String id,
        String title,
        DataView view,
        List<String> columns,
        String sortField,
        String direction) {
      this.id = id;
      this.title = title;
      this.view = view;
      this.columns = columns;
      this.sortField = sortField;
      this.direction = direction;
    }

    ObjectNode savedObject() {
      ObjectNode attributes = NODES.objectNode();
      attributes.put("title", title);
      attributes.put("description", "");
      ArrayNode cols = attributes.putArray("columns");
      columns.forEach(cols::add);
      attributes.putArray("sort").addArray().add(sortField).add(direction);
      attributes.putObject("grid");
      attributes.put("hideChart", true);
      attributes.put("isTextBasedQuery", false);
      attributes.put("timeRestore", false);
      ObjectNode source = NODES.objectNode();
      source.set("query", kql(""));
      source.putArray("filter");
      source.put("indexRefName", INDEX_REF);
      attributes.putObject("kibanaSavedObjectMeta").put("searchSourceJSON", json(source));
      ArrayNode refs = NODES.arrayNode();
      refs.add(reference("index-pattern", view.id(), INDEX_REF));
      return newSavedObject("search", id, SEARCH_VERSION, attributes, refs);
    }
  }

  /** A dashboard of by-reference panels on Kibana's 48-column grid. */
  static final class Dashboard {
    final String id;
    final String title;
    final String description;
    private final ArrayNode panels = NODES.arrayNode();
    private final ArrayNode references = NODES.arrayNode();
    private final ObjectNode controls = NODES.objectNode();

    Dashboard(String id, String title, String description) {
      this.id = id;
      this.title = title;
      this.description = description;
    }

    /**
     * A control above the panels that filters the whole dashboard by one value of a keyword field
     * (Kibana's options list control).
     */
    Dashboard optionsList(String controlId, String title, String field, DataView view) {
      ObjectNode control = controls.putObject(controlId);
      control.put("order", controls.size() - 1);
      control.put("width", "medium");
      control.put("grow", true);
      control.put("type", "optionsListControl");
      ObjectNode input = control.putObject("explicitInput");
      input.put("id", controlId);
      input.put("title", title);
      input.put("fieldName", field);
      input.put("singleSelect", true);
      input.putObject("enhancements");
      references.add(
          reference(
              "index-pattern", view.id(), "controlGroup_" + controlId + ":optionsListDataView"));
      return this;
    }

    Dashboard panel(Lens lens, int x, int y, int w, int h) {
      return panel("lens", lens.id, x, y, w, h);
    }

    Dashboard panel(Search search, int x, int y, int w, int h) {
      return panel("search", search.id, x, y, w, h);
    }

    private Dashboard panel(String type, String refId, int x, int y, int w, int h) {
      String index = Integer.toString(panels.size() + 1);
      ObjectNode p = panels.addObject();
      p.put("version", PANEL_VERSION);
      p.put("type", type);
      p.putObject("gridData").put("x", x).put("y", y).put("w", w).put("h", h).put("i", index);
      p.put("panelIndex", index);
      p.putObject("embeddableConfig").putObject("enhancements");
      p.put("panelRefName", "panel_" + index);
      references.add(reference(type, refId, index + ":panel_" + index));
      return this;
    }

    ObjectNode savedObject() {
      ObjectNode attributes = NODES.objectNode();
      attributes.put("title", title);
      attributes.put("description", description);
      attributes.put("panelsJSON", json(panels));
      ObjectNode options = NODES.objectNode();
      options.put("useMargins", true);
      options.put("syncColors", false);
      options.put("syncCursor", true);
      options.put("syncTooltips", false);
      options.put("hidePanelTitles", false);
      attributes.put("optionsJSON", json(options));
      attributes.put("timeRestore", true);
      attributes.put("timeFrom", "now-7d");
      attributes.put("timeTo", "now");
      attributes.putObject("refreshInterval").put("pause", false).put("value", 60_000);
      ObjectNode source = NODES.objectNode();
      source.set("query", kql(""));
      source.putArray("filter");
      attributes.putObject("kibanaSavedObjectMeta").put("searchSourceJSON", json(source));
      attributes.put("version", 1);
      if (!controls.isEmpty()) {
        ObjectNode group = attributes.putObject("controlGroupInput");
        group.put("controlStyle", "oneLine");
        group.put("chainingSystem", "HIERARCHICAL");
        group.put("panelsJSON", json(controls));
        ObjectNode ignore = NODES.objectNode();
        ignore.put("ignoreFilters", false);
        ignore.put("ignoreQuery", false);
        ignore.put("ignoreTimerange", false);
        ignore.put("ignoreValidations", false);
        group.put("ignoreParentSettingsJSON", json(ignore));
      }
      return newSavedObject("dashboard", id, DASHBOARD_VERSION, attributes, references);
    }
  }
}
