package io.callqa.operators.rules;

import static io.callqa.operators.rules.TestCalls.signal;
import static io.callqa.operators.rules.TestCalls.tagged;
import static org.assertj.core.api.Assertions.assertThat;

import io.callqa.schemas.CallEventType;
import io.callqa.schemas.Evidence;
import org.junit.jupiter.api.Test;

class ForcedTransferTest {
  static final RuleSpec RULE = TestCalls.RULES.rule("forced_transfer").orElseThrow();
  static final long THREE_MINUTES = 180_000;

  TestCalls.Call call = new TestCalls.Call("call-ft");

  CallSignal request(long start, long end, String text) {
    return tagged(call.customer(start, end, text));
  }

  CallSignal agent(long start, long end, String text) {
    return tagged(call.agent(start, end, text));
  }

  /** Feeds only what the CEP input filter lets through, as the assembly does. */
  static CallSignal[] relevant(CallSignal... all) {
    return java.util.Arrays.stream(all)
        .filter(s -> CepRules.isForcedTransferInput(s, RULE))
        .toArray(CallSignal[]::new);
  }

  @Test
  void deflectedRequestAskedAgainFires() throws Exception {
    try (CepHarness cep = CepHarness.forcedTransfer(RULE)) {
      cep.feed(
          relevant(
              request(10_000, 11_000, "转人工"),
              agent(12_000, 14_000, "请您先描述一下问题"),
              request(15_000, 16_000, "我要人工客服")));
      assertThat(cep.matches())
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.dedupeKey).isEqualTo("call");
                assertThat(m.alert.getRule()).isEqualTo("forced_transfer");
                assertThat(m.alert.getAtMs()).isEqualTo(16_000);
                assertThat(m.alert.getDetails()).containsEntry("deflected", "true");
                assertThat(m.alert.getEvidence())
                    .extracting(Evidence::getUtteranceId)
                    .containsExactly("call-ft/CUSTOMER/0", "call-ft/AGENT/0", "call-ft/CUSTOMER/1");
              });
    }
  }

  @Test
  void secondRequestAfterTheHonorWindowFiresWithoutDeflection() throws Exception {
    try (CepHarness cep = CepHarness.forcedTransfer(RULE)) {
      cep.feed(
          relevant(
              request(10_000, 11_000, "i want to talk to a human"),
              agent(12_000, 14_000, "let me check that for you"),
              request(50_000, 51_000, "transfer me to an agent")));
      assertThat(cep.matches())
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.alert.getDetails()).containsEntry("deflected", "false");
                assertThat(m.alert.getMessage()).contains("not honored within 30 s");
              });
    }
  }

  @Test
  void aQuickRepeatIsNotYetForcedButALaterOneIs() throws Exception {
    try (CepHarness cep = CepHarness.forcedTransfer(RULE)) {
      cep.feed(relevant(request(10_000, 11_000, "转人工"), request(15_000, 16_000, "转人工")));
      assertThat(cep.matches()).isEmpty(); // the agent still has time to transfer
      cep.feed(relevant(request(45_000, 46_000, "我要找真人")));
      assertThat(cep.matches())
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.alert.getDetails())
                    .containsEntry("firstRequestAtMs", "11000")
                    .containsEntry("requests", "3");
              });
    }
  }

  @Test
  void exactlyAtTheHonorWindowIsStillInTime() throws Exception {
    try (CepHarness cep = CepHarness.forcedTransfer(RULE)) {
      cep.feed(relevant(request(10_000, 11_000, "转人工"), request(40_000, 41_000, "转人工")));
      assertThat(cep.matches()).isEmpty();
    }
    try (CepHarness cep = CepHarness.forcedTransfer(RULE)) {
      cep.feed(relevant(request(10_000, 11_000, "转人工"), request(40_000, 41_001, "转人工")));
      assertThat(cep.matches()).hasSize(1);
    }
  }

  @Test
  void agentTransferPhraseHonorsTheRequest() throws Exception {
    try (CepHarness cep = CepHarness.forcedTransfer(RULE)) {
      cep.feed(
          relevant(
              request(10_000, 11_000, "转人工"),
              agent(12_000, 14_000, "正在为您转接人工客服"),
              request(60_000, 61_000, "我要人工客服")));
      assertThat(cep.matches()).isEmpty();
    }
  }

  @Test
  void transferredEventHonorsTheRequest() throws Exception {
    try (CepHarness cep = CepHarness.forcedTransfer(RULE)) {
      cep.feed(
          relevant(
              request(10_000, 11_000, "转人工"),
              agent(12_000, 14_000, "请您先描述一下问题"),
              signal(call.event(CallEventType.TRANSFERRED, 20_000)),
              request(60_000, 61_000, "我要人工客服")));
      assertThat(cep.matches()).isEmpty();
    }
  }

  @Test
  void windowIsInclusive() throws Exception {
    try (CepHarness cep = CepHarness.forcedTransfer(RULE)) {
      cep.feed(
          relevant(
              request(10_000, 11_000, "转人工"), request(180_000, 11_000 + THREE_MINUTES, "转人工")));
      assertThat(cep.matches()).hasSize(1);
    }
    try (CepHarness cep = CepHarness.forcedTransfer(RULE)) {
      cep.feed(
          relevant(
              request(10_000, 11_000, "转人工"), request(180_000, 11_001 + THREE_MINUTES, "转人工")));
      assertThat(cep.matches()).isEmpty();
    }
  }

  @Test
  void deflectedRequestFollowedByNothingTimesOutWithoutAlertAndLeavesNoState() throws Exception {
    try (CepHarness cep = CepHarness.forcedTransfer(RULE)) {
      cep.feed(relevant(request(10_000, 11_000, "转人工"), agent(12_000, 14_000, "目前人工坐席繁忙")));
      assertThat(cep.harness.numKeyedStateEntries()).isPositive();
      cep.advance(THREE_MINUTES + CepHarness.SLACK_MS + 1);
      assertThat(cep.matches()).isEmpty();
      assertThat(cep.harness.numKeyedStateEntries()).isZero();
      assertThat(cep.harness.numEventTimeTimers()).isZero();
    }
  }

  @Test
  void matchesAgainLaterInTheCallForTheAnalyzerToSuppress() throws Exception {
    try (CepHarness cep = CepHarness.forcedTransfer(RULE)) {
      cep.feed(
          relevant(
              request(10_000, 11_000, "转人工"),
              agent(12_000, 13_000, "请您先描述一下问题"),
              request(14_000, 15_000, "转人工"),
              request(100_000, 101_000, "转人工"),
              agent(102_000, 103_000, "目前人工坐席繁忙"),
              request(104_000, 105_000, "我要人工客服")));
      assertThat(cep.matches()).extracting(m -> m.dedupeKey).containsExactly("call", "call");
    }
  }

  @Test
  void languageMix() throws Exception {
    try (CepHarness cep = CepHarness.forcedTransfer(RULE)) {
      cep.feed(
          relevant(
              request(10_000, 11_000, "转人工"),
              agent(12_000, 14_000, "please describe your problem first"),
              request(15_000, 16_000, "let me speak to a real person")));
      assertThat(cep.matches()).hasSize(1);
    }
  }

  @Test
  void inputFilter() {
    assertThat(CepRules.isForcedTransferInput(request(1, 2, "转人工"), RULE)).isTrue();
    assertThat(CepRules.isForcedTransferInput(agent(1, 2, "目前人工坐席繁忙"), RULE)).isTrue();
    assertThat(CepRules.isForcedTransferInput(agent(1, 2, "正在为您转接人工客服"), RULE)).isTrue();
    assertThat(
            CepRules.isForcedTransferInput(signal(call.event(CallEventType.BOT_TO_AGENT, 5)), RULE))
        .isTrue();
    assertThat(
            CepRules.isForcedTransferInput(signal(call.event(CallEventType.HOLD_START, 5)), RULE))
        .isFalse();
    assertThat(CepRules.isForcedTransferInput(agent(1, 2, "转人工"), RULE)).isFalse();
    assertThat(CepRules.isForcedTransferInput(request(1, 2, "好的谢谢"), RULE)).isFalse();
  }
}
