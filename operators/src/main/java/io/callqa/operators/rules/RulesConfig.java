package io.callqa.operators.rules;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A parsed, validated rules file and its lexicon: what the rules operators are built from.
 * Serializable, so each operator carries its own copy; built once at job build time by {@link
 * RulesLoader}.
 */
public final class RulesConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String fingerprint;
  private final Lexicon lexicon;
  private final MatchingOptions matching;
  private final TimingOptions timing;
  private final ArrayList<RuleSpec> rules;

  RulesConfig(
      String source,
      String fingerprint,
      Lexicon lexicon,
      MatchingOptions matching,
      TimingOptions timing,
      List<RuleSpec> rules) {
    this.source = source;
    this.fingerprint = fingerprint;
    this.lexicon = lexicon;
    this.matching = matching;
    this.timing = timing;
    this.rules = new ArrayList<>(rules);
  }

  /** Where the rules were read from (path or classpath resource). */
  public String source() {
    return source;
  }

  /**
   * First 12 hex digits of SHA-256 over the rules and lexicon text: written into every alert and
   * summary ({@code rulesVersion}) so a result can be traced to the exact rules that made it.
   */
  public String fingerprint() {
    return fingerprint;
  }

  public Lexicon lexicon() {
    return lexicon;
  }

  public MatchingOptions matching() {
    return matching;
  }

  public TimingOptions timing() {
    return timing;
  }

  /** The same rules with other timing (e.g. from the job config, or tests). */
  public RulesConfig withTiming(TimingOptions timing) {
    return new RulesConfig(source, fingerprint, lexicon, matching, timing, rules);
  }

  /** All rules of the file, enabled or not, in file order. */
  public List<RuleSpec> rules() {
    return Collections.unmodifiableList(rules);
  }

  /** The rule with this id, enabled or not. */
  public Optional<RuleSpec> rule(String id) {
    return rules.stream().filter(r -> r.id().equals(id)).findFirst();
  }

  /** The built-in rule's spec when it is in the file and enabled. */
  public Optional<RuleSpec> enabled(BuiltInRule rule) {
    return rule(rule.id()).filter(RuleSpec::enabled);
  }

  /** Enabled rules of kind phrase (built-in and user-defined). */
  public List<RuleSpec> enabledPhraseRules() {
    return rules.stream().filter(r -> r.enabled() && r.kind() == RuleKind.PHRASE).toList();
  }

  /** Enabled rules that are scorecard items (weight above 0, or auto-fail). */
  public List<RuleSpec> scorecardRules() {
    return rules.stream()
        .filter(r -> r.enabled() && (r.scoreWeight() > 0 || r.autoFail()))
        .toList();
  }

  /**
   * The lexicon the matcher uses: the file's intents plus one synthetic intent per phrase rule with
   * literal phrases ({@link RuleSpec#literalPhrasesIntent}).
   */
  public Lexicon matcherLexicon() {
    Lexicon l = lexicon;
    for (RuleSpec r : enabledPhraseRules()) {
      List<String> phrases = r.strings("phrases");
      if (!phrases.isEmpty()) {
        l =
            l.with(
                new Lexicon.Intent(
                    RuleSpec.literalPhrasesIntent(r.id()), null, java.util.Map.of("any", phrases)));
      }
    }
    return l;
  }

  @Override
  public String toString() {
    return "RulesConfig{" + source + " " + fingerprint + " rules=" + rules.size() + "}";
  }
}
