package io.callqa.jobs.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import io.callqa.jobs.elasticsearch.IndexTemplates.Template;
import io.callqa.jobs.elasticsearch.JsonHttp.Response;
import io.callqa.jobs.elasticsearch.JsonHttp.UnreachableException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Installs templates idempotently: a template is only written when it is missing or differs from
 * what Elasticsearch holds, so every run reports, per template, {@link Outcome#CREATED}, {@link
 * Outcome#UPDATED} or {@link Outcome#UNCHANGED}.
 *
 * <p>"Differs" compares the desired body with the stored one after normalising what Elasticsearch
 * rewrites on the way in: settings become strings under {@code index.*}, booleans and numbers may
 * come back as strings, and newer versions add bookkeeping such as {@code created_date_millis}.
 */
public final class TemplateInstaller {
  /** What happened (or, in a dry run, would happen) to one template. */
  public enum Outcome {
    CREATED("created", "would be created"),
    UPDATED("updated", "would be updated"),
    UNCHANGED("unchanged", "unchanged");

    private final String done;
    private final String planned;

    Outcome(String done, String planned) {
      this.done = done;
      this.planned = planned;
    }

    public String describe(boolean dryRun) {
      return dryRun ? planned : done;
    }
  }

  /** Fields Elasticsearch adds to stored templates that are not part of their definition. */
  static final Set<String> BOOKKEEPING =
      Set.of("created_date_millis", "modified_date_millis", "created_date", "modified_date");

  private final JsonHttp es;

  public TemplateInstaller(JsonHttp es) {
    this.es = es;
  }

  /** The cluster's health, which also proves it is reachable ({@code GET /} may answer 405). */
  public JsonNode health() throws UnreachableException, InstallException {
    Response r = es.get("/_cluster/health");
    if (!r.ok()) {
      throw new InstallException(
          "Elasticsearch at "
              + es.base()
              + " answered "
              + r.status()
              + " on /_cluster/health: "
              + r.errorText());
    }
    return r.json();
  }

  /**
   * Installs (or with {@code dryRun} only compares) the templates in order and reports each outcome
   * as soon as it is known.
   *
   * @throws InstallException when Elasticsearch refuses a template; the ones before it are
   *     installed
   */
  public void install(Iterable<Template> templates, boolean dryRun, Consumer<Result> report)
      throws UnreachableException, InstallException {
    for (Template t : templates) {
      JsonNode existing = existing(t);
      Outcome outcome;
      if (existing == null) {
        outcome = Outcome.CREATED;
      } else if (same(t.body(), existing)) {
        outcome = Outcome.UNCHANGED;
      } else {
        outcome = Outcome.UPDATED;
      }
      if (!dryRun && outcome != Outcome.UNCHANGED) {
        Response r = es.put(t.kind().path(t.name()), t.body());
        if (!r.ok()) {
          throw new InstallException(
              "Elasticsearch refused "
                  + t.kind().label()
                  + " "
                  + t.name()
                  + " ("
                  + r.status()
                  + " "
                  + r.errorText()
                  + ")");
        }
      }
      report.accept(new Result(t, outcome));
    }
  }

  /** One template's outcome. */
  public record Result(Template template, Outcome outcome) {}

  /** The stored body of a template, or {@code null} when there is none. */
  JsonNode existing(Template t) throws UnreachableException, InstallException {
    Response r = es.get(t.kind().path(t.name()));
    if (r.status() == 404) {
      return null;
    }
    if (!r.ok()) {
      throw new InstallException(
          "cannot read "
              + t.kind().label()
              + " "
              + t.name()
              + " ("
              + r.status()
              + " "
              + r.errorText()
              + ")");
    }
    String list = t.kind() == IndexTemplates.Kind.INDEX ? "index_templates" : "component_templates";
    String item = t.kind() == IndexTemplates.Kind.INDEX ? "index_template" : "component_template";
    for (JsonNode entry : r.json().path(list)) {
      if (t.name().equals(entry.path("name").asText())) {
        return entry.path(item);
      }
    }
    return null;
  }

  /** Whether the stored template means the same as the desired one. */
  static boolean same(JsonNode desired, JsonNode stored) {
    return normalise(desired, "").equals(normalise(stored, ""));
  }

  /**
   * A comparable form: objects as sorted maps (minus bookkeeping at the top), scalars as text,
   * settings flattened to {@code index.*} keys.
   */
  static Object normalise(JsonNode node, String path) {
    if (node.isObject()) {
      if (path.equals("template.settings")) {
        Map<String, String> flat = new TreeMap<>();
        flattenSettings(node, "", flat);
        return flat;
      }
      Map<String, Object> out = new TreeMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (path.isEmpty() && BOOKKEEPING.contains(e.getKey())) {
          continue;
        }
        String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        out.put(e.getKey(), normalise(e.getValue(), child));
      }
      return out;
    }
    if (node.isArray()) {
      java.util.List<Object> out = new java.util.ArrayList<>();
      for (JsonNode item : node) {
        out.add(normalise(item, path + "[]"));
      }
      return out;
    }
    return node.isNull() ? null : node.asText();
  }

  private static void flattenSettings(JsonNode node, String prefix, Map<String, String> out) {
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      if (e.getValue().isObject()) {
        flattenSettings(e.getValue(), key, out);
      } else {
        String full = key.startsWith("index.") ? key : "index." + key;
        out.put(full, e.getValue().isArray() ? e.getValue().toString() : e.getValue().asText());
      }
    }
  }

  /** Elasticsearch refused or could not answer a request about a template. */
  public static final class InstallException extends Exception {
    private static final long serialVersionUID = 1L;

    public InstallException(String message) {
      super(message);
    }
  }
}
