package io.callqa.operators.rules;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.callqa.operators.redaction.PiiKind;
import io.callqa.schemas.CallEventType;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and validates the rules file and the phrase lexicon (schemas in docs/rules.md). Every
 * wrong value is reported as a {@link RulesParseException} naming the file, the path inside it and
 * what was expected; unknown keys are errors too, so a typo never silently becomes a default.
 */
public final class RulesParser {
  /** The only schema version of both files so far. */
  public static final int SCHEMA_VERSION = 1;

  private static final Pattern RULE_ID = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern INTENT_NAME = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[a-z0-9]+)?|any");
  private static final Set<String> TOP_KEYS =
      Set.of("version", "lexicon", "matching", "timing", "rules");
  private static final Set<String> RULE_KEYS =
      Set.of("id", "kind", "enabled", "severity", "roles", "params", "score", "description");

  /** Reads a file the rules file refers to (the lexicon), by the reference written in it. */
  @FunctionalInterface
  public interface Resolver {
    /**
     * @param reference the {@code lexicon:} value of the rules file
     * @return the referenced file's text and a name for error messages
     */
    Resolved read(String reference) throws IOException;
  }

  /** A file's text and where it came from. */
  public record Resolved(String text, String source) {}

  private RulesParser() {}

  private static ObjectMapper yaml() {
    YAMLFactory f = new YAMLFactory();
    ObjectMapper m = new ObjectMapper(f);
    m.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return m;
  }

  /**
   * Parses a rules file and the lexicon it refers to.
   *
   * @param rulesYaml the rules file's text
   * @param source its name in error messages (a path or {@code classpath:...})
   * @param resolver reads the {@code lexicon:} reference
   */
  public static RulesConfig parse(String rulesYaml, String source, Resolver resolver) {
    JsonNode root = readTree(rulesYaml, source);
    Ctx c = new Ctx(source);
    c.requireMap(root, "");
    c.onlyKeys(root, "", TOP_KEYS);
    c.version(root.get("version"), "version");

    String lexiconRef = "lexicon.yaml";
    if (root.has("lexicon")) {
      lexiconRef = c.string(root.get("lexicon"), "lexicon");
    }
    Resolved lexiconFile;
    try {
      lexiconFile = resolver.read(lexiconRef);
    } catch (IOException e) {
      throw new RulesParseException(
          source, "lexicon", "cannot read lexicon \"" + lexiconRef + "\": " + e.getMessage(), e);
    }
    Lexicon lexicon = parseLexicon(lexiconFile.text(), lexiconFile.source());

    MatchingOptions matching = MatchingOptions.DEFAULTS;
    if (root.has("matching")) {
      matching = matching(c, root.get("matching"));
    }
    TimingOptions timing = TimingOptions.DEFAULTS;
    if (root.has("timing")) {
      timing = timing(c, root.get("timing"));
    }
    if (!root.has("rules")) {
      throw c.error("rules", "is required: the list of rules (an empty list disables all)");
    }
    List<RuleSpec> rules = rules(c, root.get("rules"), lexicon);
    return new RulesConfig(
        source, fingerprint(rulesYaml, lexiconFile.text()), lexicon, matching, timing, rules);
  }

  /** Parses a lexicon file (docs/rules.md, "Lexicon file"). */
  public static Lexicon parseLexicon(String yamlText, String source) {
    JsonNode root = readTree(yamlText, source);
    Ctx c = new Ctx(source);
    c.requireMap(root, "");
    c.onlyKeys(root, "", Set.of("version", "intents"));
    int version = c.version(root.get("version"), "version");
    JsonNode intents = root.get("intents");
    if (intents == null) {
      throw c.error("intents", "is required: a map of intent name to {role, phrases}");
    }
    c.requireMap(intents, "intents");
    if (intents.isEmpty()) {
      throw c.error("intents", "must name at least one intent");
    }
    Map<String, Lexicon.Intent> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = intents.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      String path = "intents." + name;
      if (!INTENT_NAME.matcher(name).matches()) {
        throw c.error(path, "intent names are lower-case letters, digits and _, starting a-z");
      }
      JsonNode node = e.getValue();
      c.requireMap(node, path);
      c.onlyKeys(node, path, Set.of("role", "phrases", "description"));
      Role role = null;
      if (node.has("role")) {
        String r = c.string(node.get("role"), path + ".role");
        role = Role.parse(r);
        if (role == null || role == Role.ANY) {
          throw c.error(path + ".role", "expected agent or customer, got \"" + r + "\"");
        }
      }
      if (node.has("description")) {
        c.string(node.get("description"), path + ".description");
      }
      JsonNode phrases = node.get("phrases");
      if (phrases == null) {
        throw c.error(path + ".phrases", "is required: language code → list of phrases");
      }
      c.requireMap(phrases, path + ".phrases");
      Map<String, List<String>> byLanguage = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> langs = phrases.fields();
      int count = 0;
      while (langs.hasNext()) {
        Map.Entry<String, JsonNode> l = langs.next();
        String lpath = path + ".phrases." + l.getKey();
        if (!LANGUAGE.matcher(l.getKey()).matches()) {
          throw c.error(lpath, "language codes are like en, zh, yue (lower case)");
        }
        List<String> list = c.phraseList(l.getValue(), lpath);
        count += list.size();
        byLanguage.put(l.getKey(), list);
      }
      if (count == 0) {
        throw c.error(path + ".phrases", "must hold at least one phrase");
      }
      out.put(name, new Lexicon.Intent(name, role, byLanguage));
    }
    return new Lexicon(version, out);
  }

  private static JsonNode readTree(String text, String source) {
    if (text == null || text.isBlank()) {
      throw new RulesParseException(source, "", "the file is empty");
    }
    try {
      JsonNode n = yaml().readTree(text);
      if (n == null || n.isMissingNode() || n.isNull()) {
        throw new RulesParseException(source, "", "the file is empty");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new RulesParseException(source, "", "not valid YAML: " + e.getOriginalMessage(), e);
    }
  }

  private static MatchingOptions matching(Ctx c, JsonNode n) {
    c.requireMap(n, "matching");
    c.onlyKeys(n, "matching", Set.of("maxErrorRate", "minTokensForTypo", "maxErrorRateChars"));
    double rate = rate(c, n, "maxErrorRate", MatchingOptions.DEFAULTS.maxErrorRate());
    double chars = rate(c, n, "maxErrorRateChars", MatchingOptions.DEFAULTS.maxErrorRateChars());
    int minTokens = MatchingOptions.DEFAULTS.minTokensForTypo();
    if (n.has("minTokensForTypo")) {
      minTokens = (int) c.integer(n.get("minTokensForTypo"), "matching.minTokensForTypo", 1);
    }
    return new MatchingOptions(rate, minTokens, chars);
  }

  private static double rate(Ctx c, JsonNode n, String key, double defaultValue) {
    if (!n.has(key)) {
      return defaultValue;
    }
    JsonNode v = n.get(key);
    if (!v.isNumber() || v.asDouble() < 0 || v.asDouble() >= 1) {
      throw c.error("matching." + key, "expected a number in [0, 1), got " + show(v));
    }
    return v.asDouble();
  }

  private static TimingOptions timing(Ctx c, JsonNode n) {
    c.requireMap(n, "timing");
    TimingOptions d = TimingOptions.DEFAULTS;
    c.onlyKeys(
        n,
        "timing",
        Set.of(
            "channelSkewWaitMs",
            "channelProgressTimeoutMs",
            "slotGapWaitMs",
            "endGraceMs",
            "channelReportWaitMs",
            "idleTimeoutMs",
            "lateRetentionMs",
            "cepWindowSlackMs"));
    return new TimingOptions(
        c.optMillis(n, "timing", "channelSkewWaitMs", d.channelSkewWaitMs(), 0),
        c.optMillis(n, "timing", "channelProgressTimeoutMs", d.channelProgressTimeoutMs(), 1),
        c.optMillis(n, "timing", "slotGapWaitMs", d.slotGapWaitMs(), 0),
        c.optMillis(n, "timing", "endGraceMs", d.endGraceMs(), 0),
        c.optMillis(n, "timing", "channelReportWaitMs", d.channelReportWaitMs(), 0),
        c.optMillis(n, "timing", "idleTimeoutMs", d.idleTimeoutMs(), 1),
        c.optMillis(n, "timing", "lateRetentionMs", d.lateRetentionMs(), 0),
        c.optMillis(n, "timing", "cepWindowSlackMs", d.cepWindowSlackMs(), 0));
  }

  private static List<RuleSpec> rules(Ctx c, JsonNode n, Lexicon lexicon) {
    if (!n.isArray()) {
      throw c.error("rules", "expected a list of rules, got " + show(n));
    }
    List<RuleSpec> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < n.size(); i++) {
      JsonNode r = n.get(i);
      String path = "rules[" + i + "]";
      c.requireMap(r, path);
      if (!r.has("id")) {
        throw c.error(path + ".id", "is required");
      }
      String id = c.string(r.get("id"), path + ".id");
      if (!RULE_ID.matcher(id).matches()) {
        throw c.error(
            path + ".id", "rule ids are lower-case letters, digits and _, got \"" + id + "\"");
      }
      path = path + " (" + id + ")";
      if (!ids.add(id)) {
        throw c.error(path + ".id", "duplicate rule id");
      }
      c.onlyKeys(r, path, RULE_KEYS);
      out.add(rule(c, r, path, id, lexicon));
    }
    return out;
  }

  private static RuleSpec rule(Ctx c, JsonNode r, String path, String id, Lexicon lexicon) {
    if (!r.has("kind")) {
      throw c.error(path + ".kind", "is required: cep | phrase | stream | call");
    }
    String kindText = c.string(r.get("kind"), path + ".kind");
    RuleKind kind = RuleKind.parse(kindText);
    if (kind == null) {
      throw c.error(
          path + ".kind", "expected cep | phrase | stream | call, got \"" + kindText + "\"");
    }
    BuiltInRule builtIn = BuiltInRule.byId(id);
    if (builtIn != null && builtIn.kind() != kind) {
      throw c.error(
          path + ".kind",
          id + " is a built-in rule of kind " + builtIn.kind().wireName() + ", not " + kindText);
    }
    if (builtIn == null && kind != RuleKind.PHRASE) {
      throw c.error(
          path + ".kind",
          "unknown rule id \""
              + id
              + "\": only phrase rules can be added; the built-in rules are "
              + java.util.Arrays.stream(BuiltInRule.values()).map(BuiltInRule::id).toList());
    }

    boolean enabled = true;
    if (r.has("enabled")) {
      enabled = c.bool(r.get("enabled"), path + ".enabled");
    }
    Severity severity = builtIn != null ? builtIn.defaultSeverity() : Severity.WARNING;
    if (r.has("severity")) {
      severity = c.severity(r.get("severity"), path + ".severity");
    }

    Set<Role> roles = builtIn != null ? builtIn.defaultRoles() : Set.of(Role.ANY);
    if (r.has("roles")) {
      Set<Role> given = c.roles(r.get("roles"), path + ".roles");
      if (builtIn != null && builtIn.fixedRoles() && !given.equals(builtIn.defaultRoles())) {
        throw c.error(
            path + ".roles",
            "the role scope of "
                + id
                + " is part of its definition: "
                + builtIn.defaultRoles().stream().map(Role::wireName).toList()
                + "; remove roles or set exactly that");
      }
      roles = given;
    }

    Map<String, ParamSpec> specs =
        builtIn != null ? builtIn.params() : BuiltInRule.userPhraseParams();
    Map<String, Serializable> params = new LinkedHashMap<>();
    JsonNode p = r.get("params");
    String ppath = path + ".params";
    if (p != null && !p.isNull()) {
      c.requireMap(p, ppath);
      Iterator<String> names = p.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        if (!specs.containsKey(name)) {
          throw c.error(
              ppath + "." + name, "unknown parameter; " + id + " accepts " + specs.keySet());
        }
      }
    }
    for (ParamSpec spec : specs.values()) {
      JsonNode v = p == null ? null : p.get(spec.name());
      params.put(
          spec.name(),
          v == null ? spec.defaultValue() : c.param(spec, v, ppath + "." + spec.name(), lexicon));
    }
    if (kind == RuleKind.PHRASE) {
      @SuppressWarnings("unchecked")
      List<String> intents = (List<String>) params.get("intents");
      @SuppressWarnings("unchecked")
      List<String> phrases = (List<String>) params.get("phrases");
      if (intents.isEmpty() && phrases.isEmpty()) {
        throw c.error(ppath, "a phrase rule needs at least one of intents or phrases");
      }
    }

    double weight = 0;
    boolean autoFail = false;
    if (r.has("score")) {
      JsonNode s = r.get("score");
      String spath = path + ".score";
      c.requireMap(s, spath);
      c.onlyKeys(s, spath, Set.of("weight", "autoFail"));
      if (s.has("weight")) {
        JsonNode w = s.get("weight");
        if (!w.isNumber() || w.asDouble() < 0 || !Double.isFinite(w.asDouble())) {
          throw c.error(spath + ".weight", "expected a number ≥ 0, got " + show(w));
        }
        weight = w.asDouble();
      }
      if (s.has("autoFail")) {
        autoFail = c.bool(s.get("autoFail"), spath + ".autoFail");
      }
    }
    String description = "";
    if (r.has("description")) {
      description = c.string(r.get("description"), path + ".description");
    }
    return new RuleSpec(id, kind, enabled, severity, roles, params, weight, autoFail, description);
  }

  static String show(JsonNode v) {
    if (v == null) {
      return "nothing";
    }
    if (v.isTextual()) {
      return "\"" + v.asText() + "\"";
    }
    if (v.isObject()) {
      return "a map";
    }
    if (v.isArray()) {
      return "a list";
    }
    return v.toString();
  }

  private static String fingerprint(String rules, String lexicon) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(rules.getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(lexicon.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(md.digest()).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Error helpers bound to one file. */
  private static final class Ctx {
    final String source;

    Ctx(String source) {
      this.source = source;
    }

    RulesParseException error(String path, String problem) {
      return new RulesParseException(source, path, problem);
    }

    void requireMap(JsonNode n, String path) {
      if (n == null || !n.isObject()) {
        throw error(path, "expected a map, got " + show(n));
      }
    }

    void onlyKeys(JsonNode n, String path, Set<String> allowed) {
      Iterator<String> it = n.fieldNames();
      while (it.hasNext()) {
        String k = it.next();
        if (!allowed.contains(k)) {
          throw error(
              path.isEmpty() ? k : path + "." + k,
              "unknown key; allowed here: " + new java.util.TreeSet<>(allowed));
        }
      }
    }

    int version(JsonNode v, String path) {
      if (v == null) {
        throw error(path, "is required (" + SCHEMA_VERSION + ")");
      }
      if (!v.isInt() || v.asInt() != SCHEMA_VERSION) {
        throw error(
            path, "unsupported version " + show(v) + "; this build reads " + SCHEMA_VERSION);
      }
      return v.asInt();
    }

    String string(JsonNode v, String path) {
      if (v == null || !v.isTextual() || v.asText().isBlank()) {
        throw error(path, "expected a non-empty string, got " + show(v));
      }
      return v.asText();
    }

    boolean bool(JsonNode v, String path) {
      if (v == null || !v.isBoolean()) {
        throw error(path, "expected true or false, got " + show(v));
      }
      return v.asBoolean();
    }

    long integer(JsonNode v, String path, long min) {
      if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
        throw error(path, "expected a whole number ≥ " + min + ", got " + show(v));
      }
      if (v.asLong() < min) {
        throw error(path, "expected a whole number ≥ " + min + ", got " + v.asLong());
      }
      return v.asLong();
    }

    long optMillis(JsonNode n, String path, String key, long dflt, long min) {
      if (!n.has(key)) {
        return dflt;
      }
      return millis(n.get(key), path + "." + key, min);
    }

    long millis(JsonNode v, String path, long min) {
      if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min) {
        throw error(path, "expected milliseconds as a whole number ≥ " + min + ", got " + show(v));
      }
      return v.asLong();
    }

    Severity severity(JsonNode v, String path) {
      String s = v != null && v.isTextual() ? v.asText() : null;
      Severity sev = s == null ? null : Severity.parse(s);
      if (sev == null) {
        throw error(path, "expected info | warning | critical, got " + show(v));
      }
      return sev;
    }

    Set<Role> roles(JsonNode v, String path) {
      List<JsonNode> items = new ArrayList<>();
      if (v != null && v.isTextual()) {
        items.add(v);
      } else if (v != null && v.isArray() && !v.isEmpty()) {
        v.forEach(items::add);
      } else {
        throw error(
            path, "expected a role or a non-empty list of agent | customer | any, got " + show(v));
      }
      Set<Role> out = EnumSet.noneOf(Role.class);
      for (JsonNode item : items) {
        Role r = item.isTextual() ? Role.parse(item.asText()) : null;
        if (r == null) {
          throw error(path, "expected agent | customer | any, got " + show(item));
        }
        out.add(r);
      }
      if (out.contains(Role.ANY) && out.size() > 1) {
        throw error(path, "any already covers every role; list it alone");
      }
      return out;
    }

    List<String> stringList(JsonNode v, String path) {
      if (v == null || !v.isArray()) {
        throw error(path, "expected a list, got " + show(v));
      }
      List<String> out = new ArrayList<>();
      for (int i = 0; i < v.size(); i++) {
        out.add(string(v.get(i), path + "[" + i + "]"));
      }
      return out;
    }

    List<String> phraseList(JsonNode v, String path) {
      List<String> list = stringList(v, path);
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < list.size(); i++) {
        String phrase = list.get(i);
        if (TextTokens.tokenize(phrase).isEmpty()) {
          throw error(
              path + "[" + i + "]", "\"" + phrase + "\" has no words or characters to match");
        }
        if (!seen.add(String.join(" ", TextTokens.tokenize(phrase)))) {
          throw error(path + "[" + i + "]", "duplicate phrase \"" + phrase + "\"");
        }
      }
      return list;
    }

    Serializable param(ParamSpec spec, JsonNode v, String path, Lexicon lexicon) {
      switch (spec.type()) {
        case MILLIS:
          return millis(v, path, spec.min());
        case INT:
          return (int) integer(v, path, spec.min());
        case SEVERITY:
          return severity(v, path);
        case INTENT:
          {
            String name = string(v, path);
            requireIntent(lexicon, name, path);
            return name;
          }
        case INTENTS:
          {
            List<String> names = stringList(v, path);
            for (int i = 0; i < names.size(); i++) {
              requireIntent(lexicon, names.get(i), path + "[" + i + "]");
            }
            return new ArrayList<>(names);
          }
        case PHRASES:
          return new ArrayList<>(phraseList(v, path));
        case EVENT_TYPES:
          {
            List<String> names = stringList(v, path);
            for (int i = 0; i < names.size(); i++) {
              String t = names.get(i);
              boolean ok =
                  java.util.Arrays.stream(CallEventType.values())
                      .anyMatch(e -> e != CallEventType.UNKNOWN && e.name().equals(t));
              if (!ok) {
                throw error(
                    path + "[" + i + "]",
                    "expected a call event type (STARTED, ENDED, TRANSFERRED, HOLD_START, HOLD_END,"
                        + " BOT_TO_AGENT), got \""
                        + t
                        + "\"");
              }
            }
            return new ArrayList<>(names);
          }
        case PII_KINDS:
          {
            List<String> names = stringList(v, path);
            for (int i = 0; i < names.size(); i++) {
              String k = names.get(i);
              if (java.util.Arrays.stream(PiiKind.values()).noneMatch(e -> e.name().equals(k))) {
                throw error(
                    path + "[" + i + "]",
                    "expected a PII kind "
                        + java.util.Arrays.toString(PiiKind.values())
                        + ", got \""
                        + k
                        + "\"");
              }
            }
            return new ArrayList<>(names);
          }
        default:
          throw new IllegalStateException(spec.type().name());
      }
    }

    void requireIntent(Lexicon lexicon, String name, String path) {
      if (!lexicon.has(name)) {
        throw error(
            path, "unknown intent \"" + name + "\"; the lexicon has " + lexicon.intents().keySet());
      }
    }
  }
}
