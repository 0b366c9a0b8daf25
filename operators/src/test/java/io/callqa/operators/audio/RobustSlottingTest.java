package io.callqa.operators.audio;

import static io.callqa.operators.audio.TestSignals.concat;
import static io.callqa.operators.audio.TestSignals.mix;
import static io.callqa.operators.audio.TestSignals.noise;
import static io.callqa.operators.audio.TestSignals.samples;
import static io.callqa.operators.audio.TestSignals.silence;
import static io.callqa.operators.audio.TestSignals.speech;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The slotter (VAD + segmenter, default settings) on synthetic calls with line noise, turns of one
 * party 0.45-1 s apart, hold music, DC offset and clipping: one slot per burst of speech, each
 * within 300 ms of the truth (padding allowed), and no slot in noise or music.
 */
class RobustSlottingTest {

  private static final long TOLERANCE_MS = 300;
  private static final long PAD_MS = SegmenterSettings.DEFAULT_PADDING_MS;
  private final SpeechSegmenter segmenter = new SpeechSegmenter(SegmenterSettings.DEFAULTS);

  /** Bursts of speech (start, end in ms) separated by the given silences, after a 1.5 s lead-in. */
  private static List<long[]> layout(long lead, long[] bursts, long[] gaps) {
    List<long[]> out = new ArrayList<>();
    long t = lead;
    for (int i = 0; i < bursts.length; i++) {
      out.add(new long[] {t, t + bursts[i]});
      t += bursts[i] + (i < gaps.length ? gaps[i] : 0);
    }
    return out;
  }

  private static short[] render(List<long[]> turns, long totalMs, double amplitude) {
    short[][] parts = new short[turns.size() * 2 + 1][];
    long t = 0;
    int p = 0;
    for (int i = 0; i < turns.size(); i++) {
      long[] turn = turns.get(i);
      parts[p++] = silence(turn[0] - t);
      parts[p++] = speech(turn[1] - turn[0], 100 + i, amplitude);
      t = turn[1];
    }
    parts[p] = silence(totalMs - t);
    return concat(parts);
  }

  /** Noise whose level wanders by ±4 dB (as line noise does), rms about {@code rms}. */
  private static short[] wanderingNoise(long ms, double rms, long seed) {
    Random random = new Random(seed);
    short[] x = new short[samples(ms)];
    double lowpassed = 0;
    for (int i = 0; i < x.length; i++) {
      double t = (double) i / TestSignals.RATE;
      double level = rms * Math.pow(10, 4 * Math.sin(2 * Math.PI * 0.3 * t) / 20);
      lowpassed = 0.7 * lowpassed + 0.3 * random.nextGaussian();
      x[i] = (short) Math.max(-32768, Math.min(32767, Math.round(lowpassed * 1.9 * level)));
    }
    return x;
  }

  private static long ms(long samples) {
    return samples * 1000 / TestSignals.RATE;
  }

  private void assertOneSlotPerTurn(short[] x, List<long[]> turns) {
    List<SlotCut> cuts = segmenter.segmentAll(x);
    List<String> got = cuts.stream().map(c -> ms(c.start()) + ".." + ms(c.end())).toList();
    assertThat(cuts).as("slots %s", got).hasSameSizeAs(turns);
    for (int i = 0; i < turns.size(); i++) {
      long[] t = turns.get(i);
      SlotCut c = cuts.get(i);
      assertThat(ms(c.start()))
          .as("start of slot %d of %s", i, got)
          .isBetween(t[0] - PAD_MS - TOLERANCE_MS, t[0] + TOLERANCE_MS);
      assertThat(ms(c.end()))
          .as("end of slot %d of %s", i, got)
          .isBetween(t[1] - TOLERANCE_MS, t[1] + PAD_MS + TOLERANCE_MS);
    }
  }

  @Test
  void turnsHalfASecondOrMoreApartAreSeparateSlots() {
    // 450, 600 and 1000 ms between turns of the same party: the old 600 ms maximum pause (plus
    // its hangover) merged the first three into one slot
    List<long[]> turns =
        layout(1_500, new long[] {1_200, 900, 1_500, 800}, new long[] {450, 600, 1_000});
    short[] x = mix(render(turns, 8_500, 8_000), noise(8_500, 40, 1));
    assertOneSlotPerTurn(x, turns);
  }

