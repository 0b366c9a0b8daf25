package io.callqa.operators.rules;

import static io.callqa.operators.rules.TestCalls.signal;
import static io.callqa.operators.rules.TestCalls.tagged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.callqa.schemas.Alert;
import io.callqa.schemas.CallEventType;
import io.callqa.schemas.CallSummary;
import io.callqa.schemas.Channel;
import io.callqa.schemas.Evidence;
import io.callqa.schemas.ScoreItem;
import io.callqa.schemas.Utterance;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CallAnalyzerFunctionTest {
  static final TimingOptions T = TestCalls.RULES.timing();

  KeyedOneInputStreamOperatorTestHarness<String, CallSignal, CallSummary> harness;
  TestCalls.Call call = new TestCalls.Call("call-an");
  long now = 9_000_000;

  @BeforeEach
  void open() throws Exception {
    harness = newHarness();
    harness.setProcessingTime(now);
    harness.open();
  }

  static KeyedOneInputStreamOperatorTestHarness<String, CallSignal, CallSummary> newHarness()
      throws Exception {
    return new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new CallAnalyzerFunction(TestCalls.RULES)),
        new RulesAssembly.CallIdKey(),
        Types.STRING);
  }

  /** Checkpoint, stop, and restore the operator {@code outageMs} of processing time later. */
  void restoreAfterOutage(long outageMs) throws Exception {
    OperatorSubtaskState snapshot = harness.snapshot(1, now);
    harness.close();
    now += outageMs;
    harness = newHarness();
    harness.setup();
    harness.initializeState(snapshot);
    harness.open();
    harness.setProcessingTime(now);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  void in(Utterance u) throws Exception {
    harness.processElement(tagged(u), 0);
  }

  void in(CallSignal s) throws Exception {
    harness.processElement(s, 0);
  }

  void event(CallEventType type, long atMs) throws Exception {
    in(signal(call.event(type, atMs)));
  }

  void reports(long endMs) throws Exception {
    in(signal(call.report(Channel.AGENT, endMs)));
    in(signal(call.report(Channel.CUSTOMER, endMs)));
  }

  void after(long ms) throws Exception {
    now += ms;
    harness.setProcessingTime(now);
  }

  /** Exactly one summary so far, of this many utterances, with complete coverage. */
  void assertOneCompleteSummary(int utterances) {
    assertThat(summaries())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getUtterances()).isEqualTo(utterances);
              assertThat(s.getCoverageComplete()).isTrue();
            });
  }

  List<Alert> alerts() {
    var side = harness.getSideOutput(RulesStreams.ANALYZER_ALERTS);
    return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
  }

  List<String> alertIds() {
    return alerts().stream().map(Alert::getAlertId).toList();
  }

  List<CallSummary> summaries() {
    return harness.extractOutputValues();
  }

  CallSignal match(String rule, long atMs, String dedupeKey) {
    RuleSpec spec = TestCalls.RULES.rule(rule).orElseThrow();
    Alert draft =
        Alerts.draft(TestCalls.RULES, spec, TestCalls.TENANT, call.id, atMs, "m", null).build();
    return CallSignal.ofMatch(draft, dedupeKey);
  }

  /** A well-run call: greeting, issue, one overtalk, a transfer, closing. 60 s long. */
  void wellRunCall() throws Exception {
    event(CallEventType.STARTED, 0);
    in(call.agent(500, 3_000, "您好请问有什么可以帮您"));
    in(call.customer(3_500, 9_000, "我的订单还没到"));
    in(call.agent(5_000, 7_000, "我帮您查询一下")); // over the customer: 1.5 s in, 2 s overlap
    in(call.customer(10_000, 12_000, "转人工"));
    in(call.agent(13_000, 16_000, "正在为您转接人工客服"));
    event(CallEventType.TRANSFERRED, 17_000);
    in(call.say(Channel.CUSTOMER, 18_000, 20_000, "my order has not arrived", "SAD", "en"));
    in(call.say(Channel.CUSTOMER, 40_000, 44_000, "好的谢谢", "HAPPY", "zh"));
    in(call.agent(45_000, 48_000, "请问还有其他可以帮您的吗"));
    in(call.agent(49_000, 52_000, "感谢您的来电再见"));
    event(CallEventType.ENDED, 60_000);
    reports(60_000);
  }

  @Test
  void summarisesACallOnceEndedAndReported() throws Exception {
    wellRunCall();
    assertThat(summaries()).isEmpty();
    after(T.endGraceMs());
    assertThat(summaries()).hasSize(1);
    CallSummary s = summaries().get(0);
    assertThat(s.getCallId()).isEqualTo("call-an");
    assertThat(s.getTenant()).isEqualTo(TestCalls.TENANT);
    assertThat(s.getAgentId()).isEqualTo("agent-7");
    assertThat(s.getStartedAt()).isEqualTo(TestCalls.STARTED_AT);
    assertThat(s.getEndedBy()).isEqualTo("ENDED");
    assertThat(s.getDurationMs()).isEqualTo(60_000);
    assertThat(s.getUtterances()).isEqualTo(9);
    assertThat(s.getUtterancesByRole()).containsEntry("AGENT", 5).containsEntry("CUSTOMER", 4);
    assertThat(s.getTalkMsByRole())
        .containsEntry("AGENT", 13_500L)
        .containsEntry("CUSTOMER", 13_500L);
    assertThat(s.getTalkRatioByRole().get("AGENT")).isCloseTo(0.225, within(1e-9));
    // agent: 11+7+10+12+8 = 48 characters in 13.5 s
    assertThat(s.getSpeechRateByRole().get("AGENT")).isCloseTo(213.3, within(0.05));
    assertThat(s.getLanguage()).isEqualTo("zh");
    assertThat(s.getLanguages()).containsExactly("zh", "en");
    // gaps: 3.0–3.5, 9–10, 12–13, 16–18, 20–40, 44–45, 48–49
    assertThat(s.getSilenceMs()).isEqualTo(500 + 1_000 + 1_000 + 2_000 + 20_000 + 1_000 + 1_000);
    assertThat(s.getLongestSilenceMs()).isEqualTo(20_000);
    assertThat(s.getOvertalkCount()).isEqualTo(1);
    assertThat(s.getOvertalkMs()).isEqualTo(2_000);
    assertThat(s.getCustomerEmotionByQuarter()).containsExactly("NEUTRAL", "SAD", "HAPPY", "NONE");
    assertThat(s.getTransferCount()).isEqualTo(1);
    assertThat(s.getFirstTransferAtMs()).isEqualTo(17_000);
    assertThat(s.getHumanRequests()).isEqualTo(1);
    assertThat(s.getHumanRequestsBeforeTransfer()).isEqualTo(1);
    assertThat(s.getUnhonoredHumanRequests()).isZero();
    assertThat(s.getMissingGreeting()).isFalse();
    assertThat(s.getMissingClosing()).isFalse();
    // the 20 s silence is dead air; nothing else
    assertThat(alertIds()).containsExactly("call-an/dead_air/0");
    assertThat(s.getAlertsByRule()).containsOnlyKeys("dead_air").containsEntry("dead_air", 1);
    assertThat(s.getAlerts()).isEqualTo(1);
    assertThat(s.getScorecard())
        .extracting(ScoreItem::getRule, ScoreItem::getOutcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("anger_escalation", "PASS"),
            org.assertj.core.groups.Tuple.tuple("forced_transfer", "PASS"),
            org.assertj.core.groups.Tuple.tuple("banned_phrase", "PASS"),
            org.assertj.core.groups.Tuple.tuple("missing_greeting", "PASS"),
            org.assertj.core.groups.Tuple.tuple("missing_closing", "PASS"),
            org.assertj.core.groups.Tuple.tuple("dead_air", "FAIL"),
            org.assertj.core.groups.Tuple.tuple("overtalk", "PASS"));
    // overtalk alerts come from the stream rules, not here: the item passes in this test
    assertThat(s.getScore()).isEqualTo(85.0);
    assertThat(s.getAutoFailed()).isFalse();
    assertThat(s.getCoverage().getSlotsCut()).isEqualTo(9);
    assertThat(s.getCoverage().getSlotsRecognised()).isEqualTo(9);
    assertThat(s.getCoverage().getSlotsFailed()).isZero();
    assertThat(s.getCoverage().getAudioMsReceived()).isEqualTo(120_000);
    assertThat(s.getChannels()).containsExactly("AGENT", "CUSTOMER");
    assertThat(s.getChannelsReported()).containsExactly("AGENT", "CUSTOMER");
    assertThat(s.getCoverageComplete()).isTrue();
    assertThat(s.getRevision()).isZero();
    assertThat(s.getRulesVersion()).isEqualTo(TestCalls.RULES.fingerprint());
  }

  @Test
  void missingGreetingFiresAsSoonAsTheAgentsFirstTwoUtterancesAreIn() throws Exception {
    in(call.agent(500, 2_000, "喂"));
    in(call.customer(2_500, 4_000, "我的订单还没到"));
    assertThat(alerts()).isEmpty();
    in(call.agent(4_500, 6_000, "我帮您查询一下"));
    assertThat(alerts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getAlertId()).isEqualTo("call-an/missing_greeting/0");
              assertThat(a.getAtMs()).isEqualTo(6_000);
              assertThat(a.getEvidence())
                  .extracting(Evidence::getText)
                  .containsExactly("喂", "我帮您查询一下");
            });
  }

  @Test
  void greetingInTheSecondUtteranceCounts() throws Exception {
    in(call.agent(500, 2_000, "喂"));
    in(call.agent(2_500, 4_000, "您好很高兴为您服务"));
    in(call.agent(4_500, 6_000, "感谢您的来电再见"));
    event(CallEventType.ENDED, 7_000);
    reports(7_000);
    after(T.endGraceMs());
    assertThat(alertIds()).isEmpty();
    assertThat(summaries().get(0).getMissingGreeting()).isFalse();
  }

  @Test
  void missingClosingIsDecidedOnTheLastTwoAgentUtterancesOnceTheCallIsComplete() throws Exception {
    in(call.agent(500, 2_000, "您好很高兴为您服务"));
    in(call.agent(2_500, 4_000, "请问还有其他可以帮您的吗")); // not among the last two
    in(call.agent(4_500, 6_000, "好的"));
    in(call.agent(6_500, 8_000, "稍等"));
    event(CallEventType.ENDED, 9_000);
    assertThat(alerts()).as("ENDED alone: agent utterances may still come").isEmpty();
    reports(9_000);
    assertThat(summaries()).as("the summary waits the end grace").isEmpty();
    assertThat(alerts())
        .as("every agent utterance is in: decided at once")
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getAlertId()).isEqualTo("call-an/missing_closing/0");
              assertThat(a.getEvidence()).extracting(Evidence::getText).containsExactly("好的", "稍等");
            });
    after(T.endGraceMs());
    assertThat(alerts()).hasSize(1);
    assertThat(summaries().get(0).getMissingClosing()).isTrue();
    assertThat(summaries().get(0).getScorecard())
        .filteredOn(i -> i.getRule().equals("missing_closing"))
        .extracting(ScoreItem::getOutcome)
        .containsExactly("FAIL");
  }

  @Test
  void deadAirFiresOnceEveryChannelSpokePastTheSilence() throws Exception {
    in(call.agent(0, 2_000, "您好很高兴为您服务"));
    in(call.customer(3_000, 5_000, "我的订单还没到"));
    in(call.agent(17_000, 19_000, "让您久等了")); // silence 5 s – 17 s, but the customer...
    assertThat(alerts()).isEmpty(); // ...might have spoken after 5 s: not known yet
    in(call.customer(20_000, 22_000, "好的"));
    assertThat(alerts()).isEmpty(); // a HOLD_START inside the silence may still be on its way
    after(T.channelSkewWaitMs());
    assertThat(alerts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getAlertId()).isEqualTo("call-an/dead_air/0");
              assertThat(a.getTriggerArrivedAtEpochMs()).isEqualTo(1_000_000 - 200);
              assertThat(a.getAtMs()).isEqualTo(15_000);
              assertThat(a.getDetails())
                  .containsEntry("fromMs", "5000")
                  .containsEntry("toMs", "17000")
                  .containsEntry("silenceMs", "12000");
              assertThat(a.getEvidence())
                  .extracting(Evidence::getUtteranceId)
                  .containsExactly("call-an/CUSTOMER/0", "call-an/AGENT/1");
            });
    // a later utterance does not repeat it
    in(call.agent(23_000, 24_000, "嗯"));
    after(T.channelSkewWaitMs());
    assertThat(alertIds()).containsExactly("call-an/dead_air/0");
  }

  @Test
  void aHoldThatArrivesAfterTheUtterancesStillPreventsDeadAir() throws Exception {
    in(call.agent(0, 2_000, "您好很高兴为您服务"));
    in(call.customer(3_000, 5_000, "我的订单还没到"));
    in(call.agent(17_000, 19_000, "让您久等了"));
    in(call.customer(20_000, 22_000, "好的"));
    event(CallEventType.HOLD_START, 5_500);
    event(CallEventType.HOLD_END, 16_000);
    after(T.channelSkewWaitMs());
    assertThat(alerts()).isEmpty();
  }

  @Test
  void anEarlyChannelReportDoesNotConfirmSilenceBeforeItsSlotsArrive() throws Exception {
    Utterance c0 = call.customer(3_000, 5_000, "我的订单还没到");
    Utterance c1 = call.customer(8_000, 9_000, "喂");
    in(signal(call.report(Channel.CUSTOMER, 10_000))); // 2 slots cut, none arrived yet
    in(call.agent(0, 2_000, "您好很高兴为您服务"));
    in(call.agent(17_000, 19_000, "让您久等了"));
    in(c0);
    assertThat(alerts()).isEmpty(); // 5 s – 17 s looks silent, but slot 1 is still missing
    in(c1);
    after(T.channelSkewWaitMs());
    assertThat(alerts()).isEmpty(); // it was not: 9 s – 17 s is only 8 s
  }

  @Test
  void silenceOnHoldIsNotDeadAir() throws Exception {
    in(call.agent(0, 2_000, "您好很高兴为您服务"));
    in(call.customer(3_000, 5_000, "我的订单还没到"));
    event(CallEventType.HOLD_START, 6_000);
    in(call.say(Channel.AGENT, 6_000, 15_000, "", "EMO_UNKNOWN", "")); // hold music, no text
    event(CallEventType.HOLD_END, 15_000);
    in(call.agent(17_000, 19_000, "让您久等了"));
    in(call.customer(20_000, 22_000, "好的"));
    event(CallEventType.ENDED, 23_000);
    reports(23_000);
    after(T.endGraceMs());
    assertThat(alerts()).extracting(Alert::getRule).doesNotContain("dead_air");
    CallSummary s = summaries().get(0);
    assertThat(s.getSilenceMs()).isEqualTo(1_000 + 1_000 + 2_000 + 1_000);
    assertThat(s.getHoldCount()).isEqualTo(1);
    assertThat(s.getHoldMs()).isEqualTo(9_000);
  }

  @Test
  void exactlyTenSecondsIsNotDeadAirButOneMoreMillisecondIs() throws Exception {
    in(call.agent(0, 2_000, "您好很高兴为您服务"));
    in(call.customer(12_000, 13_000, "喂")); // 10 s
    in(call.agent(23_001, 24_000, "在的")); // 10.001 s
    reports(24_000);
    after(T.channelSkewWaitMs());
    assertThat(alerts()).extracting(a -> a.getDetails().get("silenceMs")).containsExactly("10001");
  }

  @Test
  void failedSlotsAreSpeechTime() throws Exception {
    in(call.agent(0, 2_000, "您好很高兴为您服务"));
    in(call.failed(Channel.CUSTOMER, 3_000, 14_000));
    in(call.agent(15_000, 16_000, "好的"));
    reports(16_000);
    after(T.channelSkewWaitMs());
    assertThat(alerts()).extracting(Alert::getRule).doesNotContain("dead_air");
  }

  @Test
  void numbersCepMatchesAndSuppressesRepeats() throws Exception {
    in(call.customer(0, 1_000, "你好"));
    in(match("anger_escalation", 10_000, "run-0"));
    in(match("anger_escalation", 12_000, "run-0"));
    in(match("anger_escalation", 30_000, "run-1"));
    in(match("forced_transfer", 40_000, "call"));
    in(match("forced_transfer", 90_000, "call"));
    assertThat(alertIds())
        .containsExactly(
            "call-an/anger_escalation/0",
            "call-an/anger_escalation/1",
            "call-an/forced_transfer/0");
    assertThat(alerts().get(1).getAtMs()).isEqualTo(30_000);
    assertThat(alerts().get(0).getEpisode()).isZero();
    assertThat(alerts().get(1).getEpisode()).isEqualTo(1);
  }

  @Test
  void countsStreamRuleAlertsInTheSummary() throws Exception {
    wellRunCall();
    Alert overtalk =
        Alerts.numbered(match("overtalk", 6_000, "x").alert, 0, System.currentTimeMillis());
    in(CallSignal.ofAlert(overtalk));
    after(T.endGraceMs());
    CallSummary s = summaries().get(0);
    assertThat(s.getAlertsByRule()).containsEntry("overtalk", 1).containsEntry("dead_air", 1);
    assertThat(s.getScore()).isEqualTo(70.0);
  }

  @Test
  void aLateMatchIsNumberedAndRevisesTheSummary() throws Exception {
    wellRunCall();
    after(T.endGraceMs());
    assertThat(summaries()).hasSize(1);
    in(match("anger_escalation", 30_000, "run-0"));
    assertThat(alertIds()).contains("call-an/anger_escalation/0");
    assertThat(summaries()).hasSize(2);
    CallSummary revised = summaries().get(1);
    assertThat(revised.getRevision()).isEqualTo(1);
    assertThat(revised.getAlertsByRule()).containsEntry("anger_escalation", 1);
    assertThat(revised.getAlerts()).isEqualTo(2);
    assertThat(revised.getScore()).isEqualTo(70.0);
    in(match("anger_escalation", 31_000, "run-0")); // same episode again: nothing new
    assertThat(summaries()).hasSize(2);
    in(tagged(call.agent(70_000, 71_000, "喂"))); // input after the summary is only counted
    assertThat(summaries()).hasSize(2);
  }

  @Test
  void bannedPhraseAutoFailsTheCall() throws Exception {
    wellRunCall();
    Alert banned =
        Alerts.numbered(match("banned_phrase", 6_000, "x").alert, 0, System.currentTimeMillis());
    in(CallSignal.ofAlert(banned));
    after(T.endGraceMs());
    assertThat(summaries().get(0).getScore()).isZero();
    assertThat(summaries().get(0).getAutoFailed()).isTrue();
  }

  @Test
  void waitsForMissingChannelReportsAfterEnded() throws Exception {
    in(call.agent(0, 2_000, "您好很高兴为您服务"));
    event(CallEventType.ENDED, 5_000);
    after(T.endGraceMs());
    assertThat(summaries()).isEmpty();
    after(T.channelReportWaitMs() - T.endGraceMs());
    assertThat(summaries())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getEndedBy()).isEqualTo("ENDED");
              assertThat(s.getChannelsReported()).isEmpty();
              assertThat(s.getCoverageComplete()).isFalse();
            });
  }

  @Test
  void endedBeforeAnyAudioWaitsForTheChannels() throws Exception {
    event(CallEventType.ENDED, 9_000); // the event topic overtook the audio
    after(T.endGraceMs());
    assertThat(summaries()).isEmpty();
    in(call.agent(500, 3_000, "您好很高兴为您服务"));
    in(call.customer(3_500, 5_000, "我的订单还没到"));
    reports(9_000);
    after(T.endGraceMs());
    assertOneCompleteSummary(2);
  }

  @Test
  void aBacklogLongerThanTheReportWaitStillEndsWithCompleteCoverage() throws Exception {
    // ENDED read from a backlog long before the call's audio, whose utterances keep coming
    event(CallEventType.ENDED, 60_000);
    long step = T.channelReportWaitMs() / 2;
    for (int i = 0; i < 4; i++) {
      after(step);
      in(call.customer(i * 10_000, i * 10_000 + 2_000, "我的订单还没到"));
    }
    assertThat(summaries()).as("no summary while the call's input still flows").isEmpty();
    reports(60_000);
    after(T.endGraceMs());
    assertOneCompleteSummary(4);
  }

  @Test
  void anUtteranceSeenTwiceIsCountedOnce() throws Exception {
    // at-least-once: after a restore the same utterance may come again
    Utterance greeting = call.agent(0, 2_000, "您好很高兴为您服务");
    in(greeting);
    in(call.customer(2_500, 4_000, "我的订单还没到"));
    in(greeting);
    event(CallEventType.ENDED, 5_000);
    reports(5_000);
    after(T.endGraceMs());

    assertOneCompleteSummary(2);
    assertThat(summaries().get(0).getCoverage().getSlotsRecognised()).isEqualTo(2);
  }

  @Test
  void aCallEventSeenTwiceIsCountedOnce() throws Exception {
    in(call.customer(0, 2_000, "转人工"));
    event(CallEventType.TRANSFERRED, 3_000);
    event(CallEventType.TRANSFERRED, 3_000); // replayed after a restore
    in(call.agent(4_000, 6_000, "您好请问有什么可以帮您"));
    event(CallEventType.ENDED, 7_000);
    reports(7_000);
    after(T.endGraceMs());

    assertThat(summaries())
        .singleElement()
        .satisfies(s -> assertThat(s.getTransferCount()).isOne());
  }

  @Test
  void aRestoreAfterAnOutageWaitsAgainForTheReportsInTheBacklog() throws Exception {
    in(call.agent(0, 2_000, "您好很高兴为您服务"));
    event(CallEventType.ENDED, 5_000);
    // the job comes back 30 minutes later: every wait set before the outage is overdue
    restoreAfterOutage(30 * 60_000L);
    assertThat(summaries()).as("summarised by an overdue timer").isEmpty();

    after(T.endGraceMs()); // the backlog brings the rest of the call
    in(call.customer(2_500, 4_000, "我的订单还没到"));
    reports(5_000);
    after(T.endGraceMs());

    assertOneCompleteSummary(2);
  }

  @Test
  void afterARestoreACallWhoseReportsNeverComeIsStillSummarisedOneWaitLater() throws Exception {
    in(call.agent(0, 2_000, "您好很高兴为您服务"));
    event(CallEventType.ENDED, 5_000);
    restoreAfterOutage(30 * 60_000L);
    after(T.channelReportWaitMs() - 1);
    assertThat(summaries()).isEmpty();

    after(1);

    assertThat(summaries())
        .singleElement()
        .satisfies(s -> assertThat(s.getCoverageComplete()).isFalse());
  }

  /** Another call's utterance, passed on by the sequencer when the sources were read up to here. */
  void otherCallReadUpTo(long sourceWatermarkMs) throws Exception {
    CallSignal s = tagged(other.agent(0, 1_000, "您好"));
    s.sourceWatermarkMs = sourceWatermarkMs;
    harness.processElement(s, sourceWatermarkMs);
  }

  final TestCalls.Call other = new TestCalls.Call("call-other");

  @Test
  void aCallWhoseAudioIsStillInTheBacklogIsNotSummarisedWithoutIt() throws Exception {
    // a backlog: ENDED (record time 60 s) comes long before the call's audio, and the sources are
    // read on towards it (other calls' signals) for longer than the report wait
    harness.processElement(signal(call.event(CallEventType.ENDED, 5_000)), 60_000);
    for (long watermark = 5_000; watermark < 60_000; watermark += 5_000) {
      otherCallReadUpTo(watermark);
      after(T.channelReportWaitMs() / 2);
      assertThat(summaries()).as("watermark %d", watermark).noneMatch(this::isThisCall);
    }
    harness.processElement(tagged(call.agent(0, 2_000, "您好很高兴为您服务")), 50_000);
    harness.processElement(tagged(call.customer(2_500, 4_000, "我的订单还没到")), 52_000);
    harness.processElement(signal(call.report(Channel.AGENT, 5_000)), 60_000);
    harness.processElement(signal(call.report(Channel.CUSTOMER, 5_000)), 60_000);
    after(T.endGraceMs());

    assertThat(summaries().stream().filter(this::isThisCall))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getUtterances()).isEqualTo(2);
              assertThat(s.getCoverageComplete()).isTrue();
            });
  }

  boolean isThisCall(CallSummary s) {
    return s.getCallId().equals(call.id);
  }

  @Test
  void aCallWhoseReportsNeverComeIsSummarisedOnceTheSourcesStopMoving() throws Exception {
    harness.processElement(signal(call.event(CallEventType.ENDED, 5_000)), 60_000);
    otherCallReadUpTo(5_000);
    after(T.channelReportWaitMs() - 1);
    otherCallReadUpTo(6_000);
    after(1);
    assertThat(summaries()).as("the sources just moved").noneMatch(this::isThisCall);
    after(T.channelReportWaitMs()); // idle sources: nothing more is read

    assertThat(summaries().stream().filter(this::isThisCall))
        .singleElement()
        .satisfies(s -> assertThat(s.getCoverageComplete()).isFalse());
  }

  @Test
  void closedChannelsWithoutEndedCloseTheCall() throws Exception {
    in(call.agent(0, 2_000, "您好很高兴为您服务"));
    reports(3_000);
    after(T.channelReportWaitMs());
    assertThat(summaries())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getEndedBy()).isEqualTo("CHANNELS_CLOSED");
              assertThat(s.getDurationMs()).isEqualTo(3_000);
            });
  }

  @Test
  void idleCallTimesOut() throws Exception {
    in(call.agent(0, 2_000, "您好很高兴为您服务"));
    after(T.idleTimeoutMs());
    assertThat(summaries())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getEndedBy()).isEqualTo("IDLE_TIMEOUT");
              assertThat(s.getDurationMs()).isEqualTo(2_000);
            });
  }

  @Test
  void mixedRecordingHasNoRoleScopedItems() throws Exception {
    in(call.say(Channel.MIXED, 0, 2_000, "您好很高兴为您服务", "NEUTRAL", "zh"));
    in(call.say(Channel.MIXED, 2_500, 4_000, "我的订单还没到", "SAD", "zh"));
    event(CallEventType.ENDED, 5_000);
    in(signal(call.report(Channel.MIXED, 5_000)));
    after(T.endGraceMs());
    CallSummary s = summaries().get(0);
    assertThat(s.getMissingGreeting()).isNull();
    assertThat(s.getMissingClosing()).isNull();
    assertThat(s.getChannels()).containsExactly("MIXED");
    assertThat(s.getCoverageComplete()).isTrue();
    assertThat(s.getCustomerEmotionByQuarter().get(3)).isEqualTo("SAD");
    List<String> na = new ArrayList<>();
    s.getScorecard().stream()
        .filter(i -> i.getOutcome().equals("NA"))
        .forEach(i -> na.add(i.getRule()));
    assertThat(na)
        .contains(
            "missing_greeting",
            "missing_closing",
            "overtalk",
            "banned_phrase",
            "anger_escalation",
            "forced_transfer");
    assertThat(s.getScore()).isEqualTo(100.0); // dead_air applies and passed
    assertThat(alerts()).isEmpty();
  }

  @Test
  void clearsEverythingAfterTheRetention() throws Exception {
    wellRunCall();
    after(T.endGraceMs());
    assertThat(summaries()).hasSize(1);
    assertThat(harness.numKeyedStateEntries()).isPositive(); // the tombstone
    after(T.lateRetentionMs());
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void endOfInputSummarisesAndClears() throws Exception {
    in(call.agent(0, 2_000, "您好很高兴为您服务"));
    harness.processWatermark(Long.MAX_VALUE);
    assertThat(summaries())
        .singleElement()
        .satisfies(s -> assertThat(s.getEndedBy()).isEqualTo("END_OF_INPUT"));
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();
  }

  @Test
  void alertsForAForgottenCallDoNotMakeAnEmptySummary() throws Exception {
    in(match("anger_escalation", 10_000, "run-0"));
    assertThat(alertIds()).containsExactly("call-an/anger_escalation/0");
    after(T.idleTimeoutMs());
    assertThat(summaries()).isEmpty();
    assertThat(harness.numKeyedStateEntries()).isZero();
  }
}
