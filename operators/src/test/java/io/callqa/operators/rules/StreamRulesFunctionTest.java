package io.callqa.operators.rules;

import static io.callqa.operators.rules.TestCalls.signal;
import static io.callqa.operators.rules.TestCalls.tagged;
import static org.assertj.core.api.Assertions.assertThat;

import io.callqa.schemas.Alert;
import io.callqa.schemas.CallEventType;
import io.callqa.schemas.Channel;
import io.callqa.schemas.Evidence;
import io.callqa.schemas.Utterance;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamRulesFunctionTest {
  static final TimingOptions T = TestCalls.RULES.timing();

  KeyedOneInputStreamOperatorTestHarness<String, CallSignal, Alert> harness;
  TestCalls.Call call = new TestCalls.Call("call-stream");
  long now = 5_000_000;

  void open(RulesConfig rules) throws Exception {
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new StreamRulesFunction(rules)),
            new RulesAssembly.CallIdKey(),
            Types.STRING);
    harness.setProcessingTime(now);
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  void in(Utterance u) throws Exception {
    harness.processElement(tagged(u), 0);
  }

  List<Alert> alerts() {
    return harness.extractOutputValues();
  }

  @Test
  void bannedPhraseFromTheAgentOnly() throws Exception {
    open(TestCalls.RULES);
    in(call.agent(0, 2_000, "这不规我管")); // one character off
    in(call.customer(2_000, 3_000, "这不归我管")); // the customer may say it
    in(call.say(Channel.MIXED, 3_000, 4_000, "这不归我管", "NEUTRAL", "zh")); // no role known
    in(call.agent(5_000, 6_000, "calm down please"));
    assertThat(alerts())
        .extracting(Alert::getAlertId)
        .containsExactly("call-stream/banned_phrase/0", "call-stream/banned_phrase/1");
    Alert a = alerts().get(0);
    assertThat(a.getSeverity()).isEqualTo("critical");
    assertThat(a.getAtMs()).isEqualTo(2_000);
    assertThat(a.getEpisode()).isZero();
    assertThat(a.getDetails())
        .containsEntry("intent", "agent_banned")
        .containsEntry("phrase", "这不归我管");
    assertThat(a.getEvidence()).extracting(Evidence::getText).containsExactly("这不规我管");
    assertThat(a.getAgentId()).isEqualTo("agent-7");
    assertThat(a.getTriggerArrivedAtEpochMs()).isEqualTo(1_000_000 - 200);
    assertThat(a.getEmittedAtEpochMs()).isPositive();
    assertThat(a.getRulesVersion()).isEqualTo(TestCalls.RULES.fingerprint());
  }

  @Test
  void complaintRiskFromTheCustomer() throws Exception {
    open(TestCalls.RULES);
    in(call.customer(0, 2_000, "我要投诉到12315"));
    in(call.agent(2_000, 3_000, "您要投诉吗"));
    assertThat(alerts()).extracting(Alert::getRule).containsExactly("complaint_risk");
  }

  @Test
  void piiSpokenOnAnyChannel() throws Exception {
    open(TestCalls.RULES);
    Utterance u = call.customer(0, 2_000, "my card number is ************7890");
    u.setPiiKinds(List.of("BANK_CARD"));
    in(u);
    Utterance m = call.say(Channel.MIXED, 3_000, 4_000, "*******8000", "NEUTRAL", "zh");
    m.setPiiKinds(List.of("CN_MOBILE"));
    in(m);
    assertThat(alerts())
        .extracting(Alert::getAlertId)
        .containsExactly("call-stream/pii_spoken/0", "call-stream/pii_spoken/1");
    assertThat(alerts().get(0).getSeverity()).isEqualTo("info");
    assertThat(alerts().get(0).getDetails()).containsEntry("kinds", "BANK_CARD");
    assertThat(alerts().get(0).getEvidence().get(0).getText()).doesNotContain("6222");
  }

  @Test
  void overtalkWhenTheCustomerUtteranceArrivesFirst() throws Exception {
    open(TestCalls.RULES);
    in(call.customer(0, 5_000, "我的订单还没到"));
    in(call.agent(1_000, 3_000, "我帮您查询一下"));
    assertThat(alerts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getRule()).isEqualTo("overtalk");
              assertThat(a.getAtMs()).isEqualTo(2_000);
              assertThat(a.getDetails())
                  .containsEntry("overlapMs", "2000")
                  .containsEntry("customerSpeakingMs", "1000");
              assertThat(a.getEvidence())
                  .extracting(Evidence::getChannel)
                  .containsExactly(Channel.CUSTOMER, Channel.AGENT);
            });
  }

  @Test
  void overtalkWhenTheAgentUtteranceArrivesFirst() throws Exception {
    open(TestCalls.RULES);
    // the agent's short utterance ends (and arrives) while the customer is still talking
    in(call.agent(1_000, 3_000, "我帮您查询一下"));
    assertThat(alerts()).isEmpty();
    in(call.customer(0, 5_000, "我的订单还没到"));
    assertThat(alerts()).extracting(Alert::getRule).containsExactly("overtalk");
  }

  @Test
  void noOvertalkBelowTheThresholds() throws Exception {
    open(TestCalls.RULES);
    in(call.customer(0, 5_000, "我的订单还没到"));
    in(call.agent(500, 3_000, "您好")); // customer spoke only 0.5 s
    in(call.agent(4_200, 6_000, "好的")); // overlap 0.8 s
    in(call.customer(10_000, 12_000, "嗯"));
    in(call.agent(8_000, 10_000, "嗯嗯")); // agent first: not over the customer
    assertThat(alerts()).isEmpty();
  }

  @Test
  void oneOvertalkPerAgentUtteranceButSeveralPerCall() throws Exception {
    open(TestCalls.RULES);
    in(call.customer(0, 5_000, "我的订单还没到"));
    in(call.agent(2_000, 9_000, "我帮您查询一下"));
    in(call.customer(5_000, 8_000, "还有我的包裹丢了")); // overlaps the same agent utterance
    in(call.customer(20_000, 30_000, "我的卡被扣了两次钱"));
    in(call.agent(25_000, 27_000, "好的"));
    assertThat(alerts())
        .extracting(Alert::getAlertId)
        .containsExactly("call-stream/overtalk/0", "call-stream/overtalk/1");
  }

  @Test
  void failedSlotsAreSpeechForOvertalk() throws Exception {
    open(TestCalls.RULES);
    in(call.failed(Channel.CUSTOMER, 0, 5_000));
    in(call.agent(1_000, 3_000, "我帮您查询一下"));
    assertThat(alerts()).extracting(Alert::getRule).containsExactly("overtalk");
  }

  @Test
  void disabledRulesStaySilent() throws Exception {
    RulesConfig none =
        RulesParserTest.parse(
            RulesParserTest.withRule(
                "- {id: banned_phrase, kind: phrase, enabled: false}\n- {id: overtalk, kind: stream, enabled: false}"));
    open(none);
    in(call.customer(0, 5_000, "这不归我管"));
    in(call.agent(1_000, 3_000, "这不归我管"));
    assertThat(alerts()).isEmpty();
  }

  @Test
  void userDefinedPhraseRule() throws Exception {
    RulesConfig rules =
        RulesParserTest.parse(
            RulesParserTest.withRule(
                "- {id: rude, kind: phrase, roles: [agent], params: {phrases: [\"你有病吧\"]}}"));
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new StreamRulesFunction(rules)),
            new RulesAssembly.CallIdKey(),
            Types.STRING);
    harness.open();
    CallSignal s = signal(call.agent(0, 1_000, "你是有病吧"));
    IntentMatcher.of(rules)
        .match(s.utterance.getText())
        .forEach(
            m -> {
              s.intents.add(m.intent());
              s.intentPhrases.add(m.phrase());
            });
    harness.processElement(s, 0);
    assertThat(alerts()).extracting(Alert::getAlertId).containsExactly("call-stream/rude/0");
  }

  @Test
  void clearsStateAndTimersAfterTheCall() throws Exception {
    open(TestCalls.RULES);
    in(call.customer(0, 5_000, "我的订单还没到"));
    in(call.agent(1_000, 3_000, "这不归我管"));
    harness.processElement(signal(call.event(CallEventType.ENDED, 10_000)), 0);
    assertThat(harness.numKeyedStateEntries()).isPositive();
    now += T.endGraceMs() + T.lateRetentionMs();
    harness.setProcessingTime(now);
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void clearsAtEndOfInput() throws Exception {
    open(TestCalls.RULES);
    in(call.agent(1_000, 3_000, "这不归我管"));
    harness.processWatermark(Long.MAX_VALUE);
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();
  }
}
