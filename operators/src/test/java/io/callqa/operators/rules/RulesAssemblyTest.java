package io.callqa.operators.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.callqa.schemas.Alert;
import io.callqa.schemas.CallEvent;
import io.callqa.schemas.CallEventType;
import io.callqa.schemas.CallSummary;
import io.callqa.schemas.Channel;
import io.callqa.schemas.ChannelProgress;
import io.callqa.schemas.ChannelReport;
import io.callqa.schemas.DeadLetter;
import io.callqa.schemas.Evidence;
import io.callqa.schemas.Utterance;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole rules stage on a MiniCluster (parallelism 2, Kryo disabled) with four synthetic calls
 * whose utterances arrive shuffled within and across channels: exactly the expected alerts and
 * summaries come out.
 */
class RulesAssemblyTest {
  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  /**
   * Waits so long that only the end of the (bounded) input decides anything: the outcome then no
   * longer depends on how fast the test machine is.
   */
  static final long HOUR = 3_600_000;

  static final RulesConfig RULES =
      TestCalls.RULES.withTiming(
          new TimingOptions(HOUR, HOUR, HOUR, HOUR, HOUR, 2 * HOUR, HOUR, 60_000));

  static List<Alert> alerts = new ArrayList<>();
  static Map<String, CallSummary> summaries;
  static List<CallSummary> allSummaries = new ArrayList<>();
  static List<Utterance> redacted = new ArrayList<>();
  static List<DeadLetter> deadLetters = new ArrayList<>();

  @BeforeAll
  static void runJob() throws Exception {
    List<Utterance> utterances = new ArrayList<>();
    List<CallEvent> events = new ArrayList<>();
    List<ChannelReport> reports = new ArrayList<>();
    angryZhCall(utterances, events, reports);
    forcedTransferEnCall(utterances, events, reports);
    wellTransferredCall(utterances, events, reports);
    mixedPiiCall(utterances, events, reports);
    // the slotter's markers, ahead of the shuffled utterances as when inference lags
    List<ChannelProgress> progress = new ArrayList<>();
    Map<String, Long> callEnds =
        reports.stream()
            .collect(
                Collectors.toMap(ChannelReport::getCallId, ChannelReport::getEndMs, Math::max));
    callEnds.forEach(
        (callId, end) ->
            progress.addAll(
                TestCalls.markers(
                    utterances.stream().filter(x -> x.getCallId().equals(callId)).toList(),
                    2_000,
                    end)));
    utterances.add(
        Utterance.newBuilder(utterances.get(0)).setCallId("").setUtteranceId("/AGENT/0").build());
    Collections.shuffle(utterances, new Random(42));

    Configuration conf = new Configuration();
    conf.set(PipelineOptions.GENERIC_TYPES, false); // nothing may fall back to Kryo
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    RulesAssembly.Result r =
        RulesAssembly.wire(
            RULES,
            env.fromData(utterances, TypeInformation.of(Utterance.class)),
            env.fromData(events, TypeInformation.of(CallEvent.class)),
            env.fromData(reports, TypeInformation.of(ChannelReport.class)),
            env.fromData(progress, TypeInformation.of(ChannelProgress.class)));
    try (CloseableIterator<Alert> a = r.alerts().collectAsync();
        CloseableIterator<CallSummary> s = r.summaries().collectAsync();
        CloseableIterator<Utterance> u = r.redactedUtterances().collectAsync();
        CloseableIterator<DeadLetter> d = r.deadLetters().collectAsync()) {
      env.execute("rules-assembly-test");
      a.forEachRemaining(alerts::add);
      s.forEachRemaining(allSummaries::add);
      u.forEachRemaining(redacted::add);
      d.forEachRemaining(deadLetters::add);
    }
    summaries =
        allSummaries.stream()
            .collect(Collectors.toMap(CallSummary::getCallId, Function.identity()));
  }

  /** zh: banned phrase between two angry utterances, a complaint, PII, one overtalk. */
  static void angryZhCall(List<Utterance> u, List<CallEvent> e, List<ChannelReport> r) {
    TestCalls.Call c = new TestCalls.Call("zh-angry");
    c.agent(500, 3_000, "您好请问有什么可以帮您");
    c.customer(3_500, 6_000, "我的订单还没到");
    c.agent(6_500, 8_000, "我帮您查询一下");
    c.angry(9_000, 12_000, "你们太过分了");
    c.agent(12_500, 14_000, "这不归我管");
    c.angry(14_500, 17_000, "我非常生气");
    c.angry(17_500, 19_000, "我要投诉");
    c.agent(19_500, 22_000, "非常抱歉给您带来不便");
    c.customer(22_500, 26_000, "我的手机号是13800138000");
    c.agent(24_000, 27_000, "好的我帮您查询一下");
    c.agent(28_000, 30_000, "请问还有其他可以帮您的吗");
    c.agent(30_500, 32_000, "感谢您的来电再见");
    u.addAll(c.utterances);
    e.add(c.event(CallEventType.STARTED, 0));
    e.add(c.event(CallEventType.ENDED, 33_000));
    r.add(c.report(Channel.AGENT, 33_000));
    r.add(c.report(Channel.CUSTOMER, 33_000));
  }

