package io.callqa.jobs.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callqa.operators.sinks.elasticsearch.documents.IndexNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * callqa's Elasticsearch templates, read from the classpath ({@code
 * schemas/src/main/resources/elasticsearch/}) in the order they must be installed: component
 * templates first (index templates are composed of them), then one index template per {@link
 * IndexNames} family, named like the family's prefix.
 */
public final class IndexTemplates {
  /** Shared settings: shards, replicas, refresh interval. */
  public static final String SETTINGS_COMPONENT = "callqa-settings";

  /** Dynamic templates for fields no index template names yet. */
  public static final String DYNAMIC_MAPPINGS_COMPONENT = "callqa-dynamic-mappings";

  static final List<String> COMPONENTS = List.of(SETTINGS_COMPONENT, DYNAMIC_MAPPINGS_COMPONENT);

  static final String RESOURCE_DIR = "elasticsearch/";

  /** What kind of template, and where its API lives. */
  public enum Kind {
    COMPONENT("component template", "/_component_template/", "component-templates/"),
    INDEX("index template", "/_index_template/", "index-templates/");

    private final String label;
    private final String apiPath;
    private final String resourceDir;

    Kind(String label, String apiPath, String resourceDir) {
      this.label = label;
      this.apiPath = apiPath;
      this.resourceDir = resourceDir;
    }

    public String label() {
      return label;
    }

    public String path(String name) {
      return apiPath + name;
    }

    String resource(String name) {
      return RESOURCE_DIR + resourceDir + name + ".json";
    }
  }

  /** One template as it will be sent to Elasticsearch. */
  public record Template(Kind kind, String name, ObjectNode body) {}

  private IndexTemplates() {}

  /**
   * All templates, with the index settings of the settings component set to the given shards and
   * replicas.
   */
  public static List<Template> all(int shards, int replicas) {
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be >= 1, was " + shards);
    }
    if (replicas < 0) {
      throw new IllegalArgumentException("replicas must be >= 0, was " + replicas);
    }
    List<Template> out = new ArrayList<>();
    for (String name : COMPONENTS) {
      ObjectNode body = load(Kind.COMPONENT, name);
      if (name.equals(SETTINGS_COMPONENT)) {
        ObjectNode index = (ObjectNode) body.path("template").path("settings").path("index");
        index.put("number_of_shards", shards);
        index.put("number_of_replicas", replicas);
      }
      out.add(new Template(Kind.COMPONENT, name, body));
    }
    for (IndexNames family : IndexNames.values()) {
      out.add(new Template(Kind.INDEX, family.prefix(), load(Kind.INDEX, family.prefix())));
    }
    return out;
  }

  /** The index template of a family, as shipped. */
  public static ObjectNode indexTemplate(IndexNames family) {
    return load(Kind.INDEX, family.prefix());
  }

  /** A component template, as shipped. */
  public static ObjectNode componentTemplate(String name) {
    return load(Kind.COMPONENT, name);
  }

  static ObjectNode load(Kind kind, String name) {
    String resource = kind.resource(name);
    try (InputStream in = IndexTemplates.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the classpath");
      }
      JsonNode node = JsonHttp.JSON.readTree(in);
      if (!(node instanceof ObjectNode object)) {
        throw new IllegalStateException(resource + " is not a JSON object");
      }
      return object;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
