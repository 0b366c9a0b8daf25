package io.callqa.jobs.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.callqa.operators.sinks.elasticsearch.documents.IndexNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The committed NDJSON is what the generator emits, parses, is self-contained, and asks only for
 * fields the index templates map with a type the panel can use.
 */
class KibanaDashboardsTest {
  private static final Set<String> LENS_TYPES =
      Set.of("lnsXY", "lnsPie", "lnsDatatable", "lnsMetric");

  static Path committedFile() {
    // surefire runs in the module directory (jobs/); the file lives at the repository root
    boolean inModule =
        Files.isDirectory(Path.of("..", "jobs")) && Files.isDirectory(Path.of("src"));
    return inModule ? Path.of("..").resolve(KibanaDashboards.FILE) : Path.of(KibanaDashboards.FILE);
  }

  static SavedObjects committed() throws IOException {
    return SavedObjects.parse(Files.readString(committedFile(), StandardCharsets.UTF_8));
  }

  @Test
  void committedFileIsWhatTheGeneratorEmits() throws IOException {
    Path file = committedFile();
    if (Boolean.getBoolean("callqa.dashboards.write")) {
      KibanaDashboards.write(file);
    }
    assertThat(file).exists();
    assertThat(Files.readString(file, StandardCharsets.UTF_8))
        .as(
            file
                + " is out of date: regenerate with mvn -pl jobs -am test -Dtest=KibanaDashboardsTest"
                + " -Dcallqa.dashboards.write=true -Dsurefire.failIfNoSpecifiedTests=false")
        .isEqualTo(KibanaDashboards.ndjson());
  }

  @Test
  void everyLineIsASavedObjectWithAUniqueId() throws IOException {
    SavedObjects s = committed();
    String text = Files.readString(committedFile(), StandardCharsets.UTF_8);
    assertThat(text).endsWith("\n");
    assertThat(text.lines().count()).isEqualTo(s.objects.size());
    Set<String> ids = new HashSet<>();
    for (JsonNode o : s.objects) {
      assertThat(o.path("type").asText()).isIn("index-pattern", "lens", "search", "dashboard");
      assertThat(o.path("id").asText()).startsWith("callqa-");
      assertThat(ids.add(o.path("type").asText() + "/" + o.path("id").asText()))
          .as("duplicate " + o.path("id"))
          .isTrue();
      assertThat(o.path("attributes").path("title").asText()).isNotBlank();
      assertThat(o.path("coreMigrationVersion").asText()).isEqualTo("8.8.0");
    }
    assertThat(s.ofType("index-pattern")).hasSize(4);
    assertThat(s.ofType("dashboard"))
        .extracting(d -> d.path("attributes").path("title").asText())
        .containsExactlyInAnyOrder(
            "callqa Overview", "callqa Agents", "callqa Alerts", "callqa Call drill-down");
  }

  @Test
  void everyReferenceResolvesWithinTheFile() throws IOException {
    SavedObjects s = committed();
    for (JsonNode o : s.objects) {
      for (JsonNode ref : o.path("references")) {
        assertThat(s.find(ref.path("type").asText(), ref.path("id").asText()))
            .as(o.path("id").asText() + " references " + ref)
            .isNotNull();
      }
    }
  }

  @Test
  void dashboardPanelsPointAtTheirReferences() throws IOException {
    SavedObjects s = committed();
    for (JsonNode d : s.ofType("dashboard")) {
      JsonNode panels =
          SavedObjects.JSON.readTree(d.path("attributes").path("panelsJSON").asText());
      assertThat(panels.size()).isGreaterThan(2);
      Set<String> refNames = new HashSet<>();
      d.path("references").forEach(r -> refNames.add(r.path("name").asText()));
      for (JsonNode p : panels) {
        String name = p.path("panelIndex").asText() + ":" + p.path("panelRefName").asText();
        assertThat(refNames).as(d.path("id") + " panel " + p).contains(name);
        JsonNode grid = p.path("gridData");
        assertThat(grid.path("x").asInt() + grid.path("w").asInt()).isLessThanOrEqualTo(48);
      }
      SavedObjects.JSON.readTree(d.path("attributes").path("optionsJSON").asText());
      SavedObjects.JSON.readTree(
          d.path("attributes").path("kibanaSavedObjectMeta").path("searchSourceJSON").asText());
    }
  }

  @Test
  void dataViewTitlesMatchTheIndexNamesAndTheirTemplates() throws IOException {
    SavedObjects s = committed();
    Set<IndexNames> families = new HashSet<>();
    for (JsonNode v : s.ofType("index-pattern")) {
      String title = v.path("attributes").path("title").asText();
      IndexNames family = SavedObjects.familyOf(title);
      assertThat(family).as("data view " + title + " matches callqa's indices").isNotNull();
      families.add(family);
      String index = family.index("Some Tenant", java.time.Instant.now());
      assertThat(SavedObjects.glob(title).matcher(index).matches()).isTrue();
      JsonNode template = IndexTemplates.indexTemplate(family);
      boolean templateApplies = false;
      for (JsonNode p : template.path("index_patterns")) {
        templateApplies |= SavedObjects.glob(p.asText()).matcher(index).matches();
      }
      assertThat(templateApplies).as(family + " template applies to " + index).isTrue();
      String timeField = v.path("attributes").path("timeFieldName").asText();
      assertThat(TemplateFields.type(family, timeField))
          .as(title + " time field")
          .isEqualTo("date");
    }
    assertThat(families).containsExactlyInAnyOrder(IndexNames.values());
    assertThat(
            SavedObjects.glob(KibanaDashboards.DEAD_LETTERS.title())
                .matcher("callqa-deadletters")
                .matches())
        .as("the sink's own dead-letter index is in the data view")
        .isTrue();
  }

