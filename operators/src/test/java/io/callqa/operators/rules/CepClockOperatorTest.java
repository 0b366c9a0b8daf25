package io.callqa.operators.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class CepClockOperatorTest {
  static final long T0 = 1_700_000_000_000L;
  final TestCalls.Call call = new TestCalls.Call("call-clock");

  static OneInputStreamOperatorTestHarness<CallSignal, CallSignal> harness(
      OperatorSubtaskState restored, long now) throws Exception {
    var h =
        new OneInputStreamOperatorTestHarness<>(
            new CepClockOperator(),
            TypeInformation.of(CallSignal.class).createSerializer(new SerializerConfigImpl()));
    h.setProcessingTime(now);
    h.setup();
    if (restored != null) {
      h.initializeState(restored);
    }
    h.open();
    return h;
  }

  CallSignal signal(int i) {
    return TestCalls.signal(call.customer(i * 1_000, i * 1_000 + 500, "我的订单还没到"));
  }

  static List<Long> stamps(OneInputStreamOperatorTestHarness<CallSignal, CallSignal> h) {
    List<Long> out = new ArrayList<>();
    for (Object o : h.getOutput()) {
      if (o instanceof StreamRecord<?> r) {
        out.add(r.getTimestamp());
      }
    }
    return out;
  }

  static long lastWatermark(OneInputStreamOperatorTestHarness<CallSignal, CallSignal> h) {
    long last = Long.MIN_VALUE;
    for (Object o : h.getOutput()) {
      if (o instanceof Watermark w) {
        assertThat(w.getTimestamp()).as("watermarks only move forward").isGreaterThan(last);
        last = w.getTimestamp();
      }
    }
    return last;
  }

  @Test
  void stampsFollowTheClockStrictlyIncreasingWithTheWatermarkRightBehind() throws Exception {
    try (var h = harness(null, T0)) {
      h.processElement(signal(0), 5);
      h.processElement(signal(1), 3); // the upstream timestamp means nothing here
      h.setProcessingTime(T0 + 1_000);
      h.processElement(signal(2), 1);

      assertThat(stamps(h)).containsExactly(T0, T0 + 1, T0 + 1_000);
      assertThat(lastWatermark(h)).isEqualTo(T0 + 1_000);
    }
  }

  @Test
  void theWatermarkMovesOnWhileNoRecordsCome() throws Exception {
    try (var h = harness(null, T0)) {
      h.processElement(signal(0), 0);
      h.setProcessingTime(T0 + 60_000);

      assertThat(lastWatermark(h)).isEqualTo(T0 + 60_000 - 1);
      h.processElement(signal(1), 0);
      assertThat(stamps(h)).containsExactly(T0, T0 + 60_000);
    }
  }

  @Test
  void afterAnOutageTheClockContinuesWhereTheCheckpointLeftIt() throws Exception {
    OperatorSubtaskState snapshot;
    try (var h = harness(null, T0)) {
      h.processElement(signal(0), 0);
      h.setProcessingTime(T0 + 1_000);
      h.processElement(signal(1), 0);
      snapshot = h.snapshot(1, T0 + 1_000);
    }
    long outage = 10 * 60_000L; // longer than any CEP window + slack
    try (var h = harness(snapshot, T0 + 1_000 + outage)) {
      h.processElement(signal(2), 0);
      h.setProcessingTime(T0 + 1_000 + outage + 500);
      h.processElement(signal(3), 0);

      // the 10 minutes down do not count: a partial match begun before the outage lives on
      assertThat(stamps(h)).containsExactly(T0 + 1_001, T0 + 1_500);
      assertThat(lastWatermark(h)).isEqualTo(T0 + 1_500);
    }
  }

  @Test
  void upstreamWatermarksAreDroppedButTheEndOfInputIsPassedOn() throws Exception {
    try (var h = harness(null, T0)) {
      h.processWatermark(new Watermark(T0 + 999_999));
      assertThat(h.getOutput()).isEmpty();

      h.processWatermark(Watermark.MAX_WATERMARK);

      assertThat(lastWatermark(h)).isEqualTo(Long.MAX_VALUE);
    }
  }
}