  /** en: no greeting, a deflected request asked three times, 12 s of dead air, no closing. */
  static void forcedTransferEnCall(List<Utterance> u, List<CallEvent> e, List<ChannelReport> r) {
    TestCalls.Call c = new TestCalls.Call("en-forced");
    c.say(Channel.AGENT, 500, 2_500, "hello this is john", "NEUTRAL", "en");
    c.say(Channel.CUSTOMER, 3_000, 5_000, "i want to talk to a human", "NEUTRAL", "en");
    c.say(Channel.AGENT, 5_500, 8_000, "please describe your problem first", "NEUTRAL", "en");
    c.say(Channel.CUSTOMER, 8_500, 10_000, "transfer me to an agent", "ANGRY", "en");
    c.say(Channel.AGENT, 10_500, 12_000, "i can help you with that myself", "NEUTRAL", "en");
    c.say(Channel.CUSTOMER, 12_500, 14_000, "let me speak to a real person", "NEUTRAL", "en");
    c.say(Channel.AGENT, 26_000, 28_000, "let me check that for you", "NEUTRAL", "en");
    c.say(Channel.CUSTOMER, 28_500, 30_000, "okay thanks", "NEUTRAL", "en");
    u.addAll(c.utterances);
    e.add(c.event(CallEventType.ENDED, 31_000));
    r.add(c.report(Channel.AGENT, 31_000));
    r.add(c.report(Channel.CUSTOMER, 31_000));
  }

  /** zh: a request for a human honored at once, a transfer, a proper closing. */
  static void wellTransferredCall(List<Utterance> u, List<CallEvent> e, List<ChannelReport> r) {
    TestCalls.Call c = new TestCalls.Call("zh-ok");
    c.agent(500, 3_000, "您好很高兴为您服务");
    c.customer(3_500, 5_000, "转人工");
    c.agent(5_500, 8_000, "正在为您转接人工客服");
    c.customer(10_000, 12_000, "好的谢谢");
    c.agent(12_500, 15_000, "请问还有其他可以帮您的吗");
    c.agent(15_500, 17_000, "感谢您的来电再见");
    u.addAll(c.utterances);
    e.add(c.event(CallEventType.TRANSFERRED, 9_000));
    e.add(c.event(CallEventType.ENDED, 18_000));
    r.add(c.report(Channel.AGENT, 18_000));
    r.add(c.report(Channel.CUSTOMER, 18_000));
  }

  /** A mono recording reading out the demo card number (not Luhn-valid). */
  static void mixedPiiCall(List<Utterance> u, List<CallEvent> e, List<ChannelReport> r) {
    TestCalls.Call c = new TestCalls.Call("mixed-pii");
    c.say(Channel.MIXED, 500, 3_000, "thank you for calling how can i help you", "NEUTRAL", "en");
    c.say(Channel.MIXED, 3_500, 9_000, "my card number is 6222021234567890", "NEUTRAL", "en");
    c.say(Channel.MIXED, 9_500, 11_000, "calm down", "NEUTRAL", "en");
    u.addAll(c.utterances);
    e.add(c.event(CallEventType.ENDED, 12_000));
    r.add(c.report(Channel.MIXED, 12_000));
  }

  static List<String> alertIds(String callId) {
    return alerts.stream()
        .filter(a -> a.getCallId().equals(callId))
        .map(Alert::getAlertId)
        .sorted()
        .toList();
  }

