package io.callqa.operators.alerts;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.callqa.operators.rules.Severity;
import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The webhook endpoints and the delivery operator's capacity (schema in docs/webhooks.md). Parse it
 * from a YAML document with a {@code webhooks:} list, or from such a list node inside the job
 * config.
 *
 * @param capacity alerts in flight at once per delivery subtask (then backpressure)
 */
public record WebhookConfig(List<WebhookEndpoint> endpoints, int capacity) implements Serializable {
  public static final int DEFAULT_CAPACITY = 100;

  private static final Set<String> KEYS =
      Set.of(
          "name",
          "url",
          "urlEnv",
          "format",
          "secretEnv",
          "minSeverity",
          "rules",
          "timeoutMs",
          "maxAttempts",
          "initialBackoffMs",
          "maxBackoffMs",
          "circuitFailureThreshold",
          "circuitOpenMs");

  public WebhookConfig {
    endpoints = List.copyOf(endpoints);
  }

  /** No endpoints: nothing is sent. */
  public static WebhookConfig none() {
    return new WebhookConfig(List.of(), DEFAULT_CAPACITY);
  }

  /** Parses a YAML document {@code {webhooks: [...], capacity: N}}. */
  public static WebhookConfig parse(String yaml) {
    JsonNode root;
    try {
      ObjectMapper m = new ObjectMapper(new YAMLFactory());
      m.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      root = m.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new WebhookConfigException("", "not valid YAML: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new WebhookConfigException("", "expected a map with a webhooks list");
    }
    Iterator<String> it = root.fieldNames();
    while (it.hasNext()) {
      String k = it.next();
      if (!k.equals("webhooks") && !k.equals("capacity")) {
        throw new WebhookConfigException(k, "unknown key; allowed: [capacity, webhooks]");
      }
    }
    int capacity = DEFAULT_CAPACITY;
    if (root.has("capacity")) {
      JsonNode c = root.get("capacity");
      if (!c.isInt() || c.asInt() < 1) {
        throw new WebhookConfigException("capacity", "expected a whole number ≥ 1, got " + c);
      }
      capacity = c.asInt();
    }
    return new WebhookConfig(parseList(root.get("webhooks")), capacity);
  }

  /**
   * One endpoint from the four values a job config usually has (name, url, format, secretEnv),
   * validated like the YAML, the rest at its defaults.
   */
  public static WebhookEndpoint endpoint(String name, String url, String format, String secretEnv) {
    com.fasterxml.jackson.databind.node.ObjectNode n =
        new ObjectMapper()
            .createObjectNode()
            .put("name", name)
            .put("url", url)
            .put("format", format);
    if (secretEnv != null) {
      n.put("secretEnv", secretEnv);
    }
    return endpoint(n, "webhooks[" + name + "]");
  }

  /** Parses a list of endpoints (null or missing: none). */
  public static List<WebhookEndpoint> parseList(JsonNode list) {
    List<WebhookEndpoint> out = new ArrayList<>();
    if (list == null || list.isNull()) {
      return out;
    }
    if (!list.isArray()) {
      throw new WebhookConfigException("webhooks", "expected a list of endpoints");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      WebhookEndpoint e = endpoint(list.get(i), "webhooks[" + i + "]");
      if (!names.add(e.name())) {
        throw new WebhookConfigException("webhooks[" + i + "].name", "duplicate endpoint name");
      }
      out.add(e);
    }
    return out;
  }

  private static WebhookEndpoint endpoint(JsonNode n, String path) {
    if (n == null || !n.isObject()) {
      throw new WebhookConfigException(path, "expected a map");
    }
    Iterator<String> it = n.fieldNames();
    while (it.hasNext()) {
      String k = it.next();
      if (!KEYS.contains(k)) {
        throw new WebhookConfigException(
            path + "." + k, "unknown key; allowed: " + new java.util.TreeSet<>(KEYS));
      }
    }
    String name = text(n, path, "name", true);
    path = path + " (" + name + ")";
    String formatText = text(n, path, "format", true);
    WebhookFormat format = WebhookFormat.parse(formatText);
    if (format == null) {
      throw new WebhookConfigException(
          path + ".format",
          "expected generic | dingtalk | wecom | slack, got \"" + formatText + "\"");
    }
    String url = text(n, path, "url", false);
    String urlEnv = text(n, path, "urlEnv", false);
    if ((url == null) == (urlEnv == null)) {
      throw new WebhookConfigException(path, "set exactly one of url and urlEnv");
    }
    if (url != null) {
      try {
        URI u = URI.create(url);
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())
            || u.getHost() == null) {
          throw new IllegalArgumentException();
        }
      } catch (IllegalArgumentException e) {
        throw new WebhookConfigException(path + ".url", "expected an http(s) URL");
      }
    }
    String secretEnv = text(n, path, "secretEnv", false);
    if (format == WebhookFormat.GENERIC && secretEnv == null) {
      throw new WebhookConfigException(
          path + ".secretEnv", "generic webhooks are signed: name the variable holding the secret");
    }
    if (!format.signed() && secretEnv != null) {
      throw new WebhookConfigException(
          path + ".secretEnv", format.wireName() + " robots are not signed; remove secretEnv");
    }
    Severity minSeverity = Severity.INFO;
    String sev = text(n, path, "minSeverity", false);
    if (sev != null) {
      minSeverity = Severity.parse(sev);
      if (minSeverity == null) {
        throw new WebhookConfigException(
            path + ".minSeverity", "expected info | warning | critical, got \"" + sev + "\"");
      }
    }
    List<String> rules = new ArrayList<>();
    if (n.has("rules")) {
      JsonNode r = n.get("rules");
      if (!r.isArray()) {
        throw new WebhookConfigException(path + ".rules", "expected a list of rule ids");
      }
      r.forEach(x -> rules.add(x.asText()));
    }
    long timeoutMs = number(n, path, "timeoutMs", 5_000, 1);
    int maxAttempts = (int) number(n, path, "maxAttempts", 5, 1);
    long initialBackoffMs = number(n, path, "initialBackoffMs", 500, 0);
    long maxBackoffMs = number(n, path, "maxBackoffMs", 30_000, 0);
    if (maxBackoffMs < initialBackoffMs) {
      throw new WebhookConfigException(path + ".maxBackoffMs", "must be ≥ initialBackoffMs");
    }
    int threshold = (int) number(n, path, "circuitFailureThreshold", 5, 1);
    long openMs = number(n, path, "circuitOpenMs", 60_000, 0);
    return new WebhookEndpoint(
        name,
        url,
        urlEnv,
        format,
        secretEnv,
        minSeverity,
        rules,
        timeoutMs,
        maxAttempts,
        initialBackoffMs,
        maxBackoffMs,
        threshold,
        openMs);
  }

  private static String text(JsonNode n, String path, String key, boolean required) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      if (required) {
        throw new WebhookConfigException(path + "." + key, "is required");
      }
      return null;
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new WebhookConfigException(path + "." + key, "expected a non-empty string");
    }
    return v.asText();
  }

  private static long number(JsonNode n, String path, String key, long dflt, long min) {
    JsonNode v = n.get(key);
    if (v == null) {
      return dflt;
    }
    if (!v.isIntegralNumber() || v.asLong() < min) {
      throw new WebhookConfigException(
          path + "." + key, "expected a whole number ≥ " + min + ", got " + v);
    }
    return v.asLong();
  }
}
