package io.callqa.operators.rules;

import static io.callqa.operators.rules.TestCalls.tagged;
import static org.assertj.core.api.Assertions.assertThat;

import io.callqa.schemas.Alert;
import io.callqa.schemas.Channel;
import io.callqa.schemas.Evidence;
import org.junit.jupiter.api.Test;

class AngerEscalationTest {
  static final RuleSpec RULE = TestCalls.RULES.rule("anger_escalation").orElseThrow();
  static final long ONE_MINUTE = 60_000;

  TestCalls.Call call = new TestCalls.Call("call-anger");

  @Test
  void twoConsecutiveAngryCustomerUtterancesWithoutEmpathyAreCritical() throws Exception {
    try (CepHarness cep = CepHarness.anger(RULE)) {
      cep.feed(
          tagged(call.angry(1_000, 3_000, "你们太过分了"), 0),
          tagged(call.agent(3_500, 5_000, "我帮您查询一下")),
          tagged(call.angry(6_000, 8_000, "我非常生气"), 0));
      assertThat(cep.matches()).hasSize(1);
      CallSignal m = cep.matches().get(0);
      assertThat(m.kind).isEqualTo(CallSignal.Kind.MATCH);
      assertThat(m.dedupeKey).isEqualTo("run-0");
      Alert a = m.alert;
      assertThat(a.getRule()).isEqualTo("anger_escalation");
      assertThat(a.getSeverity()).isEqualTo("critical");
      assertThat(a.getAtMs()).isEqualTo(8_000);
      assertThat(a.getEvidence())
          .extracting(Evidence::getUtteranceId)
          .containsExactly("call-anger/CUSTOMER/0", "call-anger/AGENT/0", "call-anger/CUSTOMER/1");
      assertThat(a.getDetails())
          .containsEntry("agentEmpathy", "false")
          .containsEntry("spanMs", "5000");
      assertThat(a.getMessage()).contains("no agent empathy");
      assertThat(a.getTriggerArrivedAtEpochMs()).isEqualTo(1_000_000 - 200);
    }
  }

