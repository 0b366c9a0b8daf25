package io.callqa.operators.audio;

import static io.callqa.operators.audio.TestSignals.concat;
import static io.callqa.operators.audio.TestSignals.samples;
import static io.callqa.operators.audio.TestSignals.silence;
import static io.callqa.operators.audio.TestSignals.speech;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpeechSegmenterTest {

  private final SpeechSegmenter segmenter = new SpeechSegmenter(SegmenterSettings.DEFAULTS);
  private static final long PAD = samples(SegmenterSettings.DEFAULT_PADDING_MS);
  private static final long TOLERANCE = samples(40);

  @Test
  void cutsOneSlotPerUtteranceWithPaddingOnBothSides() {
    short[] x =
        concat(silence(1_000), speech(1_500, 1), silence(1_500), speech(1_000, 2), silence(1_000));

    List<SlotCut> cuts = segmenter.segmentAll(x);

    assertThat(cuts).hasSize(2);
    assertThat(cuts.get(0).start()).isCloseTo(samples(1_000) - PAD, withinSamples(TOLERANCE));
    assertThat(cuts.get(0).end()).isCloseTo(samples(2_500) + PAD, withinSamples(TOLERANCE + PAD));
    assertThat(cuts.get(1).start()).isCloseTo(samples(4_000) - PAD, withinSamples(TOLERANCE));
    assertThat(cuts.get(1).end()).isCloseTo(samples(5_000) + PAD, withinSamples(TOLERANCE + PAD));
  }

  @Test
  void slotContainsAllOfTheSpeech() {
    short[] x = concat(silence(800), speech(1_200, 3), silence(900));
    SlotCut cut = segmenter.segmentAll(x).get(0);
    assertThat(cut.start()).isLessThanOrEqualTo(samples(800));
    assertThat(cut.end()).isGreaterThanOrEqualTo(samples(2_000));
  }

  @Test
  void keepsPausesShorterThanMaxPauseInsideOneSlot() {
    // pauses between words and breaths (up to ~250 ms) stay inside the slot; before the maximum
    // pause went down from 600 to 300 ms this test used 450 and 500 ms pauses, which now separate
    // turns (same-party turns are often only 0.5-0.6 s apart)
    short[] x =
        concat(
            silence(1_000),
            speech(700, 1),
            silence(200),
            speech(600, 2),
            silence(250),
            speech(800, 3),
            silence(1_200));

    assertThat(segmenter.segmentAll(x)).hasSize(1);
  }

  @Test
  void closesSlotAfterTrailingSilence() {
    SegmenterState st = segmenter.newState();
    List<SlotCut> cuts = new ArrayList<>();
    short[] x = concat(silence(500), speech(1_000, 4), silence(900));
    AudioWindow w = (a, b) -> Arrays.copyOfRange(x, (int) a, (int) b);

    segmenter.accept(st, x, w, cuts::add); // no finish(): the pause alone closes the slot

    assertThat(cuts).hasSize(1);
    assertThat(st.inSpeech).isFalse();
  }

  @Test
  void discardsBurstsShorterThanMinimumSpeech() {
    short[] x = concat(silence(1_000), speech(120, 5), silence(1_000));
    SegmenterState st = segmenter.newState();
    List<SlotCut> cuts = new ArrayList<>();
    AudioWindow w = (a, b) -> Arrays.copyOfRange(x, (int) a, (int) b);
    segmenter.accept(st, x, w, cuts::add);
    segmenter.finish(st, w, cuts::add);

    assertThat(cuts).isEmpty();
    assertThat(st.discardedBursts).isEqualTo(1);
  }

  @Test
  void paddingNeverOverlapsTheNeighbourSlot() {
    // padding wider than half the pause that separates slots: the pads would overlap
    SpeechSegmenter wide =
        new SpeechSegmenter(new SegmenterSettings(300, 30_000, 300, 400, VadSettings.DEFAULTS));
    short[] x =
        concat(silence(500), speech(1_000, 1), silence(600), speech(1_000, 2), silence(1_000));
    List<SlotCut> cuts = wide.segmentAll(x);
    assertThat(cuts).hasSize(2);
    assertThat(cuts.get(0).end()).isEqualTo(cuts.get(1).start());
  }

  @Test
  void splitsRunsLongerThanMaxSlotAtTheQuietestPoint() {
    // 45 s of talk with a 300 ms (< max pause) digital-silence breath at 22 s over low noise
    short[] talk =
        TestSignals.mix(
            concat(speech(22_000, 1), silence(300), speech(22_700, 2)),
            TestSignals.noise(45_000, 40, 8));
    short[] x = concat(silence(1_000), talk, silence(1_000));
    int breathStart = samples(1_000 + 22_000);
    for (int i = breathStart; i < breathStart + samples(300); i++) {
      x[i] = 0;
    }

    List<SlotCut> cuts = segmenter.segmentAll(x);

    assertThat(cuts).hasSize(2);
    assertThat(cuts.get(0).split()).isTrue();
    assertThat(cuts.get(0).end()).isBetween((long) breathStart, breathStart + (long) samples(300));
    assertThat(cuts.get(1).start()).isEqualTo(cuts.get(0).end());
    for (SlotCut c : cuts) {
      assertThat(c.lengthSamples()).isLessThanOrEqualTo(samples(30_000));
    }
  }

  @Test
  void neverEmitsASlotLongerThanMaxSlot() {
    short[] x = concat(silence(300), speech(95_000, 12), silence(1_000));
    List<SlotCut> cuts = segmenter.segmentAll(x);
    assertThat(cuts.size()).isGreaterThanOrEqualTo(4);
    for (int i = 0; i < cuts.size(); i++) {
      assertThat(cuts.get(i).lengthSamples()).isLessThanOrEqualTo(samples(30_000));
      if (i > 0) {
        assertThat(cuts.get(i).start()).isGreaterThanOrEqualTo(cuts.get(i - 1).end());
      }
    }
  }

  @Test
  void chunkedInputGivesTheSameCutsAsWholeInput() {
    short[] x =
        concat(
            silence(700),
            speech(2_300, 1),
            silence(800),
            speech(900, 2),
            silence(650),
            speech(1_400, 3),
            silence(300));
    List<SlotCut> whole = segmenter.segmentAll(x);

    SegmenterState st = segmenter.newState();
    List<SlotCut> chunked = new ArrayList<>();
    AudioWindow w = (a, b) -> Arrays.copyOfRange(x, (int) a, (int) b);
    Random random = new Random(4);
    for (int pos = 0; pos < x.length; ) {
      int n = Math.min(x.length - pos, 1 + random.nextInt(700));
      segmenter.accept(st, x, pos, n, w, chunked::add);
      pos += n;
    }
    segmenter.finish(st, w, chunked::add);

    assertThat(chunked).isEqualTo(whole);
  }

  @Test
  void theFirstTwoSecondsAreHeldBackUntilTheFloorIsKnown() {
    // speech from the first sample: the floor comes from the pause after it (look-ahead)
    short[] x =
        TestSignals.mix(
            concat(speech(1_500, 1), silence(800), speech(1_200, 2), silence(700)),
            TestSignals.noise(4_200, 40, 3));
    SegmenterState st = segmenter.newState();
    AudioWindow w = (a, b) -> Arrays.copyOfRange(x, (int) a, (int) b);
    List<SlotCut> cuts = new ArrayList<>();
    int chunk = 3_200; // 200 ms
    for (int pos = 0; pos < x.length; pos += chunk) {
      segmenter.accept(st, x, pos, Math.min(chunk, x.length - pos), w, cuts::add);
      if (st.cursor < 32_000) {
        assertThat(cuts).isEmpty();
        assertThat(segmenter.keepFrom(st)).isZero();
        assertThat(segmenter.unemittedSlotsEndFrom(st)).isZero();
      }
    }
    segmenter.finish(st, w, cuts::add);

    assertThat(cuts).isEqualTo(segmenter.segmentAll(x)).hasSize(2);
    assertThat(cuts.get(0).start()).isZero();
  }

  @Test
  void aStreamShorterThanTheHeldBackStartIsSegmentedAtItsEnd() {
    short[] x = concat(speech(1_200, 5), silence(300));
    assertThat(segmenter.segmentAll(x))
        .hasSize(1)
        .first()
        .satisfies(c -> assertThat(c.start()).isZero());
  }

  @Test
  void keepFromNeverPassesAnOpenSlot() {
    short[] x = concat(silence(1_000), speech(3_000, 1), silence(1_000));
    SegmenterState st = segmenter.newState();
    AudioWindow w = (a, b) -> Arrays.copyOfRange(x, (int) a, (int) b);
    List<SlotCut> cuts = new ArrayList<>();
    long keptFrom = 0;
    for (int pos = 0; pos < x.length; pos += 320) {
      segmenter.accept(
          st,
          x,
          pos,
          Math.min(320, x.length - pos),
          w,
          c -> {
            cuts.add(c);
          });
      keptFrom = segmenter.keepFrom(st);
      if (st.inSpeech) {
        assertThat(keptFrom).isLessThanOrEqualTo(st.slotStart);
      }
    }
    assertThat(cuts).hasSize(1);
    assertThat(keptFrom).isGreaterThan(cuts.get(0).start());
  }

  private static org.assertj.core.data.Offset<Long> withinSamples(long n) {
    return org.assertj.core.data.Offset.offset(n);
  }
}
