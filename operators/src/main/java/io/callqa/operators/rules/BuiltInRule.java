package io.callqa.operators.rules;

import io.callqa.operators.redaction.PiiKind;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rule catalog: every rule id the engine implements, with its kind, default severity, role
 * scope and parameters (defaults here; every value can be set in the rules file). Users can add
 * more rules of kind {@code phrase}; the other kinds exist only as these built-ins.
 */
public enum BuiltInRule {
  ANGER_ESCALATION(
      "anger_escalation",
      RuleKind.CEP,
      Severity.WARNING,
      Set.of(Role.CUSTOMER),
      true,
      ParamSpec.integer(
          "consecutive", 2, 2, "consecutive angry customer utterances needed (agents may speak)"),
      ParamSpec.millis(
          "windowMs", 60_000, 1, "end of the first to end of the last angry utterance, at most"),
      ParamSpec.severity(
          "escalatedSeverity",
          Severity.CRITICAL,
          "severity when the agent said a banned phrase, or no empathy phrase, in between"),
      ParamSpec.intent("empathyIntent", "agent_empathy", "agent intent that counts as empathy"),
      ParamSpec.intent("bannedIntent", "agent_banned", "agent intent that counts as banned"),
      ParamSpec.list(
          "angerIntents",
          ParamSpec.Type.INTENTS,
          List.of("customer_angry"),
          "customer intents whose words count as angry whatever the detected emotion"),
      ParamSpec.list(
          "calmIntents",
          ParamSpec.Type.INTENTS,
          List.of("customer_thanks"),
          "customer intents whose words count as not angry whatever the detected emotion")),
  FORCED_TRANSFER(
      "forced_transfer",
      RuleKind.CEP,
      Severity.WARNING,
      Set.of(Role.CUSTOMER),
      true,
      ParamSpec.intent("requestIntent", "customer_request_human", "customer asks for a human"),
      ParamSpec.intent("deflectIntent", "agent_deflect_human", "agent refuses or stalls"),
      ParamSpec.intent("transferIntent", "agent_transfer", "agent announces the transfer"),
      ParamSpec.millis(
          "windowMs", 180_000, 1, "the 2nd request comes at most this long after the 1st"),
      ParamSpec.millis(
          "honorWithinMs", 30_000, 1, "time the agent has to transfer before a repeat counts"),
      ParamSpec.list(
          "honoringEvents",
          ParamSpec.Type.EVENT_TYPES,
          List.of("TRANSFERRED", "BOT_TO_AGENT"),
          "call events that honor a request")),
  BANNED_PHRASE(
      "banned_phrase",
      RuleKind.PHRASE,
      Severity.CRITICAL,
      Set.of(Role.AGENT),
      false,
      ParamSpec.list("intents", ParamSpec.Type.INTENTS, List.of("agent_banned"), "intents to flag"),
      ParamSpec.list("phrases", ParamSpec.Type.PHRASES, List.of(), "extra literal phrases")),
  COMPLAINT_RISK(
      "complaint_risk",
      RuleKind.PHRASE,
      Severity.WARNING,
      Set.of(Role.CUSTOMER),
      false,
      ParamSpec.list(
          "intents", ParamSpec.Type.INTENTS, List.of("customer_complaint_risk"), "intents to flag"),
      ParamSpec.list("phrases", ParamSpec.Type.PHRASES, List.of(), "extra literal phrases")),
  MISSING_GREETING(
      "missing_greeting",
      RuleKind.CALL,
      Severity.WARNING,
      Set.of(Role.AGENT),
      true,
      ParamSpec.intent("intent", "agent_greeting", "the greeting intent"),
      ParamSpec.integer("firstUtterances", 2, 1, "how many of the agent's first utterances count")),
  MISSING_CLOSING(
      "missing_closing",
      RuleKind.CALL,
      Severity.WARNING,
      Set.of(Role.AGENT),
      true,
      ParamSpec.intent("intent", "agent_closing", "the closing intent"),
      ParamSpec.integer("lastUtterances", 2, 1, "how many of the agent's last utterances count")),
  DEAD_AIR(
      "dead_air",
      RuleKind.CALL,
      Severity.WARNING,
      Set.of(Role.ANY),
      true,
      ParamSpec.millis("thresholdMs", 10_000, 1, "silence on every channel longer than this")),
  OVERTALK(
      "overtalk",
      RuleKind.STREAM,
      Severity.INFO,
      Set.of(Role.AGENT),
      true,
      ParamSpec.millis(
          "customerSpeakingMs", 1_000, 0, "the customer has been speaking at least this long"),
      ParamSpec.millis("minOverlapMs", 1_000, 1, "and both speak together at least this long")),
  PII_SPOKEN(
      "pii_spoken",
      RuleKind.STREAM,
      Severity.INFO,
      Set.of(Role.ANY),
      false,
      ParamSpec.list(
          "kinds",
          ParamSpec.Type.PII_KINDS,
          Arrays.stream(PiiKind.values()).map(Enum::name).toList(),
          "PII kinds that raise the alert"));

  private final String id;
  private final RuleKind kind;
  private final Severity defaultSeverity;
  private final Set<Role> defaultRoles;
  private final boolean fixedRoles;
  private final Map<String, ParamSpec> params;

  BuiltInRule(
      String id,
      RuleKind kind,
      Severity defaultSeverity,
      Set<Role> defaultRoles,
      boolean fixedRoles,
      ParamSpec... params) {
    this.id = id;
    this.kind = kind;
    this.defaultSeverity = defaultSeverity;
    this.defaultRoles = defaultRoles;
    this.fixedRoles = fixedRoles;
    Map<String, ParamSpec> byName = new LinkedHashMap<>();
    for (ParamSpec p : params) {
      byName.put(p.name(), p);
    }
    this.params = java.util.Collections.unmodifiableMap(byName);
  }

  public String id() {
    return id;
  }

  public RuleKind kind() {
    return kind;
  }

  public Severity defaultSeverity() {
    return defaultSeverity;
  }

  public Set<Role> defaultRoles() {
    return defaultRoles;
  }

  /** True when the role scope is part of the rule's definition and cannot be set in the file. */
  public boolean fixedRoles() {
    return fixedRoles;
  }

  public Map<String, ParamSpec> params() {
    return params;
  }

  /** The built-in rule with this id, or null. */
  public static BuiltInRule byId(String id) {
    for (BuiltInRule r : values()) {
      if (r.id.equals(id)) {
        return r;
      }
    }
    return null;
  }

  /** Parameters of a user-defined phrase rule (same as banned_phrase, with no defaults). */
  static Map<String, ParamSpec> userPhraseParams() {
    Map<String, ParamSpec> m = new LinkedHashMap<>();
    m.put(
        "intents", ParamSpec.list("intents", ParamSpec.Type.INTENTS, List.of(), "intents to flag"));
    m.put("phrases", ParamSpec.list("phrases", ParamSpec.Type.PHRASES, List.of(), "phrases"));
    return m;
  }
}
