package io.callqa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.callqa.operators.audio.LocalSlotter;
import io.callqa.operators.audio.SlotterSettings;
import io.callqa.schemas.AudioEncoding;
import io.callqa.schemas.Channel;
import org.junit.jupiter.api.Test;

class BenchFrontendCommandTest {

  @Test
  void theSlotterBenchmarksCallIsCutIntoSlots() {
    // the slotter's rate means little unless it segments: a synthetic call the VAD takes for
    // music (syllables at one fixed pitch) cut 0 slots
    short[] call = BenchFrontendCommand.syntheticCall(120, 8_000, 2);
    int slots =
        BenchFrontendCommand.feed(
            SlotterSettings.builder().closedRetentionMs(0).build(),
            LocalSlotter.chunks(
                "bench", "test", Channel.AGENT, call, 8_000, AudioEncoding.PCMU, 20));

    // talk spurts of 1-6 s and pauses of 0.3-2.5 s: about one slot per 4-5 s of call
    assertThat(slots).isBetween(15, 40);
  }
}
