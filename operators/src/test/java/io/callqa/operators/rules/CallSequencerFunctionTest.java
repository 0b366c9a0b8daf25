package io.callqa.operators.rules;

import static io.callqa.operators.rules.TestCalls.signal;
import static org.assertj.core.api.Assertions.assertThat;

import io.callqa.schemas.CallEventType;
import io.callqa.schemas.Channel;
import io.callqa.schemas.ChannelProgress;
import io.callqa.schemas.Utterance;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CallSequencerFunctionTest {
  static final TimingOptions T = TestCalls.RULES.timing();

  KeyedOneInputStreamOperatorTestHarness<String, CallSignal, CallSignal> harness;
  TestCalls.Call call = new TestCalls.Call("call-seq");
  long now = 1_000_000;

  @BeforeEach
  void open() throws Exception {
    harness = newHarness(null);
  }

  KeyedOneInputStreamOperatorTestHarness<String, CallSignal, CallSignal> newHarness(
      OperatorSubtaskState restored) throws Exception {
    var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new CallSequencerFunction(TestCalls.RULES)),
            new RulesAssembly.CallIdKey(),
            Types.STRING);
    h.setup();
    if (restored != null) {
      h.initializeState(restored);
    }
    h.open();
    h.setProcessingTime(now);
    return h;
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  void in(Object record) throws Exception {
    CallSignal s =
        record instanceof Utterance u
            ? signal(u)
            : record instanceof io.callqa.schemas.CallEvent e
                ? signal(e)
                : record instanceof ChannelProgress p
                    ? signal(p)
                    : signal((io.callqa.schemas.ChannelReport) record);
    harness.processElement(s, 0);
  }

  void after(long ms) throws Exception {
    now += ms;
    harness.setProcessingTime(now);
  }

  List<String> tagged() {
    return harness.extractOutputValues().stream()
        .filter(CallSignal::isUtterance)
        .map(s -> s.utterance.getUtteranceId())
        .toList();
  }

  List<String> ordered() {
    var side = harness.getSideOutput(RulesStreams.ORDERED);
    if (side == null) {
      return List.of();
    }
    return side.stream()
        .map(StreamRecord::getValue)
        .map(s -> s.isUtterance() ? s.utterance.getUtteranceId() : s.callEvent.getType().name())
        .toList();
  }

  ChannelProgress progress(Channel ch, long slotsCut, long cutUpToMs) {
    return TestCalls.progress(call.id, ch, slotsCut, cutUpToMs);
  }

  CallSignal taggedSignal(String utteranceId) {
    return harness.extractOutputValues().stream()
        .filter(s -> s.isUtterance() && s.utterance.getUtteranceId().equals(utteranceId))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void releasesEachChannelInSlotOrder() throws Exception {
    Utterance a0 = call.agent(0, 1_000, "您好请问有什么可以帮您");
    Utterance a1 = call.agent(2_000, 3_000, "好的");
    Utterance a2 = call.agent(4_000, 5_000, "稍等");
    in(a2);
    in(a1);
    assertThat(tagged()).isEmpty();
    in(a0);
    assertThat(tagged())
        .containsExactly("call-seq/AGENT/0", "call-seq/AGENT/1", "call-seq/AGENT/2");
  }

  @Test
  void skipsAMissingSlotAfterTheGapWaitAndLetsItThroughLate() throws Exception {
    Utterance a0 = call.agent(0, 1_000, "你好");
    Utterance a1 = call.agent(2_000, 3_000, "好的");
    Utterance a2 = call.agent(4_000, 5_000, "稍等");
    in(a0);
    in(a2);
    after(T.slotGapWaitMs() - 1);
    assertThat(tagged()).containsExactly("call-seq/AGENT/0");
    after(1);
    assertThat(tagged()).containsExactly("call-seq/AGENT/0", "call-seq/AGENT/2");
    in(a1);
    assertThat(tagged())
        .containsExactly("call-seq/AGENT/0", "call-seq/AGENT/2", "call-seq/AGENT/1");
  }

  @Test
  void dropsDuplicates() throws Exception {
    Utterance a0 = call.agent(0, 1_000, "你好");
    Utterance a1 = call.agent(2_000, 3_000, "嗯");
    Utterance a2 = call.agent(4_000, 5_000, "好的");
    in(a0);
    in(a0);
    in(a2);
    in(a2);
    assertThat(tagged()).containsExactly("call-seq/AGENT/0");
    in(a1);
    in(a1);
    assertThat(tagged())
        .containsExactly("call-seq/AGENT/0", "call-seq/AGENT/1", "call-seq/AGENT/2");
  }

  @Test
  void tagsIntentsAndAngerRuns() throws Exception {
    in(call.agent(0, 2_000, "您好请问有什么可以帮您"));
    in(call.angry(2_000, 3_000, "你们太过分了"));
    in(call.angry(3_000, 4_000, "我非常生气"));
    in(call.customer(4_000, 5_000, "好吧"));
    in(call.angry(5_000, 6_000, "我要投诉"));
    in(call.say(Channel.CUSTOMER, 6_000, 7_000, "", "ANGRY", "")); // no text: skipped
    in(call.angry(7_000, 8_000, "转人工"));
    assertThat(taggedSignal("call-seq/AGENT/0").intents).containsExactly("agent_greeting");
    assertThat(taggedSignal("call-seq/AGENT/0").intentPhrases).containsExactly("您好请问有什么可以帮您");
    assertThat(
            harness.extractOutputValues().stream()
                .filter(s -> s.isUtterance() && s.utterance.getChannel() == Channel.CUSTOMER)
                .map(s -> s.angerRun)
                .toList())
        .containsExactly(0, 0, -1, 1, -1, 1);
    assertThat(taggedSignal("call-seq/CUSTOMER/3").intents)
        .containsExactly("customer_complaint_risk");
  }

  List<Integer> angerRuns() {
    return harness.extractOutputValues().stream()
        .filter(CallSignal::isUtterance)
        .map(s -> s.angerRun)
        .toList();
  }

  @Test
  void angryWordsCountAsAngerWhenTheEmotionModelMissesThem() throws Exception {
    // the voice came out HAPPY / NEUTRAL, the words are anger_escalation's angerIntents
    in(call.say(Channel.CUSTOMER, 0, 1_000, "你们太过分了", "HAPPY", "zh"));
    in(call.say(Channel.CUSTOMER, 1_000, 2_000, "i am very angry", "NEUTRAL", "en"));
    in(call.say(Channel.CUSTOMER, 2_000, 3_000, "好的谢谢", "HAPPY", "zh"));
    assertThat(angerRuns()).containsExactly(0, 0, -1);
  }

  @Test
  void politeWordsDoNotCountAsAngerWhenTheEmotionModelHearsSome() throws Exception {
    // a fast talker's short "okay thanks" came out ANGRY right after a really angry utterance
    in(call.say(Channel.CUSTOMER, 0, 1_000, "i am very angry", "ANGRY", "en"));
    in(call.say(Channel.CUSTOMER, 1_000, 2_000, "okay thanks", "ANGRY", "en"));
    in(call.say(Channel.CUSTOMER, 2_000, 3_000, "我的包裹丢了", "ANGRY", "zh"));
    assertThat(angerRuns()).containsExactly(0, -1, 1);
  }

  @Test
  void ordersChannelsByCallTimeOnceTheOtherChannelCaughtUp() throws Exception {
    in(call.customer(0, 5_000, "转人工"));
    assertThat(ordered()).isEmpty(); // the agent might still have said something before 5 s
    in(call.agent(1_000, 3_000, "请您先描述一下问题"));
    // both channels are known up to 3 s: the agent utterance ending then goes, the customer's waits
    assertThat(ordered()).containsExactly("call-seq/AGENT/0");
    in(call.agent(4_000, 6_000, "好的"));
    assertThat(ordered())
        .containsExactly("call-seq/AGENT/0", "call-seq/CUSTOMER/0"); // agent 6 s waits for customer
  }

  @Test
  void anUtteranceWaitsForTheOtherChannelsMarkerNotTheWallClock() throws Exception {
    // replayed faster than real time, the agent's inference lagging: the slotter has cut the
    // agent's two slots (ending 3 s and 6 s) and says so, but their utterances come much later
    in(progress(Channel.AGENT, 2, 9_000));
    in(progress(Channel.CUSTOMER, 1, 9_000));
    Utterance a0 = call.agent(1_000, 3_000, "请您先描述一下问题");
    Utterance a1 = call.agent(4_000, 6_000, "这个我们处理不了");
    in(call.customer(7_000, 8_000, "我要转人工"));
    // the agent channel stays alive (markers keep coming), its utterances stay behind
    for (int i = 1; i <= 80; i++) {
      after(500);
      in(progress(Channel.AGENT, 2, 9_000 + 500 * i));
    }
    assertThat(80 * 500L).isGreaterThan(T.channelProgressTimeoutMs() + T.channelSkewWaitMs());
    assertThat(tagged()).containsExactly("call-seq/CUSTOMER/0"); // stream rules got it at once
    assertThat(ordered()).isEmpty();
    in(a1); // out of slot order too
    assertThat(ordered()).isEmpty();
    in(a0);
    assertThat(ordered())
        .containsExactly("call-seq/AGENT/0", "call-seq/AGENT/1", "call-seq/CUSTOMER/0");
  }

  @Test
  void aSilentChannelsMarkersLetTheOtherChannelThroughAtOnce() throws Exception {
    in(progress(Channel.CUSTOMER, 0, 10_000)); // nothing said up to 10 s
    in(call.agent(0, 2_000, "您好"));
    in(call.agent(3_000, 9_000, "请问有什么可以帮您"));
    assertThat(ordered()).containsExactly("call-seq/AGENT/0", "call-seq/AGENT/1");
    in(call.agent(10_000, 12_000, "您好请问您还在吗"));
    assertThat(ordered()).hasSize(2); // the customer may have said something ending by 12 s
    in(progress(Channel.CUSTOMER, 0, 12_000));
    assertThat(ordered())
        .containsExactly("call-seq/AGENT/0", "call-seq/AGENT/1", "call-seq/AGENT/2");
  }

  @Test
  void aMarkerCountingAnUtteranceStillInFlightVouchesOnlyOnceItArrived() throws Exception {
    in(call.agent(0, 9_000, "请问有什么可以帮您"));
    in(progress(Channel.CUSTOMER, 1, 10_000)); // one customer slot cut before 10 s
    assertThat(ordered()).isEmpty();
    in(call.customer(2_000, 4_000, "你好"));
    assertThat(ordered()).containsExactly("call-seq/CUSTOMER/0", "call-seq/AGENT/0");
  }

  @Test
  void fallsBackToTheWallClockWhenAChannelStopsSendingAnything() throws Exception {
    in(progress(Channel.CUSTOMER, 0, 1_000));
    in(call.agent(0, 2_000, "您好"));
    assertThat(ordered()).isEmpty();
    after(T.channelProgressTimeoutMs() / 2);
    in(progress(Channel.CUSTOMER, 0, 1_500)); // still alive, not yet past 2 s: the wait restarts
    after(T.channelProgressTimeoutMs() - 1);
    assertThat(ordered()).isEmpty();
    after(1); // the customer's source went quiet for the whole timeout
    assertThat(ordered()).containsExactly("call-seq/AGENT/0");
  }

  @Test
  void withoutMarkersAnUtteranceWaitsForTheProgressTimeoutNotTheSkewWait() throws Exception {
    in(call.agent(0, 2_000, "您好"));
    in(call.customer(2_000, 4_000, "转人工"));
    assertThat(ordered()).containsExactly("call-seq/AGENT/0");
    after(T.channelSkewWaitMs()); // the old 1 s wait no longer releases anything
    assertThat(ordered()).hasSize(1);
    after(T.channelProgressTimeoutMs() - T.channelSkewWaitMs() - 1);
    assertThat(ordered()).hasSize(1);
    after(1);
    assertThat(ordered()).containsExactly("call-seq/AGENT/0", "call-seq/CUSTOMER/0");
  }

  @Test
  void pendingMarkersSurviveSnapshotAndRestore() throws Exception {
    in(progress(Channel.AGENT, 2, 9_000));
    in(progress(Channel.CUSTOMER, 1, 9_000));
    Utterance a0 = call.agent(1_000, 3_000, "请您先描述一下问题");
    Utterance a1 = call.agent(4_000, 6_000, "这个我们处理不了");
    in(call.customer(7_000, 8_000, "我要转人工"));
    OperatorSubtaskState snapshot = harness.snapshot(1, now);
    harness.close();

    harness = newHarness(snapshot);
    after(T.channelProgressTimeoutMs() / 2);
    in(progress(Channel.AGENT, 2, 10_000)); // the agent is alive, its utterances still late
    in(a0);
    assertThat(ordered()).containsExactly("call-seq/AGENT/0");
    in(a1);
    assertThat(ordered())
        .containsExactly("call-seq/AGENT/0", "call-seq/AGENT/1", "call-seq/CUSTOMER/0");
    // both markers are satisfied and gone: a later utterance needs new ones
    in(call.customer(11_000, 12_000, "谢谢"));
    assertThat(ordered()).hasSize(3);
    in(progress(Channel.AGENT, 2, 12_500));
    assertThat(ordered()).hasSize(4);
  }

  @Test
  void aRestoreAfterAnOutageKeepsHonoringEventsBehindTheUtterancesBeforeThem() throws Exception {
    in(call.event(CallEventType.STARTED, 0));
    in(call.event(CallEventType.TRANSFERRED, 10_000)); // the events topic runs ahead
    in(call.customer(0, 5_000, "转人工"));
    OperatorSubtaskState snapshot = harness.snapshot(1, now);
    harness.close();
    // down for longer than the progress timeout: the held event's wait is overdue at once
    now += 10 * T.channelProgressTimeoutMs();
    harness = newHarness(snapshot);
    in(call.agent(6_000, 8_000, "这个我们处理不了")); // the backlog goes on
    assertThat(ordered()).doesNotContain("TRANSFERRED");
    in(call.customer(9_000, 9_500, "我要转人工"));
    in(progress(Channel.CUSTOMER, 2, 11_000));
    in(progress(Channel.AGENT, 1, 11_000));
    assertThat(ordered())
        .containsExactly(
            "call-seq/CUSTOMER/0", "call-seq/AGENT/0", "call-seq/CUSTOMER/1", "TRANSFERRED");
  }

  @Test
  void afterARestoreADeadChannelStillReleasesTheOtherOneTimeoutLater() throws Exception {
    in(progress(Channel.CUSTOMER, 0, 1_000));
    in(call.agent(0, 2_000, "您好"));
    OperatorSubtaskState snapshot = harness.snapshot(1, now);
    harness.close();
    now += 10 * T.channelProgressTimeoutMs();
    harness = newHarness(snapshot);
    after(T.channelProgressTimeoutMs() - 1);
    assertThat(ordered()).isEmpty();

    after(1);

    assertThat(ordered()).containsExactly("call-seq/AGENT/0");
  }

  @Test
  void aChannelWhoseAudioIsStillInTheBacklogIsNotADeadSource() throws Exception {
    // a backlog: the events topic is read up to the TRANSFERRED (record time 60 s), the audio
    // topic's watermark is far behind it and advancing
    harness.processElement(signal(call.event(CallEventType.TRANSFERRED, 10_000)), 60_000);
    for (long watermark = 5_000; watermark < 60_000; watermark += 10_000) {
      harness.processWatermark(watermark);
      after(T.channelProgressTimeoutMs());
      assertThat(ordered()).as("watermark %d", watermark).doesNotContain("TRANSFERRED");
    }
    // the call's audio is read at last: its requests come before the transfer
    harness.processElement(signal(call.customer(0, 5_000, "转人工")), 55_000);
    harness.processElement(signal(call.customer(6_000, 8_000, "我要转人工")), 58_000);
    harness.processElement(signal(progress(Channel.CUSTOMER, 2, 11_000)), 61_000);
    harness.processElement(signal(progress(Channel.AGENT, 0, 11_000)), 61_000);
    assertThat(ordered())
        .containsExactly("call-seq/CUSTOMER/0", "call-seq/CUSTOMER/1", "TRANSFERRED");
  }

  @Test
  void passesItsWatermarkOnWithEverySignal() throws Exception {
    harness.processWatermark(42_000);
    in(call.agent(0, 2_000, "您好"));
    in(call.event(CallEventType.ENDED, 3_000));

    assertThat(harness.extractOutputValues())
        .hasSize(2)
        .allSatisfy(s -> assertThat(s.sourceWatermarkMs).isEqualTo(42_000));
  }

  @Test
  void aChannelStaysDeadWhenTheWatermarkStopsMoving() throws Exception {
    harness.processElement(signal(call.event(CallEventType.TRANSFERRED, 10_000)), 60_000);
    harness.processWatermark(5_000);
    after(T.channelProgressTimeoutMs());
    assertThat(ordered()).as("the watermark just moved").isEmpty();
    after(T.channelProgressTimeoutMs()); // idle sources: the watermark stands still

    assertThat(ordered()).containsExactly("TRANSFERRED");
  }

  @Test
  void aLiveCallsDeadChannelIsReleasedOnceTheWatermarkPassedTheWaitingSignal() throws Exception {
    // live: the watermark follows the records closely, the customer's source is dead
    harness.processElement(signal(call.agent(0, 2_000, "您好")), 2_000);
    harness.processWatermark(1_000);
    after(T.channelProgressTimeoutMs() / 2);
    harness.processWatermark(2_500);
    after(T.channelProgressTimeoutMs() / 2);

    assertThat(ordered()).containsExactly("call-seq/AGENT/0");
  }

  @Test
  void progressMarkersAreNotPassedOn() throws Exception {
    in(progress(Channel.AGENT, 0, 5_000));
    in(progress(Channel.MIXED, 0, 5_000));
    assertThat(harness.extractOutputValues()).isEmpty();
  }

  @Test
  void honoringEventsWaitForTheUtterancesBeforeThem() throws Exception {
    in(call.event(CallEventType.STARTED, 0));
    in(call.event(CallEventType.TRANSFERRED, 10_000));
    in(call.customer(0, 5_000, "转人工"));
    in(call.agent(6_000, 8_000, "正在为您转接人工客服"));
    assertThat(ordered()).containsExactly("call-seq/CUSTOMER/0");
    in(progress(Channel.CUSTOMER, 1, 9_000)); // nothing more from the customer up to 9 s
    assertThat(ordered()).containsExactly("call-seq/CUSTOMER/0", "call-seq/AGENT/0");
    in(call.customer(11_000, 12_000, "谢谢"));
    in(call.agent(12_000, 13_000, "不客气"));
    assertThat(ordered())
        .containsExactly(
            "call-seq/CUSTOMER/0", "call-seq/AGENT/0", "TRANSFERRED", "call-seq/CUSTOMER/1");
  }

  @Test
  void aClosedChannelNoLongerHoldsTheOtherBack() throws Exception {
    in(call.customer(0, 5_000, "转人工"));
    in(call.report(Channel.AGENT, 60_000));
    assertThat(ordered()).containsExactly("call-seq/CUSTOMER/0");
  }

  @Test
  void aReportDoesNotCloseAChannelWhoseLastSlotsAreStillInFlight() throws Exception {
    Utterance a0 = call.agent(0, 2_000, "您好");
    Utterance a1 = call.agent(3_000, 6_000, "请您先描述一下问题");
    in(a0);
    in(call.report(Channel.AGENT, 6_000)); // 2 slots cut, 1 arrived
    in(call.customer(2_000, 8_000, "转人工"));
    assertThat(ordered()).containsExactly("call-seq/AGENT/0");
    in(a1);
    assertThat(ordered())
        .containsExactly("call-seq/AGENT/0", "call-seq/AGENT/1", "call-seq/CUSTOMER/0");
  }

  @Test
  void anEndedCallStillWaitsForItsChannelsNotForTheWallClock() throws Exception {
    // a backlog read from Kafka: the call's ENDED overtakes the agent's audio by far
    in(call.customer(0, 5_000, "转人工"));
    in(call.event(CallEventType.ENDED, 20_000));
    after(T.endGraceMs() + T.channelSkewWaitMs());
    assertThat(ordered()).isEmpty();
    in(call.agent(1_000, 4_000, "请您先描述一下问题"));
    in(call.report(Channel.AGENT, 20_000));
    assertThat(ordered()).containsExactly("call-seq/AGENT/0", "call-seq/CUSTOMER/0");
  }

  @Test
  void anEndedCallWhoseOtherChannelNeverSpeaksIsReleasedByTheProgressTimeout() throws Exception {
    in(call.customer(0, 5_000, "转人工"));
    in(call.event(CallEventType.ENDED, 20_000));
    after(T.channelProgressTimeoutMs());
    assertThat(ordered()).containsExactly("call-seq/CUSTOMER/0");
  }

  @Test
  void passesCallEventsAndReportsThroughAtOnce() throws Exception {
    in(call.event(CallEventType.HOLD_START, 1_000));
    in(call.report(Channel.AGENT, 2_000));
    assertThat(harness.extractOutputValues())
        .extracting(s -> s.kind)
        .containsExactly(CallSignal.Kind.CALL_EVENT, CallSignal.Kind.CHANNEL_REPORT);
  }

  @Test
  void clearsStateAndTimersAfterTheCall() throws Exception {
    in(progress(Channel.AGENT, 3, 40_000)); // never satisfied: slot 2 never comes
    in(call.customer(0, 5_000, "转人工"));
    in(call.agent(6_000, 8_000, "好的"));
    in(call.agent(20_000, 21_000, "稍等")); // slot 1
    in(call.event(CallEventType.ENDED, 30_000));
    assertThat(harness.numKeyedStateEntries()).isPositive();
    after(T.endGraceMs() + T.lateRetentionMs());
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void clearsAnIdleCallAndFlushesWhatItHeld() throws Exception {
    in(call.agent(0, 1_000, "你好"));
    Utterance skippedSlot = call.agent(2_000, 3_000, "好的");
    in(call.agent(4_000, 5_000, "稍等"));
    after(T.idleTimeoutMs());
    assertThat(tagged()).containsExactly("call-seq/AGENT/0", "call-seq/AGENT/2");
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
    assertThat(skippedSlot.getSlotIndex()).isEqualTo(1);
  }

  @Test
  void endOfInputFlushesAndClears() throws Exception {
    in(call.customer(0, 5_000, "转人工"));
    in(call.agent(20_000, 21_000, "稍等")); // slot 0
    in(call.agent(30_000, 31_000, "好的")); // slot 1
    harness.processWatermark(Long.MAX_VALUE);
    assertThat(ordered())
        .containsExactly("call-seq/CUSTOMER/0", "call-seq/AGENT/0", "call-seq/AGENT/1");
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();
  }
}
