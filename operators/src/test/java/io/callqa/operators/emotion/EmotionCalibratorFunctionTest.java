package io.callqa.operators.emotion;

import static io.callqa.operators.emotion.EmotionCalibrationTest.CALIBRATION;
import static io.callqa.operators.emotion.EmotionCalibrationTest.LEANS_HAPPY;
import static org.assertj.core.api.Assertions.assertThat;

import io.callqa.schemas.Channel;
import io.callqa.schemas.Utterance;
import io.callqa.schemas.UtteranceStatus;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmotionCalibratorFunctionTest {
  static final long MAX_WAIT_MS = 120_000;

  KeyedOneInputStreamOperatorTestHarness<String, Utterance, Utterance> harness;
  long now = 5_000_000;

  static KeyedOneInputStreamOperatorTestHarness<String, Utterance, Utterance> newHarness(
      EmotionCalibration calibration) throws Exception {
    return new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new EmotionCalibratorFunction(calibration, MAX_WAIT_MS)),
        new EmotionCalibratorFunction.ChannelKey(),
        Types.STRING);
  }

  @BeforeEach
  void open() throws Exception {
    harness = newHarness(CALIBRATION);
    harness.setProcessingTime(now);
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  static Utterance slot(Channel channel, int index, String modelEmotion, Map<String, Float> p) {
    return Utterance.newBuilder()
        .setUtteranceId("call-1/" + channel + "/" + index)
        .setTenant("acme")
        .setCallId("call-1")
        .setChannel(channel)
        .setSlotIndex(index)
        .setStartMs(index * 3000L)
        .setEndMs(index * 3000L + 2000)
        .setEmotion(modelEmotion)
        .setModelEmotion(modelEmotion)
        .setEmotionScores(p)
        .build();
  }

  static Utterance leansHappy(int index) {
    return slot(Channel.CUSTOMER, index, "HAPPY", LEANS_HAPPY);
  }

  void in(Utterance... us) throws Exception {
    for (Utterance u : us) {
      harness.processElement(u, 0);
    }
  }

  List<Utterance> out() {
    return harness.extractOutputValues();
  }

  @Test
  void releasesAChannelInSlotOrderEachCalibratedByTheSlotsBeforeIt() throws Exception {
    in(leansHappy(2), leansHappy(1));
    assertThat(out()).isEmpty(); // slot 0 is still being recognised

    in(leansHappy(0));

    assertThat(out()).extracting(Utterance::getSlotIndex).containsExactly(0, 1, 2);
    assertThat(out())
        .extracting(Utterance::getEmotion)
        .containsExactly("HAPPY", "NEUTRAL", "NEUTRAL");
    assertThat(out()).extracting(Utterance::getModelEmotion).containsOnly("HAPPY");
  }

  @Test
  void channelsAndCallsAreCalibratedApart() throws Exception {
    in(leansHappy(0), slot(Channel.AGENT, 0, "HAPPY", LEANS_HAPPY), leansHappy(1));
    assertThat(out())
        .extracting(u -> u.getChannel() + "/" + u.getSlotIndex() + " " + u.getEmotion())
        .containsExactly("CUSTOMER/0 HAPPY", "AGENT/0 HAPPY", "CUSTOMER/1 NEUTRAL");
  }

  @Test
  void aReplayedSlotGetsTheSameEmotionAgain() throws Exception {
    in(
        leansHappy(0),
        leansHappy(1),
        slot(
            Channel.CUSTOMER,
            2,
            "HAPPY",
            Map.of("NEUTRAL", 0.05f, "HAPPY", 0.9f, "SAD", 0.04f, "ANGRY", 0.01f)));
    List<String> first = out().stream().map(Utterance::getEmotion).toList();

    in(leansHappy(1), leansHappy(0)); // at-least-once: the same slots again

    assertThat(out().subList(3, 5))
        .extracting(Utterance::getEmotion)
        .containsExactly(first.get(1), first.get(0));
  }

  @Test
  void aFailedSlotIsReleasedInItsPlaceAndDoesNotCount() throws Exception {
    Utterance failed =
        Utterance.newBuilder(slot(Channel.CUSTOMER, 1, "", Map.of()))
            .setStatus(UtteranceStatus.FAILED)
            .setError("TIMEOUT")
            .build();
    in(leansHappy(2), failed, leansHappy(0));
    assertThat(out()).extracting(Utterance::getSlotIndex).containsExactly(0, 1, 2);
    assertThat(out().get(1)).isEqualTo(failed);
    assertThat(out().get(2).getEmotion()).isEqualTo("NEUTRAL"); // calibrated by slot 0 alone
  }

  @Test
  void pendingSlotsSurviveARestore() throws Exception {
    in(leansHappy(0), leansHappy(2));
    OperatorSubtaskState snapshot = harness.snapshot(1, now);
    harness.close();

    harness = newHarness(CALIBRATION);
    harness.setup();
    harness.initializeState(snapshot);
    harness.open();
    harness.setProcessingTime(now);
    in(leansHappy(1));

    assertThat(out()).extracting(Utterance::getSlotIndex).containsExactly(1, 2);
    assertThat(out()).extracting(Utterance::getEmotion).containsOnly("NEUTRAL");
  }

  @Test
  void aSlotThatNeverComesHoldsTheChannelBackOnlyForTheWait() throws Exception {
    in(leansHappy(0), leansHappy(2), leansHappy(3));
    harness.setProcessingTime(now + MAX_WAIT_MS - 1);
    assertThat(out()).hasSize(1);

    harness.setProcessingTime(now + MAX_WAIT_MS);

    assertThat(out()).extracting(Utterance::getSlotIndex).containsExactly(0, 2, 3);
    in(leansHappy(1)); // it came after all: released at once, with the slot before it
    assertThat(out()).extracting(Utterance::getSlotIndex).containsExactly(0, 2, 3, 1);
    assertThat(out().get(3).getEmotion()).isEqualTo("NEUTRAL");
  }

  @Test
  void theWaitCountsOnlyTimeTheJobWasRunning() throws Exception {
    in(leansHappy(0), leansHappy(2));
    OperatorSubtaskState snapshot = harness.snapshot(1, now);
    harness.close();

    now += 10 * MAX_WAIT_MS; // an outage: slot 1 is in the backlog, not lost
    harness = newHarness(CALIBRATION);
    harness.setup();
    harness.initializeState(snapshot);
    harness.open();
    harness.setProcessingTime(now);
    assertThat(out()).isEmpty();

    in(leansHappy(1));
    assertThat(out()).extracting(Utterance::getSlotIndex).containsExactly(1, 2);
  }

  @Test
  void withoutACalibrationUtterancesPassAtOnceInArrivalOrder() throws Exception {
    harness.close();
    harness = newHarness(EmotionCalibration.NONE);
    harness.open();
    in(leansHappy(2), leansHappy(0), leansHappy(1));
    assertThat(out()).extracting(Utterance::getSlotIndex).containsExactly(2, 0, 1);
    assertThat(out()).extracting(Utterance::getEmotion).containsOnly("HAPPY");
  }
}
