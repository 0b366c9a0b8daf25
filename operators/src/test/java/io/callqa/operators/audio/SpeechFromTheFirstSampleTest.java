package io.callqa.operators.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every committed test clip of speech alone with its leading silence cut off, so the speech starts
 * at the first sample (a clip cut tight, a channel picked up mid-word): the whole clip is one slot
 * from sample 0 to its last loud sample. Before the segmenter held back a stream's first 2 s to
 * start its noise floor, the floor was taken from the speech itself: slots began after the first
 * words (0.1–0.4 s late), and a short sad clip with no pause in it gave no slot at all.
 */
class SpeechFromTheFirstSampleTest {

  private static final Path CLIPS = Path.of("../models/testclips");

  /** Where the cut is made: the first sample louder than −34 dBFS (as sox's 2 % silence trim). */
  private static final int LOUD = 655;

  private final SpeechSegmenter segmenter = new SpeechSegmenter(SegmenterSettings.DEFAULTS);

  /**
   * The clips of speech alone (not over hold music, whose notes are loud from the first sample).
   */
  static Stream<String> speechClips() throws IOException {
    Pattern clip = Pattern.compile("file: ([^,]+\\.wav),.*event: Speech,");
    List<String> names =
        Files.readAllLines(CLIPS.resolve("manifest.yaml")).stream()
            .map(clip::matcher)
            .filter(Matcher::find)
            .map(m -> m.group(1))
            .toList();
    assertThat(names).hasSizeGreaterThanOrEqualTo(15);
    return names.stream();
  }

  @ParameterizedTest
  @MethodSource("speechClips")
  void aClipThatStartsWithSpeechIsOneSlotFromTheFirstSample(String clip) throws IOException {
    short[] x = WavReader.read(CLIPS.resolve(clip)).mono16k();
    int first = 0;
    while (Math.abs(x[first]) < LOUD) {
      first++;
    }
    int last = x.length - 1;
    while (Math.abs(x[last]) < LOUD) {
      last--;
    }
    short[] tight = Arrays.copyOfRange(x, first, x.length);

    List<SlotCut> cuts = segmenter.segmentAll(tight);

    List<String> got = cuts.stream().map(c -> c.start() / 16 + ".." + c.end() / 16).toList();
    assertThat(cuts).as("slots %s", got).hasSize(1);
    assertThat(cuts.get(0).start()).as("slots %s", got).isZero();
    assertThat(cuts.get(0).end())
        .as("slots %s, speech until %d ms", got, (last - first) / 16)
        .isGreaterThanOrEqualTo(last - first);
  }
}