  @Test
  void everyPanelFieldIsMappedWithACompatibleType() throws IOException {
    SavedObjects s = committed();
    List<String> problems = new ArrayList<>();
    for (SavedObjects.Lens lens : s.lens()) {
      assertThat(LENS_TYPES).contains(lens.visualizationType());
      IndexNames family = SavedObjects.familyOf(s.dataViewTitle(lens.dataViewId()));
      boolean bucketsDone = false;
      for (SavedObjects.Column c : lens.columns()) {
        String where =
            lens.id() + " column " + c.id() + " " + c.operation() + "(" + c.field() + ")";
        if (!c.bucketed()) {
          bucketsDone = true;
        } else if (bucketsDone) {
          problems.add(where + ": bucket column after a metric column");
        }
        if (c.operation().equals("count")) {
          continue;
        }
        String type = TemplateFields.type(family, c.field());
        if (type == null) {
          problems.add(where + ": not mapped in " + family.prefix());
          continue;
        }
        if (TemplateFields.inNested(family, c.field())) {
          problems.add(where + ": inside a nested field, Lens cannot aggregate it");
        }
        boolean ok =
            switch (c.operation()) {
              case "terms" ->
                  type.equals("keyword")
                      || type.equals("boolean")
                      || TemplateFields.NUMERIC.contains(type);
              case "date_histogram" -> type.equals("date");
              case "average", "sum", "median", "standard_deviation", "percentile" ->
                  TemplateFields.NUMERIC.contains(type);
              case "min", "max" -> TemplateFields.NUMERIC.contains(type) || type.equals("date");
              case "unique_count", "last_value" -> TemplateFields.aggregatable(type);
              default -> false;
            };
        if (!ok) {
          problems.add(where + ": " + type + " does not fit the operation");
        }
        if (c.operation().equals("last_value")) {
          String sort = c.params().path("sortField").asText();
          if (!"date".equals(TemplateFields.type(family, sort))) {
            problems.add(where + ": sort field " + sort + " is not a date");
          }
        }
      }
    }
    for (SavedObjects.Search search : s.searches()) {
      IndexNames family = SavedObjects.familyOf(s.dataViewTitle(search.dataViewId()));
      for (String column : search.columns()) {
        if (TemplateFields.type(family, column) == null) {
          problems.add(search.id() + " column " + column + ": not mapped in " + family.prefix());
        }
      }
      if (!TemplateFields.aggregatable(TemplateFields.type(family, search.sortField()))) {
        problems.add(search.id() + " sorts on " + search.sortField() + ", which is not sortable");
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void dashboardControlsFilterOnKeywordFields() throws IOException {
    SavedObjects s = committed();
    List<SavedObjects.Control> controls = s.controls();
    assertThat(controls)
        .extracting(SavedObjects.Control::dashboardId, SavedObjects.Control::field)
        .contains(
            org.assertj.core.groups.Tuple.tuple("callqa-dashboard-call-drill-down", "callId"));
    for (SavedObjects.Control c : controls) {
      assertThat(c.type()).isEqualTo("optionsListControl");
      assertThat(c.dataViewId()).as(c + " data view reference").isNotNull();
      IndexNames family = SavedObjects.familyOf(s.dataViewTitle(c.dataViewId()));
      assertThat(TemplateFields.type(family, c.field())).as(c.toString()).isEqualTo("keyword");
    }
  }

  @Test
  void visualizationsOnlyUseTheirOwnColumns() throws IOException {
    SavedObjects s = committed();
    for (JsonNode o : s.ofType("lens")) {
      JsonNode state = o.path("attributes").path("state");
      Set<String> columns = new HashSet<>();
      state
          .path("datasourceStates")
          .path("formBased")
          .path("layers")
          .path(KibanaDashboards.LAYER)
          .path("columns")
          .fieldNames()
          .forEachRemaining(columns::add);
      Set<String> used = new HashSet<>();
      collectAccessors(state.path("visualization"), used);
      assertThat(used).as(o.path("id").asText()).isNotEmpty();
      assertThat(columns).as(o.path("id").asText()).containsAll(used);
    }
  }

  private static void collectAccessors(JsonNode node, Set<String> out) {
    node.fields()
        .forEachRemaining(
            e -> {
              String k = e.getKey();
              JsonNode v = e.getValue();
              if (k.endsWith("Accessor") && v.isTextual()) {
                out.add(v.asText());
              } else if ((k.equals("accessors") || k.equals("primaryGroups") || k.equals("metrics"))
                  && v.isArray()) {
                v.forEach(x -> out.add(x.asText()));
              } else if (k.equals("columnId") && v.isTextual()) {
                out.add(v.asText());
              } else if (v.isContainerNode()) {
                if (v.isArray()) {
                  v.forEach(x -> collectAccessors(x, out));
                } else {
                  collectAccessors(v, out);
                }
              }
            });
  }
}
