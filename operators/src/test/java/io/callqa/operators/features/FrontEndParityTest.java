package io.callqa.operators.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java front end against torchaudio 0.13 / FunASR, on the committed fixtures.
 *
 * <p>Fbank is compared with two references: torchaudio computed in float64 (the algorithm without
 * rounding noise; max |diff| ≤ 1e-3 everywhere) and torchaudio computed in float32 as FunASR runs
 * it. In float32 a mel band far below the loudest band of its frame is dominated by FFT rounding
 * (on one espeak sentence torchaudio's own float32 and float64 results differed by 2e-3 in a band
 * 23 nats below its frame's maximum), so against float32 the 1e-3 bound applies to bands within
 * {@value #FLOAT32_RANGE_NATS} nats (e^14 ≈ 1.2e6) of their frame's maximum, and a looser {@value
 * #FLOAT32_NOISE_TOLERANCE} to the rest (the float64 comparison holds those to 1e-3). LFR and CMVN
 * are pure data movement and float32 arithmetic: they must match FunASR's numpy transcription bit
 * for bit.
 */
class FrontEndParityTest {

  static final double TOLERANCE = 1e-3;
  static final double FLOAT32_RANGE_NATS = 14.0;
  static final double FLOAT32_NOISE_TOLERANCE = 2e-2;

  /** Max |diff| per reference and case, printed after the run (quoted in docs/frontend.md). */
  static final Map<String, Double> MAX_DIFFS = new TreeMap<>();

  @AfterAll
  static void printMaxDiffs() {
    MAX_DIFFS.forEach((k, v) -> System.out.printf("parity max|diff| %-40s %.3g%n", k, v));
  }

  static String[] cases() {
    return Fixtures.PARITY_CASES;
  }

  @ParameterizedTest
  @MethodSource("cases")
  void fbankMatchesTorchaudioFloat64(String name) {
    short[] samples = Fixtures.wav16k(name);
    Features expected = Fixtures.npy(name + ".fbank.npy");
    Features actual = new FrontEnd(null).fbank(samples);

    assertThat(actual.frames()).isEqualTo(expected.frames());
    assertThat(actual.dim()).isEqualTo(80);
    double diff = maxAbsDiff(actual.data(), expected.data());
    MAX_DIFFS.put("fbank vs torchaudio float64 " + name, diff);
    assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void fbankMatchesTorchaudioFloat32WithinItsPrecision(String name) {
    short[] samples = Fixtures.wav16k(name);
    Features expected = Fixtures.npy(name + ".fbank32.npy");
    Features actual = new FrontEnd(null).fbank(samples);

    assertThat(actual.frames()).isEqualTo(expected.frames());
    MAX_DIFFS.put(
        "fbank vs torchaudio float32 " + name, maxAbsDiff(actual.data(), expected.data()));
    for (int f = 0; f < expected.frames(); f++) {
      float frameMax = Float.NEGATIVE_INFINITY;
      for (int d = 0; d < 80; d++) {
        frameMax = Math.max(frameMax, expected.get(f, d));
      }
      for (int d = 0; d < 80; d++) {
        double diff = Math.abs(actual.get(f, d) - expected.get(f, d));
        boolean representable = expected.get(f, d) > frameMax - FLOAT32_RANGE_NATS;
        assertThat(diff)
            .as(
                "%s frame %d bin %d (%.3f, frame max %.3f)",
                name, f, d, expected.get(f, d), frameMax)
            .isLessThanOrEqualTo(representable ? TOLERANCE : FLOAT32_NOISE_TOLERANCE);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void lfrIsExactlyFunAsrs(String name) {
    Features fbank = Fixtures.npy(name + ".fbank.npy");
    Features expected = Fixtures.npy(name + ".lfr.npy");

    float[] actual = Lfr.apply(fbank.data(), fbank.frames(), fbank.dim());

    assertThat(Lfr.outputFrames(fbank.frames(), 6)).isEqualTo(expected.frames());
    assertThat(actual).containsExactly(expected.data());
  }

  @ParameterizedTest
  @MethodSource("cases")
  void cmvnIsExactlyFunAsrs(String name) {
    Features lfr = Fixtures.npy(name + ".lfr.npy");
    Features expected = Fixtures.npy(name + ".cmvn.npy");

    float[] actual = lfr.data().clone();
    Fixtures.cmvn().applyInPlace(actual, lfr.frames());

    assertThat(actual).containsExactly(expected.data());
  }

  @ParameterizedTest
  @MethodSource("cases")
  void wholeFrontEndMatchesReference(String name) {
    short[] samples = Fixtures.wav16k(name);
    Features expected = Fixtures.npy(name + ".cmvn.npy");

    Features actual = new FrontEnd(Fixtures.cmvn()).compute(samples);

    assertThat(actual.frames()).isEqualTo(expected.frames());
    assertThat(actual.dim()).isEqualTo(560);
    assertThat(FrontEnd.outputFrames(samples.length)).isEqualTo(expected.frames());
    double diff = maxAbsDiff(actual.data(), expected.data());
    MAX_DIFFS.put("front end (cmvn) vs reference " + name, diff);
    assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
  }

  static double maxAbsDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs((double) a[i] - b[i]));
    }
    return max;
  }
}