  static Alert alert(String id) {
    return alerts.stream().filter(a -> a.getAlertId().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void angryCallAlerts() {
    assertThat(alertIds("zh-angry"))
        .containsExactly(
            "zh-angry/anger_escalation/0",
            "zh-angry/banned_phrase/0",
            "zh-angry/complaint_risk/0",
            "zh-angry/overtalk/0",
            "zh-angry/pii_spoken/0");
    Alert anger = alert("zh-angry/anger_escalation/0");
    assertThat(anger.getSeverity()).isEqualTo("critical");
    assertThat(anger.getAtMs()).isEqualTo(17_000);
    assertThat(anger.getEvidence())
        .extracting(Evidence::getUtteranceId)
        .containsExactly("zh-angry/CUSTOMER/1", "zh-angry/AGENT/2", "zh-angry/CUSTOMER/2");
    assertThat(alert("zh-angry/pii_spoken/0").getEvidence().get(0).getText())
        .isEqualTo("我的手机号是*******8000");
    assertThat(alert("zh-angry/overtalk/0").getDetails()).containsEntry("overlapMs", "2000");
  }

  @Test
  void forcedTransferCallAlerts() {
    assertThat(alertIds("en-forced"))
        .containsExactly(
            "en-forced/dead_air/0",
            "en-forced/forced_transfer/0",
            "en-forced/missing_closing/0",
            "en-forced/missing_greeting/0");
    Alert forced = alert("en-forced/forced_transfer/0");
    assertThat(forced.getAtMs()).isEqualTo(10_000);
    assertThat(forced.getDetails()).containsEntry("deflected", "true");
    assertThat(alert("en-forced/dead_air/0").getDetails()).containsEntry("silenceMs", "12000");
  }

  @Test
  void wellRunCallHasNoAlertsAndFullMarks() {
    assertThat(alertIds("zh-ok")).isEmpty();
    CallSummary s = summaries.get("zh-ok");
    assertThat(s.getScore()).isEqualTo(100.0);
    assertThat(s.getTransferCount()).isEqualTo(1);
    assertThat(s.getHumanRequestsBeforeTransfer()).isEqualTo(1);
    assertThat(s.getUnhonoredHumanRequests()).isZero();
    assertThat(s.getMissingGreeting()).isFalse();
    assertThat(s.getMissingClosing()).isFalse();
  }

  @Test
  void mixedRecordingOnlyGetsRolelessRules() {
    assertThat(alertIds("mixed-pii")).containsExactly("mixed-pii/pii_spoken/0");
    assertThat(alert("mixed-pii/pii_spoken/0").getDetails()).containsEntry("kinds", "BANK_CARD");
    assertThat(summaries.get("mixed-pii").getMissingGreeting()).isNull();
  }

  @Test
  void oneSummaryPerCallWithCountsMatchingTheAlerts() {
    assertThat(allSummaries).hasSize(4);
    assertThat(summaries).containsOnlyKeys("zh-angry", "en-forced", "zh-ok", "mixed-pii");
    for (CallSummary s : allSummaries) {
      Map<String, Integer> expected = new java.util.TreeMap<>();
      alerts.stream()
          .filter(a -> a.getCallId().equals(s.getCallId()))
          .forEach(a -> expected.merge(a.getRule(), 1, Integer::sum));
      assertThat(new java.util.TreeMap<>(s.getAlertsByRule()))
          .as(s.getCallId())
          .isEqualTo(expected);
      assertThat(s.getEndedBy()).isEqualTo("ENDED");
      assertThat(s.getRevision()).isZero();
      assertThat(s.getCoverageComplete()).as(s.getCallId()).isTrue();
    }
    CallSummary angry = summaries.get("zh-angry");
    assertThat(angry.getAutoFailed()).isTrue(); // banned phrase
    assertThat(angry.getScore()).isZero();
    assertThat(angry.getOvertalkCount()).isEqualTo(1);
    assertThat(angry.getCustomerEmotionByQuarter().get(1)).isEqualTo("ANGRY");
    assertThat(angry.getUtterances()).isEqualTo(12);
    CallSummary forced = summaries.get("en-forced");
    assertThat(forced.getHumanRequests()).isEqualTo(3);
    assertThat(forced.getUnhonoredHumanRequests()).isEqualTo(3);
    assertThat(forced.getLanguage()).isEqualTo("en");
    assertThat(forced.getLongestSilenceMs()).isEqualTo(12_000);
    // anger 15 + banned 20 + overtalk 15 pass; forced 15, greeting, closing, dead air fail
    assertThat(forced.getScore()).isEqualTo(50.0);
  }

  @Test
  void alertIdsAreUnique() {
    assertThat(alerts.stream().map(Alert::getAlertId).distinct().count()).isEqualTo(alerts.size());
  }

  @Test
  void utterancesComeOutRedactedAndTheUnkeyableOneIsADeadLetter() {
    assertThat(redacted).hasSize(30);
    assertThat(redacted).noneMatch(x -> x.getText().contains("13800138000"));
    assertThat(redacted).noneMatch(x -> x.getText().contains("6222021234567890"));
    assertThat(redacted).filteredOn(x -> !x.getPiiKinds().isEmpty()).hasSize(2);
    assertThat(deadLetters)
        .singleElement()
        .satisfies(d -> assertThat(d.getReason()).isEqualTo("MISSING_CALL_ID"));
  }
}
