package io.callqa.operators.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesParserTest {

  static final String LEXICON =
      """
      version: 1
      intents:
        agent_greeting:
          role: agent
          phrases: {en: ["hello how can i help"], zh: ["您好请问有什么可以帮您"]}
        agent_banned:
          role: agent
          phrases: {zh: ["这不归我管"]}
        customer_request_human:
          role: customer
          phrases: {zh: ["转人工"]}
      """;

  static RulesConfig parse(String rulesYaml) {
    return RulesParser.parse(
        rulesYaml, "test-rules.yaml", ref -> new RulesParser.Resolved(LEXICON, ref));
  }

  static String withRule(String ruleYaml) {
    return "version: 1\nrules:\n" + ruleYaml.indent(2);
  }

  static void assertRulesError(String rulesYaml, String path, String problem) {
    assertThatThrownBy(() -> parse(rulesYaml))
        .isInstanceOf(RulesParseException.class)
        .hasMessageContaining(path.isEmpty() ? "test-rules.yaml" : path)
        .hasMessageContaining(problem)
        .satisfies(e -> assertThat(((RulesParseException) e).path()).isEqualTo(path));
  }

  static void assertLexiconError(String lexiconYaml, String path, String problem) {
    assertThatThrownBy(() -> RulesParser.parseLexicon(lexiconYaml, "lex.yaml"))
        .isInstanceOf(RulesParseException.class)
        .hasMessageContaining(problem)
        .satisfies(e -> assertThat(((RulesParseException) e).path()).isEqualTo(path));
  }

  // ---------------------------------------------------------------- shipped defaults

  @Test
  void shippedDefaultsHoldTheWholeCatalogWithTheDocumentedNumbers() {
    RulesConfig c = RulesLoader.defaults();
    assertThat(c.rules())
        .extracting(RuleSpec::id)
        .containsExactly(
            "anger_escalation",
            "forced_transfer",
            "banned_phrase",
            "complaint_risk",
            "missing_greeting",
            "missing_closing",
            "dead_air",
            "overtalk",
            "pii_spoken");
    assertThat(c.rules()).allMatch(RuleSpec::enabled);
    RuleSpec anger = c.rule("anger_escalation").orElseThrow();
    assertThat(anger.integer("consecutive")).isEqualTo(2);
    assertThat(anger.millis("windowMs")).isEqualTo(60_000);
    assertThat(anger.severityParam("escalatedSeverity")).isEqualTo(Severity.CRITICAL);
    RuleSpec forced = c.rule("forced_transfer").orElseThrow();
    assertThat(forced.millis("windowMs")).isEqualTo(180_000);
    assertThat(forced.millis("honorWithinMs")).isEqualTo(30_000);
    assertThat(forced.strings("honoringEvents")).containsExactly("TRANSFERRED", "BOT_TO_AGENT");
    assertThat(c.rule("dead_air").orElseThrow().millis("thresholdMs")).isEqualTo(10_000);
    assertThat(c.rule("overtalk").orElseThrow().millis("minOverlapMs")).isEqualTo(1_000);
    assertThat(c.rule("missing_greeting").orElseThrow().integer("firstUtterances")).isEqualTo(2);
    assertThat(c.rule("missing_closing").orElseThrow().integer("lastUtterances")).isEqualTo(2);
    assertThat(c.rule("banned_phrase").orElseThrow().autoFail()).isTrue();
    assertThat(c.rule("pii_spoken").orElseThrow().severity()).isEqualTo(Severity.INFO);
    assertThat(c.scorecardRules().stream().mapToDouble(RuleSpec::scoreWeight).sum())
        .isEqualTo(100.0);
    assertThat(c.lexicon().intents()).containsKeys("agent_greeting", "customer_request_human");
    assertThat(c.timing()).isEqualTo(TimingOptions.DEFAULTS);
    assertThat(c.matching()).isEqualTo(MatchingOptions.DEFAULTS);
    assertThat(c.fingerprint()).hasSize(12);
  }

  @Test
  void flinkConfCopiesAreTheShippedDefaults() throws IOException {
    Path conf = Path.of("..", "flink-conf");
    Path resources = Path.of("src", "main", "resources", "callqa");
    for (String f : List.of("rules.yaml", "lexicon.yaml")) {
      assertThat(conf.resolve(f).toRealPath()).isEqualTo(resources.resolve(f).toRealPath());
    }
  }

  @Test
  void minimalFileGetsDefaultsForEveryOmittedValue() {
    RulesConfig c = parse(withRule("- {id: dead_air, kind: call}"));
    RuleSpec r = c.rule("dead_air").orElseThrow();
    assertThat(r.enabled()).isTrue();
    assertThat(r.severity()).isEqualTo(Severity.WARNING);
    assertThat(r.millis("thresholdMs")).isEqualTo(10_000);
    assertThat(r.scoreWeight()).isZero();
    assertThat(r.autoFail()).isFalse();
    assertThat(c.rule("anger_escalation")).isEmpty();
    assertThat(c.scorecardRules()).isEmpty();
  }

  @Test
  void disabledRuleIsKeptButNotEnabled() {
    RulesConfig c = parse(withRule("- {id: dead_air, kind: call, enabled: false}"));
    assertThat(c.rule("dead_air")).isPresent();
    assertThat(c.enabled(BuiltInRule.DEAD_AIR)).isEmpty();
  }

  @Test
  void userDefinedPhraseRuleWithLiteralPhrases() {
    RulesConfig c =
        parse(
            withRule(
                """
                - id: rude_words
                  kind: phrase
                  severity: critical
                  params: {phrases: ["你有病吧"], intents: [agent_banned]}
                  score: {weight: 5, autoFail: true}
                """));
    RuleSpec r = c.rule("rude_words").orElseThrow();
    assertThat(r.builtIn()).isNull();
    assertThat(r.roles()).containsExactly(Role.ANY);
    assertThat(r.phraseRuleIntents()).containsExactly("agent_banned", "rule:rude_words");
    assertThat(c.matcherLexicon().intents()).containsKey("rule:rude_words");
    assertThat(IntentMatcher.of(c).intents("你有病吧真是")).contains("rule:rude_words");
  }

  @Test
  void rolesMayRestateAFixedScope() {
    RulesConfig c = parse(withRule("- {id: missing_greeting, kind: call, roles: [agent]}"));
    assertThat(c.rule("missing_greeting").orElseThrow().roles()).containsExactly(Role.AGENT);
  }

  @Test
  void fingerprintFollowsTheContent() {
    String a = withRule("- {id: dead_air, kind: call}");
    String b = withRule("- {id: dead_air, kind: call, params: {thresholdMs: 9000}}");
    assertThat(parse(a).fingerprint()).isEqualTo(parse(a).fingerprint());
    assertThat(parse(a).fingerprint()).isNotEqualTo(parse(b).fingerprint());
  }

  // ---------------------------------------------------------------- file level

  @Test
  void emptyFile() {
    assertRulesError("", "", "the file is empty");
    assertRulesError("# only a comment\n", "", "the file is empty");
  }

  @Test
  void notYaml() {
    assertRulesError("version: [1\n", "", "not valid YAML");
  }

  @Test
  void duplicateKeys() {
    assertRulesError("version: 1\nversion: 1\nrules: []\n", "", "not valid YAML");
  }

  @Test
  void topLevelMustBeAMap() {
    assertRulesError("- 1\n- 2\n", "", "expected a map");
  }

  @Test
  void versionRequiredAndSupported() {
    assertRulesError("rules: []\n", "version", "is required");
    assertRulesError("version: 2\nrules: []\n", "version", "unsupported version 2");
    assertRulesError("version: \"1\"\nrules: []\n", "version", "unsupported version");
  }

  @Test
  void unknownTopLevelKey() {
    assertRulesError("version: 1\nrulez: []\nrules: []\n", "rulez", "unknown key");
  }

  @Test
  void rulesRequiredAndAList() {
    assertRulesError("version: 1\n", "rules", "is required");
    assertRulesError("version: 1\nrules: {a: 1}\n", "rules", "expected a list");
  }

  @Test
  void lexiconMustBeReadable() {
    assertThatThrownBy(
            () ->
                RulesParser.parse(
                    "version: 1\nlexicon: nope.yaml\nrules: []\n",
                    "r.yaml",
                    ref -> {
                      throw new IOException("no such file " + ref);
                    }))
        .isInstanceOf(RulesParseException.class)
        .hasMessageContaining("lexicon")
        .hasMessageContaining("no such file nope.yaml");
  }

  @Test
  void lexiconReferenceMustBeAString() {
    assertRulesError(
        "version: 1\nlexicon: 3\nrules: []\n", "lexicon", "expected a non-empty string");
  }

  // ---------------------------------------------------------------- matching and timing

  @Test
  void matchingValues() {
    assertRulesError(
        "version: 1\nmatching: {maxErrorRate: 1.5}\nrules: []\n",
        "matching.maxErrorRate",
        "expected a number in [0, 1)");
    assertRulesError(
        "version: 1\nmatching: {maxErrorRate: lots}\nrules: []\n",
        "matching.maxErrorRate",
        "expected a number");
    assertRulesError(
        "version: 1\nmatching: {minTokensForTypo: 0}\nrules: []\n",
        "matching.minTokensForTypo",
        "≥ 1");
    assertRulesError(
        "version: 1\nmatching: {fuzzy: true}\nrules: []\n", "matching.fuzzy", "unknown key");
    assertRulesError("version: 1\nmatching: 3\nrules: []\n", "matching", "expected a map");
    assertThat(
            parse("version: 1\nmatching: {maxErrorRate: 0.2, minTokensForTypo: 4}\nrules: []\n")
                .matching())
        .isEqualTo(new MatchingOptions(0.2, 4, MatchingOptions.DEFAULTS.maxErrorRateChars()));
  }

  @Test
  void timingValues() {
    assertRulesError(
        "version: 1\ntiming: {endGraceMs: -1}\nrules: []\n", "timing.endGraceMs", "≥ 0");
    assertRulesError(
        "version: 1\ntiming: {endGraceMs: 2.5}\nrules: []\n", "timing.endGraceMs", "whole number");
    assertRulesError(
        "version: 1\ntiming: {idleTimeoutMs: 0}\nrules: []\n", "timing.idleTimeoutMs", "≥ 1");
    assertRulesError(
        "version: 1\ntiming: {graceMs: 5}\nrules: []\n", "timing.graceMs", "unknown key");
    assertRulesError(
        "version: 1\ntiming: {channelProgressTimeoutMs: 0}\nrules: []\n",
        "timing.channelProgressTimeoutMs",
        "≥ 1");
    TimingOptions t =
        parse(
                "version: 1\ntiming: {channelSkewWaitMs: 250, channelProgressTimeoutMs: 15000,"
                    + " lateRetentionMs: 0}\nrules: []\n")
            .timing();
    assertThat(t.channelSkewWaitMs()).isEqualTo(250);
    assertThat(t.channelProgressTimeoutMs()).isEqualTo(15_000);
    assertThat(TimingOptions.DEFAULTS.channelProgressTimeoutMs()).isEqualTo(20_000);
    assertThat(t.lateRetentionMs()).isZero();
    assertThat(t.idleTimeoutMs()).isEqualTo(TimingOptions.DEFAULTS.idleTimeoutMs());
  }

  // ---------------------------------------------------------------- rule fields

  @Test
  void ruleMustBeAMap() {
    assertRulesError(withRule("- dead_air"), "rules[0]", "expected a map");
  }

  @Test
  void ruleIdRequiredValidUnique() {
    assertRulesError(withRule("- {kind: call}"), "rules[0].id", "is required");
    assertRulesError(withRule("- {id: Dead-Air, kind: call}"), "rules[0].id", "lower-case");
    assertRulesError(withRule("- {id: 7, kind: call}"), "rules[0].id", "non-empty string");
    assertRulesError(
        withRule("- {id: dead_air, kind: call}\n- {id: dead_air, kind: call}"),
        "rules[1] (dead_air).id",
        "duplicate rule id");
  }

  @Test
  void ruleUnknownKey() {
    assertRulesError(
        withRule("- {id: dead_air, kind: call, threshold: 5}"),
        "rules[0] (dead_air).threshold",
        "unknown key");
  }

  @Test
  void ruleKind() {
    assertRulesError(withRule("- {id: dead_air}"), "rules[0] (dead_air).kind", "is required");
    assertRulesError(
        withRule("- {id: dead_air, kind: sql}"), "rules[0] (dead_air).kind", "got \"sql\"");
    assertRulesError(
        withRule("- {id: dead_air, kind: phrase}"),
        "rules[0] (dead_air).kind",
        "built-in rule of kind call");
    assertRulesError(
        withRule("- {id: my_pattern, kind: cep}"),
        "rules[0] (my_pattern).kind",
        "only phrase rules can be added");
  }

  @Test
  void ruleEnabled() {
    assertRulesError(
        withRule("- {id: dead_air, kind: call, enabled: yes please}"),
        "rules[0] (dead_air).enabled",
        "expected true or false");
  }

  @Test
  void ruleSeverity() {
    assertRulesError(
        withRule("- {id: dead_air, kind: call, severity: fatal}"),
        "rules[0] (dead_air).severity",
        "expected info | warning | critical");
    assertThat(
            parse(withRule("- {id: dead_air, kind: call, severity: CRITICAL}"))
                .rule("dead_air")
                .orElseThrow()
                .severity())
        .isEqualTo(Severity.CRITICAL);
  }

  @Test
  void ruleRoles() {
    assertRulesError(
        withRule("- {id: banned_phrase, kind: phrase, roles: [boss]}"),
        "rules[0] (banned_phrase).roles",
        "expected agent | customer | any");
    assertRulesError(
        withRule("- {id: banned_phrase, kind: phrase, roles: []}"),
        "rules[0] (banned_phrase).roles",
        "non-empty list");
    assertRulesError(
        withRule("- {id: banned_phrase, kind: phrase, roles: [any, agent]}"),
        "rules[0] (banned_phrase).roles",
        "list it alone");
    assertRulesError(
        withRule("- {id: anger_escalation, kind: cep, roles: [agent]}"),
        "rules[0] (anger_escalation).roles",
        "part of its definition");
    RuleSpec r =
        parse(withRule("- {id: banned_phrase, kind: phrase, roles: [agent, customer]}"))
            .rule("banned_phrase")
            .orElseThrow();
    assertThat(r.roles()).containsExactlyInAnyOrder(Role.AGENT, Role.CUSTOMER);
    assertThat(r.covers(io.callqa.schemas.Channel.MIXED)).isFalse();
  }

  @Test
  void ruleDescription() {
    assertRulesError(
        withRule("- {id: dead_air, kind: call, description: [a]}"),
        "rules[0] (dead_air).description",
        "non-empty string");
  }

  // ---------------------------------------------------------------- params

  @Test
  void paramsMustBeAMapOfKnownNames() {
    assertRulesError(
        withRule("- {id: dead_air, kind: call, params: [1]}"),
        "rules[0] (dead_air).params",
        "expected a map");
    assertRulesError(
        withRule("- {id: dead_air, kind: call, params: {thresholdSecs: 5}}"),
        "rules[0] (dead_air).params.thresholdSecs",
        "unknown parameter; dead_air accepts [thresholdMs]");
  }

  @Test
  void millisParams() {
    assertRulesError(
        withRule("- {id: dead_air, kind: call, params: {thresholdMs: abc}}"),
        "rules[0] (dead_air).params.thresholdMs",
        "expected milliseconds");
    assertRulesError(
        withRule("- {id: dead_air, kind: call, params: {thresholdMs: 0}}"),
        "rules[0] (dead_air).params.thresholdMs",
        "≥ 1");
    assertRulesError(
        withRule("- {id: overtalk, kind: stream, params: {customerSpeakingMs: -5}}"),
        "rules[0] (overtalk).params.customerSpeakingMs",
        "≥ 0");
    assertThat(
            parse(withRule("- {id: overtalk, kind: stream, params: {customerSpeakingMs: 0}}"))
                .rule("overtalk")
                .orElseThrow()
                .millis("customerSpeakingMs"))
        .isZero();
  }

  @Test
  void intParams() {
    assertRulesError(
        withRule("- {id: anger_escalation, kind: cep, params: {consecutive: 1}}"),
        "rules[0] (anger_escalation).params.consecutive",
        "≥ 2");
    assertRulesError(
        withRule("- {id: missing_closing, kind: call, params: {lastUtterances: two}}"),
        "rules[0] (missing_closing).params.lastUtterances",
        "whole number");
  }

  @Test
  void severityParams() {
    assertRulesError(
        withRule("- {id: anger_escalation, kind: cep, params: {escalatedSeverity: red}}"),
        "rules[0] (anger_escalation).params.escalatedSeverity",
        "expected info | warning | critical");
  }

  @Test
  void intentParamsMustNameLexiconIntents() {
    assertRulesError(
        withRule("- {id: missing_greeting, kind: call, params: {intent: agent_hello}}"),
        "rules[0] (missing_greeting).params.intent",
        "unknown intent \"agent_hello\"");
    assertRulesError(
        withRule("- {id: banned_phrase, kind: phrase, params: {intents: [agent_banned, nope]}}"),
        "rules[0] (banned_phrase).params.intents[1]",
        "unknown intent \"nope\"");
    assertRulesError(
        withRule("- {id: banned_phrase, kind: phrase, params: {intents: agent_banned}}"),
        "rules[0] (banned_phrase).params.intents",
        "expected a list");
  }

  @Test
  void phraseParams() {
    assertRulesError(
        withRule("- {id: banned_phrase, kind: phrase, params: {phrases: [\"\"]}}"),
        "rules[0] (banned_phrase).params.phrases[0]",
        "non-empty string");
    assertRulesError(
        withRule("- {id: banned_phrase, kind: phrase, params: {phrases: [\"?!\"]}}"),
        "rules[0] (banned_phrase).params.phrases[0]",
        "no words or characters");
    assertRulesError(
        withRule("- {id: banned_phrase, kind: phrase, params: {phrases: [滚, \"滚！\"]}}"),
        "rules[0] (banned_phrase).params.phrases[1]",
        "duplicate phrase");
    assertRulesError(
        withRule("- {id: banned_phrase, kind: phrase, params: {intents: [], phrases: []}}"),
        "rules[0] (banned_phrase).params",
        "needs at least one of intents or phrases");
    assertRulesError(
        withRule("- {id: shouting, kind: phrase}"),
        "rules[0] (shouting).params",
        "needs at least one of intents or phrases");
  }

  @Test
  void eventTypeParams() {
    assertRulesError(
        withRule("- {id: forced_transfer, kind: cep, params: {honoringEvents: [HANGUP]}}"),
        "rules[0] (forced_transfer).params.honoringEvents[0]",
        "expected a call event type");
    assertRulesError(
        withRule("- {id: forced_transfer, kind: cep, params: {honoringEvents: [UNKNOWN]}}"),
        "rules[0] (forced_transfer).params.honoringEvents[0]",
        "expected a call event type");
  }

  @Test
  void piiKindParams() {
    assertRulesError(
        withRule("- {id: pii_spoken, kind: stream, params: {kinds: [SSN]}}"),
        "rules[0] (pii_spoken).params.kinds[0]",
        "expected a PII kind");
    assertThat(
            parse(withRule("- {id: pii_spoken, kind: stream, params: {kinds: [EMAIL]}}"))
                .rule("pii_spoken")
                .orElseThrow()
                .strings("kinds"))
        .containsExactly("EMAIL");
  }

  // ---------------------------------------------------------------- score

  @Test
  void scoreValues() {
    assertRulesError(
        withRule("- {id: dead_air, kind: call, score: 10}"),
        "rules[0] (dead_air).score",
        "expected a map");
    assertRulesError(
        withRule("- {id: dead_air, kind: call, score: {weight: -1}}"),
        "rules[0] (dead_air).score.weight",
        "expected a number ≥ 0");
    assertRulesError(
        withRule("- {id: dead_air, kind: call, score: {weight: ten}}"),
        "rules[0] (dead_air).score.weight",
        "expected a number ≥ 0");
    assertRulesError(
        withRule("- {id: dead_air, kind: call, score: {autoFail: 1}}"),
        "rules[0] (dead_air).score.autoFail",
        "expected true or false");
    assertRulesError(
        withRule("- {id: dead_air, kind: call, score: {points: 1}}"),
        "rules[0] (dead_air).score.points",
        "unknown key");
    RuleSpec r =
        parse(withRule("- {id: dead_air, kind: call, score: {weight: 2.5, autoFail: true}}"))
            .rule("dead_air")
            .orElseThrow();
    assertThat(r.scoreWeight()).isEqualTo(2.5);
    assertThat(r.autoFail()).isTrue();
  }

  // ---------------------------------------------------------------- lexicon

  @Test
  void lexiconParses() {
    Lexicon l = RulesParser.parseLexicon(LEXICON, "lex.yaml");
    assertThat(l.intents())
        .containsOnlyKeys("agent_greeting", "agent_banned", "customer_request_human");
    assertThat(l.intents().get("agent_greeting").role()).isEqualTo(Role.AGENT);
    assertThat(l.intents().get("agent_greeting").allPhrases()).hasSize(2);
  }

  @Test
  void lexiconErrors() {
    assertLexiconError("version: 1\n", "intents", "is required");
    assertLexiconError("version: 1\nintents: {}\n", "intents", "at least one intent");
    assertLexiconError("intents: {a: {phrases: {en: [x]}}}\n", "version", "is required");
    assertLexiconError(
        "version: 1\nintents: {Greeting: {phrases: {en: [hi]}}}\n",
        "intents.Greeting",
        "intent names");
    assertLexiconError(
        "version: 1\nintents: {hi: {role: any, phrases: {en: [hi]}}}\n",
        "intents.hi.role",
        "expected agent or customer");
    assertLexiconError(
        "version: 1\nintents: {hi: {role: agent}}\n", "intents.hi.phrases", "is required");
    assertLexiconError(
        "version: 1\nintents: {hi: {phrases: {EN: [hi]}}}\n",
        "intents.hi.phrases.EN",
        "language codes");
    assertLexiconError(
        "version: 1\nintents: {hi: {phrases: {en: hi}}}\n",
        "intents.hi.phrases.en",
        "expected a list");
    assertLexiconError(
        "version: 1\nintents: {hi: {phrases: {en: [hi, \"Hi!\"]}}}\n",
        "intents.hi.phrases.en[1]",
        "duplicate phrase");
    assertLexiconError(
        "version: 1\nintents: {hi: {phrases: {en: []}}}\n",
        "intents.hi.phrases",
        "at least one phrase");
    assertLexiconError(
        "version: 1\nintents: {hi: {phrases: {zh: [你好]}, zh_pinyin: [ni3 hao3]}}\n",
        "intents.hi.zh_pinyin",
        "unknown key");
    assertLexiconError("version: 1\nintents: [a]\n", "intents", "expected a map");
  }

  // ---------------------------------------------------------------- loader

  @Test
  void loaderResolvesTheLexiconBesideTheRulesFile(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("my-lexicon.yaml"), LEXICON);
    Path rules = dir.resolve("rules.yaml");
    Files.writeString(
        rules, "version: 1\nlexicon: my-lexicon.yaml\nrules:\n  - {id: dead_air, kind: call}\n");
    RulesConfig c = RulesLoader.load(rules.toString());
    assertThat(c.source()).isEqualTo(rules.toString());
    assertThat(c.lexicon().intents()).containsKey("agent_banned");
  }

  @Test
  void loaderReportsMissingFiles(@TempDir Path dir) {
    assertThatThrownBy(() -> RulesLoader.load(dir.resolve("absent.yaml").toString()))
        .isInstanceOf(RulesParseException.class)
        .hasMessageContaining("cannot read rules");
    assertThatThrownBy(() -> RulesLoader.load("classpath:callqa/absent.yaml"))
        .isInstanceOf(RulesParseException.class)
        .hasMessageContaining("no classpath resource");
  }

  @Test
  void loaderResolvesReferences() {
    assertThat(RulesLoader.resolve("classpath:callqa/rules.yaml", "lexicon.yaml"))
        .isEqualTo("classpath:callqa/lexicon.yaml");
    assertThat(RulesLoader.resolve("classpath:rules.yaml", "lexicon.yaml"))
        .isEqualTo("classpath:lexicon.yaml");
    assertThat(RulesLoader.resolve("/etc/callqa/rules.yaml", "classpath:x.yaml"))
        .isEqualTo("classpath:x.yaml");
    assertThat(RulesLoader.resolve("/etc/callqa/rules.yaml", "lex/l.yaml"))
        .isEqualTo("/etc/callqa/lex/l.yaml");
  }
}
