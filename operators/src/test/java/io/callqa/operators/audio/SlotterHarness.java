package io.callqa.operators.audio;

import io.callqa.schemas.CallAudioChunk;
import io.callqa.schemas.CallEvent;
import io.callqa.schemas.ChannelProgress;
import io.callqa.schemas.ChannelReport;
import io.callqa.schemas.DeadLetter;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/** {@link SlotterFunction} in Flink's keyed two-input operator test harness, heap state. */
final class SlotterHarness implements AutoCloseable {

  /** Processing time when a test starts (a realistic wall clock). */
  static final long BEGINNING = 1_763_700_000_000L;

  final KeyedTwoInputStreamOperatorTestHarness<String, CallAudioChunk, CallEvent, SpeechSlot>
      harness;
  private long checkpointId;

  SlotterHarness(SlotterSettings settings) throws Exception {
    this(settings, null, BEGINNING);
  }

  SlotterHarness(SlotterSettings settings, OperatorSubtaskState restored, long now)
      throws Exception {
    harness =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new KeyedCoProcessOperator<>(new SlotterFunction(settings)),
            SlotterKeys::of,
            SlotterKeys::of,
            Types.STRING);
    harness.setup();
    if (restored != null) {
      harness.initializeState(restored);
    }
    harness.open();
    harness.setProcessingTime(now);
  }

  long now() {
    return harness.getProcessingTime();
  }

  void send(CallAudioChunk chunk) throws Exception {
    harness.processElement1(chunk, 0L);
  }

  /** Sends the chunks one every {@code spacingMs} of processing time (real-time pacing). */
  void stream(List<CallAudioChunk> chunks, long spacingMs) throws Exception {
    for (CallAudioChunk c : chunks) {
      send(c);
      advance(spacingMs);
    }
  }

  void event(CallEvent event) throws Exception {
    for (CallEvent copy : SlotterKeys.fanOut(event)) {
      harness.processElement2(copy, 0L);
    }
  }

  void advance(long ms) throws Exception {
    harness.setProcessingTime(harness.getProcessingTime() + ms);
  }

  OperatorSubtaskState snapshot() throws Exception {
    return harness.snapshot(++checkpointId, now());
  }

  List<SpeechSlot> slots() {
    return harness.extractOutputValues();
  }

  List<ChannelReport> reports() {
    List<ChannelReport> out = new ArrayList<>();
    var records = harness.getSideOutput(SlotterOutputs.CHANNEL_REPORTS);
    if (records != null) {
      for (StreamRecord<ChannelReport> r : records) {
        out.add(r.getValue());
      }
    }
    return out;
  }

  List<ChannelProgress> progress() {
    List<ChannelProgress> out = new ArrayList<>();
    var records = harness.getSideOutput(SlotterOutputs.CHANNEL_PROGRESS);
    if (records != null) {
      for (StreamRecord<ChannelProgress> r : records) {
        out.add(r.getValue());
      }
    }
    return out;
  }

  List<DeadLetter> deadLetters() {
    List<DeadLetter> out = new ArrayList<>();
    var records = harness.getSideOutput(SlotterOutputs.DEAD_LETTERS);
    if (records != null) {
      for (StreamRecord<DeadLetter> r : records) {
        out.add(r.getValue());
      }
    }
    return out;
  }

  List<String> deadLetterReasons() {
    return deadLetters().stream().map(DeadLetter::getReason).toList();
  }

  int keyedStateEntries() {
    return harness.numKeyedStateEntries();
  }

  int timers() {
    return harness.numProcessingTimeTimers();
  }

  @Override
  public void close() throws Exception {
    harness.close();
  }
}
