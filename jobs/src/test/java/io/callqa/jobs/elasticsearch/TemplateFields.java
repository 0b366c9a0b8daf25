package io.callqa.jobs.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import io.callqa.operators.sinks.elasticsearch.documents.IndexNames;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What type a field has in callqa's index templates: explicit mappings, sub-fields ({@code
 * text.keyword}) and the path-matched dynamic templates of the dynamic-mappings component.
 */
final class TemplateFields {
  static final Set<String> NUMERIC =
      Set.of("long", "integer", "short", "byte", "double", "float", "half_float", "unsigned_long");

  private TemplateFields() {}

  /** The mapped type, {@code object} / {@code nested} for containers, or null when not mapped. */
  static String type(IndexNames family, String path) {
    JsonNode properties =
        IndexTemplates.indexTemplate(family).path("template").path("mappings").path("properties");
    String[] parts = path.split("\\.");
    JsonNode mapping = null;
    for (int i = 0; i < parts.length; i++) {
      // a field name may itself contain dots (@timestamp does not, but be exact): try the longest
      mapping = properties.get(parts[i]);
      if (mapping == null) {
        return dynamicType(path);
      }
      if (i < parts.length - 1) {
        JsonNode sub = mapping.path("fields").get(parts[i + 1]);
        if (sub != null && i + 1 == parts.length - 1) {
          return sub.path("type").asText();
        }
        properties = mapping.path("properties");
      }
    }
    return mapping.path("type").asText(mapping.has("properties") ? "object" : null);
  }

  /** Whether the field lies inside a nested field (Lens and terms aggregations cannot use it). */
  static boolean inNested(IndexNames family, String path) {
    int dot = path.indexOf('.');
    while (dot > 0) {
      if ("nested".equals(type(family, path.substring(0, dot)))) {
        return true;
      }
      dot = path.indexOf('.', dot + 1);
    }
    return false;
  }

  private static String dynamicType(String path) {
    JsonNode templates =
        IndexTemplates.componentTemplate(IndexTemplates.DYNAMIC_MAPPINGS_COMPONENT)
            .path("template")
            .path("mappings")
            .path("dynamic_templates");
    for (JsonNode t : templates) {
      JsonNode def = t.fields().next().getValue();
      if (def.has("path_match")) {
        String regex = Pattern.quote(def.get("path_match").asText()).replace("*", "\\E.*\\Q");
        if (path.matches(regex)) {
          return def.path("mapping").path("type").asText();
        }
      }
    }
    return null;
  }

  static boolean aggregatable(String type) {
    return type != null
        && (type.equals("keyword")
            || type.equals("date")
            || type.equals("boolean")
            || NUMERIC.contains(type));
  }
}
