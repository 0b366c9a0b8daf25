package io.callqa.operators.rules;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One rule of the rules file, parsed and validated: every parameter is present (defaults filled in)
 * and has the type its {@link ParamSpec} says.
 */
public final class RuleSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String id;
  private final RuleKind kind;
  private final boolean enabled;
  private final Severity severity;
  private final EnumSet<Role> roles;
  private final LinkedHashMap<String, Serializable> params;
  private final double scoreWeight;
  private final boolean autoFail;
  private final String description;

  RuleSpec(
      String id,
      RuleKind kind,
      boolean enabled,
      Severity severity,
      Set<Role> roles,
      Map<String, Serializable> params,
      double scoreWeight,
      boolean autoFail,
      String description) {
    this.id = id;
    this.kind = kind;
    this.enabled = enabled;
    this.severity = severity;
    this.roles = roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles);
    this.params = new LinkedHashMap<>(params);
    this.scoreWeight = scoreWeight;
    this.autoFail = autoFail;
    this.description = description;
  }

  public String id() {
    return id;
  }

  public RuleKind kind() {
    return kind;
  }

  public boolean enabled() {
    return enabled;
  }

  public Severity severity() {
    return severity;
  }

  public Set<Role> roles() {
    return Collections.unmodifiableSet(roles);
  }

  /** The built-in rule this spec configures, or null for a user-defined phrase rule. */
  public BuiltInRule builtIn() {
    return BuiltInRule.byId(id);
  }

  /** Weight of this rule's scorecard item; 0 means the rule is not on the scorecard. */
  public double scoreWeight() {
    return scoreWeight;
  }

  /** A FAIL of this item sets the call's score to 0. */
  public boolean autoFail() {
    return autoFail;
  }

  public String description() {
    return description;
  }

  /** Whether an utterance on {@code channel} is in this rule's role scope. */
  public boolean covers(io.callqa.schemas.Channel channel) {
    for (Role r : roles) {
      if (r.covers(channel)) {
        return true;
      }
    }
    return false;
  }

  public long millis(String name) {
    return ((Number) param(name)).longValue();
  }

  public int integer(String name) {
    return ((Number) param(name)).intValue();
  }

  public String string(String name) {
    return (String) param(name);
  }

  public Severity severityParam(String name) {
    return (Severity) param(name);
  }

  @SuppressWarnings("unchecked")
  public List<String> strings(String name) {
    return Collections.unmodifiableList((List<String>) param(name));
  }

  public Map<String, Serializable> params() {
    return Collections.unmodifiableMap(params);
  }

  private Serializable param(String name) {
    if (!params.containsKey(name)) {
      throw new IllegalArgumentException("rule " + id + " has no parameter " + name);
    }
    return params.get(name);
  }

  /** The intents a phrase rule listens to, including its synthetic intent for literal phrases. */
  public List<String> phraseRuleIntents() {
    List<String> out = new ArrayList<>(strings("intents"));
    if (!strings("phrases").isEmpty()) {
      out.add(literalPhrasesIntent(id));
    }
    return out;
  }

  /** Name of the synthetic intent that holds a phrase rule's literal {@code phrases}. */
  public static String literalPhrasesIntent(String ruleId) {
    return "rule:" + ruleId;
  }

  @Override
  public String toString() {
    return "RuleSpec{"
        + id
        + " "
        + kind.wireName()
        + (enabled ? "" : " disabled")
        + " "
        + severity.wireName()
        + " "
        + roles
        + " "
        + params
        + " weight="
        + scoreWeight
        + (autoFail ? " autoFail" : "")
        + "}";
  }
}