  @ParameterizedTest
  @ValueSource(doubles = {20, 60, 200, 600})
  void lineNoiseAtAnyLevelIsNotSpeech(double rms) {
    // from the very first sample: the old floor (the quietest raw 10 ms frame) sat several dB
    // under wandering noise, which then crossed the thresholds and opened slots at 0 ms
    assertThat(segmenter.segmentAll(wanderingNoise(12_000, rms, 3))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(doubles = {30, 150, 600})
  void turnsOverNoiseAtSeveralLevels(double noiseRms) {
    List<long[]> turns = layout(2_000, new long[] {1_500, 1_000, 2_000}, new long[] {600, 800});
    short[] x = mix(render(turns, 9_000, 8_000), wanderingNoise(9_000, noiseRms, 5));
    assertOneSlotPerTurn(x, turns);
  }

  @Test
  void turnsOverLoudNoiseFifteenDbBelowTheSpeech() {
    List<long[]> turns = layout(2_000, new long[] {1_500, 1_000, 2_000}, new long[] {600, 800});
    short[] speech = render(turns, 9_000, 8_000);
    double speechRms = rms(speech, samples(turns.get(0)[0]), samples(turns.get(0)[1]));
    double noiseRms = speechRms * Math.pow(10, -15 / 20.0);
    assertOneSlotPerTurn(mix(speech, wanderingNoise(9_000, noiseRms, 7)), turns);
  }

  @ParameterizedTest
  @ValueSource(doubles = {100, 400, 1_500})
  void lowFrequencyLineNoiseAndHumAreNotSpeech(double rms) {
    // brown noise and mains hum swing by several dB from one 10 ms frame to the next: measured
    // on the whole band they crossed the thresholds; above 300 Hz they are steady
    assertThat(
            segmenter.segmentAll(
                mix(TestSignals.brownNoise(samples(12_000), rms, 4), hum(12_000, rms))))
        .isEmpty();
  }

  /** 50 Hz mains hum with its third harmonic, peak about {@code amplitude}. */
  private static short[] hum(long ms, double amplitude) {
    short[] x = new short[samples(ms)];
    for (int i = 0; i < x.length; i++) {
      double t = (double) i / TestSignals.RATE;
      double v = Math.sin(2 * Math.PI * 50 * t) + 0.5 * Math.sin(2 * Math.PI * 150 * t);
      x[i] = (short) Math.round(amplitude * v / 1.5);
    }
    return x;
  }

  @Test
  void holdMusicIsNotSpeechButTheTurnsAroundItAre() {
    // speech, then 10 s of melodic hold music (notes that start after silence, decay and change
    // pitch), then speech again: the old VAD cut the music's note onsets into slots
    short[] music = melody(10_000, 3_000, 11);
    short[] x =
        mix(
            concat(
                silence(1_000),
                speech(1_500, 1),
                silence(1_000),
                music,
                silence(900),
                speech(1_800, 2),
                silence(1_000)),
            noise(17_200, 40, 2));
    List<long[]> turns = List.of(new long[] {1_000, 2_500}, new long[] {14_400, 16_200});
    assertOneSlotPerTurn(x, turns);
  }

  @Test
  void dcOffsetAndClippingKeepOneSlotPerTurn() {
    List<long[]> turns = layout(1_500, new long[] {1_200, 900, 1_500}, new long[] {500, 700});
    short[] loud = render(turns, 6_500, 40_000); // clipped at full scale
    short[] x = TestSignals.plusDc(mix(loud, noise(6_500, 60, 4)), 7_000);
    assertOneSlotPerTurn(x, turns);
  }

  /** Notes of a random melody with harmonics, 20 ms attack and exponential decay. */
  private static short[] melody(long ms, double amplitude, long seed) {
    Random random = new Random(seed);
    double[] x = new double[samples(ms)];
    double root = 196 + random.nextDouble() * 130;
    int[] scale = {0, 2, 4, 5, 7, 9, 11};
    int pos = 0;
    while (pos < x.length) {
      int dur = samples(200 + random.nextInt(1_200));
      int deg = random.nextInt(scale.length * 2);
      double f = root * Math.pow(2, (scale[deg % scale.length] + 12 * (deg / scale.length)) / 12.0);
      double decay = 0.5 + 3.5 * random.nextDouble();
      for (int i = 0; i < dur && pos + i < x.length; i++) {
        double t = (double) i / TestSignals.RATE;
        double env = Math.min(1, t / 0.02) * Math.exp(-t * decay);
        double v = 0;
        for (int h = 1; h <= 3; h++) {
          v += Math.pow(0.6, h - 1) * Math.sin(2 * Math.PI * f * h * t + h);
        }
        x[pos + i] = amplitude * env * v;
      }
      pos += dur;
    }
    return TestSignals.toShort(x);
  }

  private static double rms(short[] x, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += (double) x[i] * x[i];
    }
    return Math.sqrt(sum / (to - from));
  }
}
