package io.callqa.operators.audio;

import static io.callqa.operators.audio.SlotterFunctionTest.CHUNK_MS;
import static io.callqa.operators.audio.SlotterFunctionTest.NO_TOMBSTONE;
import static io.callqa.operators.audio.SlotterFunctionTest.chunks;
import static io.callqa.operators.audio.SlotterFunctionTest.twoUtterances;
import static io.callqa.operators.audio.SlotterFunctionTest.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.callqa.schemas.AudioEncoding;
import io.callqa.schemas.CallAudioChunk;
import io.callqa.schemas.Channel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalSlotterTest {

  @Test
  void cutsTheSameSlotsAsTheFlinkOperator() throws Exception {
    List<CallAudioChunk> call = chunks(twoUtterances());
    List<SpeechSlot> flink;
    try (SlotterHarness h = new SlotterHarness(NO_TOMBSTONE)) {
      h.stream(call, CHUNK_MS);
      flink = h.slots();
    }
    LocalSlotter local = new LocalSlotter(NO_TOMBSTONE);
    for (CallAudioChunk c : call) {
      local.chunk(c);
      local.advanceTo(local.now() + CHUNK_MS);
    }

    assertThat(local.output().slots).isEqualTo(flink);
    assertThat(local.keysWithState()).isZero();
    assertThat(local.pendingTimers()).isZero();
  }

  @Test
  void slotsAWholeRecording() {
    List<SpeechSlot> slots =
        LocalSlotter.slotRecording(
            "c1", Channel.MIXED, twoUtterances(), 16_000, AudioEncoding.PCM_S16LE, NO_TOMBSTONE);
    assertThat(slots).hasSize(2);
    assertThat(slots.get(0).channel).isEqualTo(Channel.MIXED);
  }

  @Test
  void countsChunksSlotsAndEveryRejectionInTheMetrics() {
    RecordingMetrics metrics = new RecordingMetrics();
    LocalSlotter local = new LocalSlotter(NO_TOMBSTONE, metrics);
    List<CallAudioChunk> call = chunks(twoUtterances());
    for (int i = 0; i < call.size(); i++) {
      local.chunk(call.get(i));
      if (i == 10) {
        local.chunk(call.get(i)); // duplicate
        local.chunk(with(call.get(i), b -> b.setSampleRate(12_345)));
      }
      local.advanceTo(local.now() + CHUNK_MS);
    }

    assertThat(metrics.events)
        .contains(
            "rejected DUPLICATE_CHUNK",
            "duplicate",
            "rejected UNSUPPORTED_SAMPLE_RATE",
            "closed LAST_CHUNK");
    assertThat(metrics.events.stream().filter(e -> e.startsWith("chunk "))).hasSize(352);
    assertThat(metrics.events.stream().filter(e -> e.startsWith("slot "))).hasSize(2);
    assertThat(metrics.audioMs).isEqualTo(7_000);
  }

  static final class RecordingMetrics implements SlotterMetrics {
    final List<String> events = new ArrayList<>();
    long audioMs;

    @Override
    public void chunkReceived(long payloadBytes) {
      events.add("chunk " + payloadBytes);
    }

    @Override
    public void audioProcessed(long ms) {
      audioMs += ms;
    }

    @Override
    public void slotEmitted(long slotMs) {
      events.add("slot " + slotMs);
    }

    @Override
    public void gapFilled(long ms) {
      events.add("gap " + ms);
    }

    @Override
    public void duplicate() {
      events.add("duplicate");
    }

    @Override
    public void late() {
      events.add("late");
    }

    @Override
    public void rejected(RejectReason reason) {
      events.add("rejected " + reason);
    }

    @Override
    public void burstDiscarded() {
      events.add("burst");
    }

    @Override
    public void channelClosed(String closedBy) {
      events.add("closed " + closedBy);
    }
  }
}
