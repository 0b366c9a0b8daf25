package io.callqa.jobs.calls;

import static org.assertj.core.api.Assertions.assertThat;

import io.callqa.operators.audio.LocalSlotter;
import io.callqa.operators.audio.SegmenterSettings;
import io.callqa.operators.audio.SlotterSettings;
import io.callqa.operators.audio.SpeechSlot;
import io.callqa.operators.audio.WavReader;
import io.callqa.schemas.Channel;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The slotter (VAD + segmenter, exactly as in the job) on every channel of every demo call against
 * the calls' true turns: one slot per turn, its speech boundaries within ±300 ms of the truth (the
 * slot's own padding excluded), and no slot where nobody spoke.
 */
class SlotBoundariesTest {
  private static final long TOLERANCE_MS = 300;

  @Test
  void cutsOneSlotPerTrueTurnWithinThreeHundredMilliseconds() throws Exception {
    long padding = SegmenterSettings.DEFAULTS.paddingMs();
    int turns = 0;
    int matched = 0;
    int extra = 0;
    List<String> misses = new ArrayList<>();
    for (CallFolder call : CallFolder.readAll(Paths.get("../calls/demo"))) {
      for (Channel channel : List.of(Channel.AGENT, Channel.CUSTOMER)) {
        WavReader.WavAudio audio = call.channels().get(channel);
        List<SpeechSlot> slots =
            LocalSlotter.slotRecording(
                call.callId(),
                channel,
                audio.samples(),
                audio.sampleRate(),
                audio.encoding(),
                SlotterSettings.DEFAULTS);
        List<CallFolder.Turn> truth =
            call.meta().expected().turns().stream()
                .filter(t -> t.role().equalsIgnoreCase(channel.name()))
                .toList();
        boolean[] used = new boolean[slots.size()];
        for (CallFolder.Turn t : truth) {
          turns++;
          boolean found = false;
          for (int i = 0; i < slots.size(); i++) {
            SpeechSlot s = slots.get(i);
            // a slot's padding may be trimmed where it meets its neighbour: allow up to the full
            // padding
            boolean startOk =
                s.startMs <= t.startMs() + TOLERANCE_MS
                    && s.startMs >= t.startMs() - padding - TOLERANCE_MS;
            boolean endOk =
                s.endMs >= t.endMs() - TOLERANCE_MS
                    && s.endMs <= t.endMs() + padding + TOLERANCE_MS;
            if (!used[i] && startOk && endOk) {
              used[i] = true;
              found = true;
              break;
            }
          }
          if (found) {
            matched++;
          } else {
            misses.add(
                String.format(
                    Locale.ROOT,
                    "%s %s turn %d..%d \"%s\" slots %s",
                    call.callId(),
                    channel,
                    t.startMs(),
                    t.endMs(),
                    t.text(),
                    slots.stream().map(s -> s.startMs + ".." + s.endMs).toList()));
          }
        }
        for (int i = 0; i < used.length; i++) {
          SpeechSlot s = slots.get(i);
          if (!used[i] && truth.stream().noneMatch(t -> overlaps(t, s))) {
            extra++;
          }
        }
      }
    }
    System.out.printf(
        "slot boundaries: %d of %d turns within ±%d ms, %d slots without a turn%n",
        matched, turns, TOLERANCE_MS, extra);
    misses.forEach(System.out::println);
    assertThat(misses).isEmpty();
    assertThat(extra).isZero();
  }

  private static boolean overlaps(CallFolder.Turn t, SpeechSlot s) {
    return s.startMs < t.endMs() && s.endMs > t.startMs();
  }
}
