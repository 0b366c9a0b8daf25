package io.callqa.operators.sinks.elasticsearch.documents;

import static io.callqa.operators.sinks.elasticsearch.documents.SampleRecords.PROCESSING_CLOCK;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callqa.schemas.DeadLetter;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every field the mappers write is mapped explicitly by its index template, with a type that fits
 * the value, so no field of a known record is left to dynamic mapping (where a first document could
 * decide its type).
 */
class TemplatesCoverDocumentsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Fields that are dynamic by design (keyed by a rule id or a webhook endpoint): what is below
   * them is mapped by the path-matched dynamic templates of the dynamic-mappings component.
   */
  private static final Set<String> DYNAMIC_BY_DESIGN = Set.of("alertsByRule", "webhooks");

  private static final Set<String> NUMERIC =
      Set.of("long", "integer", "short", "byte", "float", "double", "half_float");

  @Test
  void utteranceFieldsAreMapped() throws IOException {
    assertCovered(
        IndexNames.UTTERANCES,
        new UtteranceDocuments(PROCESSING_CLOCK)
            .json(withError(SampleRecords.customerUtterance())));
  }

  @Test
  void alertFieldsAreMapped() throws IOException {
    assertCovered(
        IndexNames.ALERTS, new AlertDocuments(PROCESSING_CLOCK).json(SampleRecords.angerAlert()));
  }

  @Test
  void alertFieldsWithWebhookOutcomesAreMapped() throws IOException {
    io.callqa.schemas.Alert alert = SampleRecords.angerAlert();
    ObjectNode doc = new AlertDocuments(PROCESSING_CLOCK).json(alert);
    io.callqa.schemas.WebhookDelivery failed = SampleRecords.delivered(alert, "team.slack");
    failed.setOutcome("FAILED");
    failed.setHttpStatus(500);
    failed.setError("HTTP 500");
    // what Elasticsearch holds after both merges (objects merge, the alert has no webhooks field)
    doc.set(
        AlertDocuments.WEBHOOKS,
        new AlertDeliveryDocuments(PROCESSING_CLOCK).json(failed).get(AlertDocuments.WEBHOOKS));
    ((ObjectNode) doc.get(AlertDocuments.WEBHOOKS))
        .setAll(
            (ObjectNode)
                new AlertDeliveryDocuments(PROCESSING_CLOCK)
                    .json(SampleRecords.delivered(alert, "qa-backend"))
                    .get(AlertDocuments.WEBHOOKS));
    assertThat(doc.get(AlertDocuments.WEBHOOKS).size()).isEqualTo(2);
    assertCovered(IndexNames.ALERTS, doc);
  }

  @Test
  void dynamicTemplatesDecideTypesNotTheFirstDocument() throws IOException {
    // a value the dynamic templates do not type is reported, so the check above can fail
    List<String> problems = new ArrayList<>();
    check(
        "",
        JSON.readTree("{\"webhooks\": {\"qa\": {\"retries\": 2, \"attempts\": \"x\"}}}"),
        properties(IndexNames.ALERTS),
        problems);
    assertThat(problems)
        .containsExactlyInAnyOrder(
            "webhooks.qa.retries has no dynamic template",
            "webhooks.qa.attempts is a string but mapped as integer");
  }

  @Test
  void callFieldsAreMapped() throws IOException {
    assertCovered(
        IndexNames.CALLS,
        new CallSummaryDocuments(PROCESSING_CLOCK).json(SampleRecords.callSummary()));
  }

  @Test
  void deadLetterFieldsAreMapped() throws IOException {
    DeadLetter d = SampleRecords.kafkaDeadLetter();
    d.setTenant("acme");
    d.setCallId("call-43");
    d.setChannel("AGENT");
    d.setSeq(4L);
    assertCovered(IndexNames.DEAD_LETTERS, new DeadLetterDocuments(PROCESSING_CLOCK).json(d));
  }

  @Test
  void everyTemplateMapsTimestampAsDate() throws IOException {
    for (IndexNames kind : IndexNames.values()) {
      assertThat(properties(kind).path("@timestamp").path("type").asText())
          .as(kind.prefix())
          .isEqualTo("date");
      JsonNode template = template(kind);
      assertThat(template.get("index_patterns").toString()).contains(kind.readPattern());
      if (kind.readAlias() != null) {
        assertThat(template.path("template").path("aliases").has(kind.readAlias())).isTrue();
      }
    }
  }

  private static io.callqa.schemas.Utterance withError(io.callqa.schemas.Utterance u) {
    u.setError("inference timed out");
    return u;
  }

  private static void assertCovered(IndexNames kind, ObjectNode doc) throws IOException {
    List<String> problems = new ArrayList<>();
    check("", doc, properties(kind), problems);
    assertThat(problems).as(kind.prefix() + " template vs document " + doc).isEmpty();
  }

  private static void check(
      String path, JsonNode value, JsonNode properties, List<String> problems) {
    Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String name = path + f.getKey();
      JsonNode mapping = properties.get(f.getKey());
      if (mapping == null) {
        problems.add(name + " is not mapped");
        continue;
      }
      String type = mapping.path("type").asText("object");
      JsonNode v = f.getValue();
      if (v.isArray()) {
        for (JsonNode item : v) {
          checkValue(name, type, mapping, item, problems);
        }
      } else {
        checkValue(name, type, mapping, v, problems);
      }
    }
  }

  private static void checkValue(
      String name, String type, JsonNode mapping, JsonNode v, List<String> problems) {
    if (v.isObject()) {
      if (!type.equals("object") && !type.equals("nested")) {
        problems.add(name + " is an object but mapped as " + type);
      } else if (DYNAMIC_BY_DESIGN.contains(name)) {
        checkDynamic(name + ".", v, problems);
      } else {
        check(name + ".", v, mapping.path("properties"), problems);
      }
    } else if (v.isNumber()) {
      boolean epochDate =
          type.equals("date") && mapping.path("format").asText().contains("epoch_millis");
      if (!NUMERIC.contains(type) && !epochDate) {
        problems.add(name + " is a number but mapped as " + type);
      }
      if (v.isFloatingPointNumber() && Set.of("long", "integer", "short", "byte").contains(type)) {
        problems.add(name + " has a fraction but mapped as " + type);
      }
    } else if (v.isBoolean()) {
      if (!type.equals("boolean")) {
        problems.add(name + " is a boolean but mapped as " + type);
      }
    } else if (v.isTextual()) {
      if (type.equals("date")) {
        try {
          Instant.parse(v.asText());
        } catch (DateTimeParseException e) {
          problems.add(name + " mapped as date but '" + v.asText() + "' is not ISO-8601");
        }
      } else if (!type.equals("keyword") && !type.equals("text")) {
        problems.add(name + " is a string but mapped as " + type);
      }
    }
  }

  /** Leaves below a dynamic-by-design field against the dynamic template their path matches. */
  private static void checkDynamic(String path, JsonNode value, List<String> problems) {
    Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String name = path + f.getKey();
      if (f.getValue().isObject()) {
        checkDynamic(name + ".", f.getValue(), problems);
        continue;
      }
      JsonNode mapping = dynamicMapping(name);
      if (mapping == null) {
        problems.add(name + " has no dynamic template");
      } else {
        checkValue(name, mapping.path("type").asText(), mapping, f.getValue(), problems);
      }
    }
  }

  /** The mapping of the first path-matched dynamic template for {@code path}, as Elasticsearch. */
  private static JsonNode dynamicMapping(String path) {
    JsonNode templates;
    try (InputStream in =
        IndexNames.class
            .getClassLoader()
            .getResourceAsStream(
                "elasticsearch/component-templates/callqa-dynamic-mappings.json")) {
      templates = JSON.readTree(in).path("template").path("mappings").path("dynamic_templates");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    for (JsonNode t : templates) {
      JsonNode def = t.elements().next();
      if (def.has("path_match")) {
        String regex =
            java.util.regex.Pattern.quote(def.get("path_match").asText()).replace("*", "\\E.*\\Q");
        if (path.matches(regex)) {
          return def.path("mapping");
        }
      }
    }
    return null;
  }

  static JsonNode template(IndexNames kind) throws IOException {
    String resource = "elasticsearch/index-templates/" + kind.prefix() + ".json";
    try (InputStream in = IndexNames.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource + " on the classpath").isNotNull();
      return JSON.readTree(in);
    }
  }

  private static JsonNode properties(IndexNames kind) throws IOException {
    return template(kind).path("template").path("mappings").path("properties");
  }
}