  @Test
  void agentEmpathyInBetweenKeepsTheBaseSeverity() throws Exception {
    try (CepHarness cep = CepHarness.anger(RULE)) {
      cep.feed(
          tagged(call.angry(1_000, 3_000, "你们太过分了"), 0),
          tagged(call.agent(3_500, 6_000, "非常抱歉给您带来不便")),
          tagged(call.angry(7_000, 9_000, "你们根本不听"), 0));
      assertThat(cep.matches())
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.alert.getSeverity()).isEqualTo("warning");
                assertThat(m.alert.getDetails()).containsEntry("agentEmpathy", "true");
              });
    }
  }

  @Test
  void bannedPhraseInBetweenIsCriticalEvenWithEmpathy() throws Exception {
    try (CepHarness cep = CepHarness.anger(RULE)) {
      cep.feed(
          tagged(call.angry(1_000, 3_000, "this is unacceptable"), 0),
          tagged(call.agent(3_500, 5_000, "i am sorry for the trouble")),
          tagged(call.agent(5_100, 6_000, "calm down")),
          tagged(call.angry(7_000, 9_000, "i am very angry"), 0));
      assertThat(cep.matches())
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.alert.getSeverity()).isEqualTo("critical");
                assertThat(m.alert.getDetails()).containsEntry("agentBanned", "true");
                assertThat(m.alert.getMessage()).contains("banned phrase");
              });
    }
  }

  @Test
  void exactlyAtTheWindowStillFires() throws Exception {
    try (CepHarness cep = CepHarness.anger(RULE)) {
      cep.feed(
          tagged(call.angry(1_000, 2_000, "你们太过分了"), 0),
          tagged(call.angry(60_000, 2_000 + ONE_MINUTE, "我非常生气"), 0));
      assertThat(cep.matches()).hasSize(1);
    }
  }

  @Test
  void oneMillisecondPastTheWindowDoesNotFire() throws Exception {
    try (CepHarness cep = CepHarness.anger(RULE)) {
      cep.feed(
          tagged(call.angry(1_000, 2_000, "你们太过分了"), 0),
          tagged(call.angry(60_000, 2_001 + ONE_MINUTE, "我非常生气"), 0));
      assertThat(cep.matches()).isEmpty();
    }
  }

  @Test
  void aCalmCustomerUtteranceInBetweenBreaksTheSequence() throws Exception {
    try (CepHarness cep = CepHarness.anger(RULE)) {
      cep.feed(
          tagged(call.angry(1_000, 3_000, "你们太过分了"), 0),
          tagged(call.customer(4_000, 5_000, "好的谢谢")),
          tagged(call.angry(6_000, 8_000, "我非常生气"), 1));
      assertThat(cep.matches()).isEmpty();
    }
  }

  @Test
  void windowCountsFromTheFirstOfThePairThatQualifies() throws Exception {
    // A0 ... 100 s ... A1, A2 30 s later: (A0, A1) too far apart, (A1, A2) fires
    try (CepHarness cep = CepHarness.anger(RULE)) {
      cep.feed(
          tagged(call.angry(1_000, 2_000, "你们太过分了"), 0),
          tagged(call.angry(100_000, 102_000, "我非常生气"), 0),
          tagged(call.angry(130_000, 132_000, "你们根本不听"), 0));
      assertThat(cep.matches())
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.alert.getAtMs()).isEqualTo(132_000);
                assertThat(m.alert.getDetails()).containsEntry("firstAtMs", "102000");
              });
    }
  }

  @Test
  void twoEpisodesInOneCallGiveTwoMatchesWithTheirRuns() throws Exception {
    try (CepHarness cep = CepHarness.anger(RULE)) {
      cep.feed(
          tagged(call.angry(1_000, 2_000, "你们太过分了"), 0),
          tagged(call.angry(3_000, 4_000, "我非常生气"), 0),
          tagged(call.customer(10_000, 11_000, "好的"), -1),
          tagged(call.angry(20_000, 21_000, "this is unacceptable"), 1),
          tagged(call.angry(22_000, 23_000, "you people never listen"), 1));
      assertThat(cep.matches()).extracting(m -> m.dedupeKey).containsExactly("run-0", "run-1");
    }
  }

  @Test
  void threeAngryInARowMatchOnceAndFourTwiceInTheSameRun() throws Exception {
    try (CepHarness cep = CepHarness.anger(RULE)) {
      cep.feed(
          tagged(call.angry(1_000, 2_000, "你们太过分了"), 0),
          tagged(call.angry(3_000, 4_000, "我非常生气"), 0),
          tagged(call.angry(5_000, 6_000, "你们根本不听"), 0));
      assertThat(cep.matches()).hasSize(1);
      cep.feed(tagged(call.angry(7_000, 8_000, "你们太过分了"), 0));
      // the analyzer suppresses the second: same dedupe key, same episode
      assertThat(cep.matches()).extracting(m -> m.dedupeKey).containsExactly("run-0", "run-0");
    }
  }

  @Test
  void languageMixStillCounts() throws Exception {
    try (CepHarness cep = CepHarness.anger(RULE)) {
      cep.feed(
          tagged(
              call.say(Channel.CUSTOMER, 1_000, 2_000, "this is unacceptable", "ANGRY", "en"), 0),
          tagged(call.say(Channel.CUSTOMER, 3_000, 4_000, "你们太过分了", "ANGRY", "zh"), 0));
      assertThat(cep.matches()).hasSize(1);
    }
  }

  @Test
  void aLoneAngryUtteranceTimesOutWithoutAlertAndLeavesNoState() throws Exception {
    try (CepHarness cep = CepHarness.anger(RULE)) {
      cep.feed(tagged(call.angry(1_000, 2_000, "你们太过分了"), 0));
      assertThat(cep.harness.numKeyedStateEntries()).isPositive();
      cep.advance(ONE_MINUTE + CepHarness.SLACK_MS + 1);
      assertThat(cep.matches()).isEmpty();
      assertThat(cep.harness.numKeyedStateEntries()).isZero();
      assertThat(cep.harness.numEventTimeTimers()).isZero();
    }
  }

  @Test
  void consecutiveIsConfigurable() throws Exception {
    RuleSpec three =
        RulesParserTest.parse(
                RulesParserTest.withRule(
                    "- {id: anger_escalation, kind: cep, params: {consecutive: 3, bannedIntent: agent_banned, empathyIntent: agent_greeting}}"))
            .rule("anger_escalation")
            .orElseThrow();
    try (CepHarness cep = CepHarness.anger(three)) {
      cep.feed(
          tagged(call.angry(1_000, 2_000, "你们太过分了"), 0),
          tagged(call.angry(3_000, 4_000, "我非常生气"), 0));
      assertThat(cep.matches()).isEmpty();
      cep.feed(
          tagged(call.agent(4_500, 5_000, "嗯")), tagged(call.angry(6_000, 7_000, "你们根本不听"), 0));
      assertThat(cep.matches())
          .singleElement()
          .satisfies(m -> assertThat(m.alert.getEvidence()).hasSize(4));
    }
  }

  @Test
  void inputFilterKeepsOnlyRoleUtterancesWithText() {
    assertThat(CepRules.isAngerInput(tagged(call.angry(1, 2, "你们太过分了")))).isTrue();
    assertThat(CepRules.isAngerInput(tagged(call.agent(1, 2, "好的")))).isTrue();
    assertThat(CepRules.isAngerInput(tagged(call.say(Channel.CUSTOMER, 1, 2, "", "ANGRY", ""))))
        .isFalse();
    assertThat(
            CepRules.isAngerInput(tagged(call.say(Channel.MIXED, 1, 2, "你们太过分了", "ANGRY", "zh"))))
        .isFalse();
    assertThat(CepRules.isAngerInput(tagged(call.failed(Channel.CUSTOMER, 1, 2)))).isFalse();
  }
}
