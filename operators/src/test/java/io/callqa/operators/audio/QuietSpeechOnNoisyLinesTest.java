package io.callqa.operators.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The slotter (default settings) on the committed sad test clips (quiet, low voices, 8 kHz μ-law
 * and 16 kHz) placed on a noisy line: every clip is one slot, and nothing else is. Re-voiced demo
 * calls with line noise at −33 dBFS lost such turns entirely under the former thresholds (12 / 7 dB
 * over the whole band), or cut them in two.
 */
class QuietSpeechOnNoisyLinesTest {

  private static final Path CLIPS = Path.of("../models/testclips");
  private static final String[] SAD_CLIPS = {
    "03-en-sad-customer-issue-16k.wav",
    "07-en-sad-customer-issue-8k-ulaw.wav",
    "14-zh-sad-customer-issue-16k.wav",
    "18-zh-sad-customer-request-human-8k-ulaw.wav"
  };
  private static final long GAP_MS = 1_500;

  private final SpeechSegmenter segmenter = new SpeechSegmenter(SegmenterSettings.DEFAULTS);

  @ParameterizedTest(name = "{0} noise at {1} dBFS")
  // the former VAD lost or split clips at -36 (white) and -28, -24 (brown); not yet covered: at
  // -39 (white) and -20 (brown) the 8 kHz English clip is cut at the pause inside it, at -34
  // (white) it is lost and the 16 kHz English clip is found only in part
  @CsvSource({"white, -42", "white, -36", "brown, -33", "brown, -28", "brown, -24"})
  void everySadClipIsOneSlot(String kind, double noiseDbfs) throws IOException {
    List<long[]> spans = new ArrayList<>();
    List<short[]> parts = new ArrayList<>();
    long t = 2_000;
    parts.add(TestSignals.silence(t));
    for (String clip : SAD_CLIPS) {
      short[] x = WavReader.read(CLIPS.resolve(clip)).mono16k();
      long ms = x.length * 1000L / TestSignals.RATE;
      spans.add(new long[] {t, t + ms});
      parts.add(x);
      parts.add(TestSignals.silence(GAP_MS));
      t += ms + GAP_MS;
    }
    short[] speech = TestSignals.concat(parts.toArray(short[][]::new));
    double rms = 32768 * Math.pow(10, noiseDbfs / 20);
    short[] noise =
        kind.equals("white")
            ? TestSignals.noise(t, rms, 3)
            : TestSignals.brownNoise(TestSignals.samples(t), rms, 3);
    List<SlotCut> cuts = segmenter.segmentAll(TestSignals.mix(speech, noise));

    List<String> got = cuts.stream().map(c -> c.start() / 16 + ".." + c.end() / 16).toList();
    assertThat(cuts).as("slots %s for clips at %s", got, describe(spans)).hasSameSizeAs(spans);
    for (int i = 0; i < spans.size(); i++) {
      long[] span = spans.get(i);
      SlotCut cut = cuts.get(i);
      assertThat(cut.start() / 16 < span[1] && cut.end() / 16 > span[0])
          .as("slot %s overlaps clip %s (%d..%d)", got.get(i), SAD_CLIPS[i], span[0], span[1])
          .isTrue();
    }
  }

  private static String describe(List<long[]> spans) {
    return spans.stream().map(s -> s[0] + ".." + s[1]).toList().toString();
  }
}
