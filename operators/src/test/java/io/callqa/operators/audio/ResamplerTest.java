package io.callqa.operators.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResamplerTest {

  private static final double AMPLITUDE = 10_000;
  private final Resampler up = Resampler.to16k(8_000);

  private static double db(double ratio) {
    return 20 * Math.log10(ratio);
  }

  /** Analysis skips the filter's start-up and stops before the end. */
  private static double measure(short[] y, double hz, int rate) {
    return TestSignals.amplitudeAt(y, rate / 10, y.length - rate / 10, hz, rate);
  }

  @ParameterizedTest
  @ValueSource(ints = {100, 300, 700, 1_000, 2_000, 3_000, 3_400})
  void passBandIsFlatToTheTelephoneBandEdge(int hz) {
    short[] y = up.processAll(TestSignals.tone(hz, 1_000, AMPLITUDE, 8_000));

    assertThat(y).hasSize(16_000);
    assertThat(db(measure(y, hz, 16_000) / AMPLITUDE)).isBetween(-0.05, 0.05);
  }

  @ParameterizedTest
  @ValueSource(ints = {300, 1_000, 2_000, 3_000, 3_400})
  void imagesAboveTheInputNyquistAreRejected(int hz) {
    short[] y = up.processAll(TestSignals.tone(hz, 1_000, AMPLITUDE, 8_000));

    double image = measure(y, 8_000 - hz, 16_000);
    // 80 dB by design; 70 dB leaves room for the int16 rounding of the output
    assertThat(db(image / AMPLITUDE)).isLessThan(-70);
  }

  @Test
  void sampleRepetitionWouldFailTheImageTest() {
    // the check above is not vacuous: naive zero-order hold leaves a loud image
    short[] x = TestSignals.tone(1_000, 1_000, AMPLITUDE, 8_000);
    short[] held = new short[2 * x.length];
    for (int i = 0; i < x.length; i++) {
      held[2 * i] = x[i];
      held[2 * i + 1] = x[i];
    }
    assertThat(db(measure(held, 7_000, 16_000) / AMPLITUDE)).isGreaterThan(-30);
  }

  @Test
  void chunkedProcessingIsBitIdenticalToOneGo() {
    short[] x = TestSignals.speech(3_000, 3);
    short[] x8k = new short[x.length / 2];
    for (int i = 0; i < x8k.length; i++) {
      x8k[i] = x[2 * i];
    }
    short[] whole = up.processAll(x8k);

    ResamplerState state = up.newState();
    short[] chunked = new short[0];
    Random random = new Random(5);
    for (int pos = 0; pos < x8k.length; ) {
      int n = Math.min(x8k.length - pos, 1 + random.nextInt(333));
      short[] y = up.process(x8k, pos, n, state);
      chunked = TestSignals.concat(chunked, y);
      pos += n;
    }

    assertThat(chunked).isEqualTo(whole);
  }

  @Test
  void integerUpsamplingAgreesWithThePerOutputPath() {
    short[] x8k = new short[8_000];
    Random random = new Random(11);
    short[] speech = TestSignals.speech(2_000, 7);
    for (int i = 0; i < x8k.length; i++) {
      // speech, then full-scale noise: both ends of the range, saturation included
      x8k[i] = i < 4_000 ? speech[2 * i] : (short) (random.nextInt(65_536) - 32_768);
    }

    short[] fast = up.processAll(x8k);
    short[] reference = up.processAllPerOutput(x8k);

    assertThat(fast).hasSameSizeAs(reference);
    for (int i = 0; i < fast.length; i++) {
      // the same float sums in another order: at most one step of rounding apart
      assertThat(Math.abs(fast[i] - reference[i])).as("sample %d", i).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void upsamplingGivesExactlyTwiceTheSamples() {
    ResamplerState state = up.newState();
    int total = 0;
    for (int n : new int[] {1, 7, 160, 159, 1}) {
      total += up.process(new short[n], 0, n, state).length;
    }
    assertThat(total).isEqualTo(2 * (1 + 7 + 160 + 159 + 1));
  }

  @Test
  void downsamplingRejectsWhatWouldAlias() {
    Resampler down = Resampler.to16k(48_000);
    // 10 kHz is above the 8 kHz output Nyquist: it would fold to 6 kHz
    short[] y = down.processAll(TestSignals.tone(10_000, 1_000, AMPLITUDE, 48_000));
    assertThat(y).hasSize(16_000);
    assertThat(db(measure(y, 6_000, 16_000) / AMPLITUDE)).isLessThan(-70);
    short[] pass = down.processAll(TestSignals.tone(1_000, 1_000, AMPLITUDE, 48_000));
    assertThat(db(measure(pass, 1_000, 16_000) / AMPLITUDE)).isBetween(-0.05, 0.05);
  }

  @ParameterizedTest
  @ValueSource(ints = {11_025, 22_050, 44_100, 12_000, 24_000, 32_000})
  void otherRatesAreResampledRationally(int rate) {
    Resampler r = Resampler.to16k(rate);
    short[] y = r.processAll(TestSignals.tone(1_000, 1_000, AMPLITUDE, rate));
    assertThat(y.length).isBetween(15_999, 16_001);
    assertThat(db(measure(y, 1_000, 16_000) / AMPLITUDE)).isBetween(-0.05, 0.05);
  }

  @Test
  void sixteenKilohertzPassesThroughUnchanged() {
    short[] x = TestSignals.speech(500, 1);
    Resampler same = Resampler.to16k(16_000);
    assertThat(same.isIdentity()).isTrue();
    assertThat(same.processAll(x)).isEqualTo(x);
  }

  @Test
  void fullScaleInputSaturatesInsteadOfWrapping() {
    short[] square = new short[8_000];
    for (int i = 0; i < square.length; i++) {
      square[i] = (i / 20) % 2 == 0 ? Short.MAX_VALUE : Short.MIN_VALUE;
    }
    short[] y = up.processAll(square);
    // Gibbs overshoot is clipped: away from the edges the sign follows the input (output sample i
    // is input time (i − delay) / 2, delay = half the filter length on the 16 kHz axis), and no
    // two neighbours jump from one end of the int16 range to the other as after a wrap-around
    double delay = (up.tapsPerPhase() * 2 - 1) / 2.0;
    int wrongSign = 0;
    int maxJump = 0;
    for (int i = 200; i < y.length - 100; i++) {
      double t = (i - delay) / 2;
      double phase = t % 40;
      int inputSign = phase < 20 ? 1 : -1;
      double distanceToEdge = Math.min(Math.min(phase, Math.abs(20 - phase)), 40 - phase);
      if (distanceToEdge > 4 && Integer.signum(y[i]) != inputSign) {
        wrongSign++;
      }
      maxJump = Math.max(maxJump, Math.abs(y[i] - y[i - 1]));
    }
    assertThat(wrongSign).isZero();
    assertThat(maxJump).isLessThan(60_000); // a wrap-around jumps by ~65 000
    assertThat(Arrays.stream(toInts(y)).max().orElseThrow()).isEqualTo(Short.MAX_VALUE);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 7_999, 9_600, 96_000, -8_000})
  void unsupportedRatesAreRejectedWithTheSupportedList(int rate) {
    assertThat(Resampler.isSupported(rate)).isFalse();
    assertThatThrownBy(() -> Resampler.to16k(rate))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unsupported sample rate")
        .hasMessageContaining("8000");
  }

  @Test
  void stateOfAnotherRateIsRefused() {
    ResamplerState state = Resampler.to16k(48_000).newState();
    assertThatThrownBy(() -> up.process(new short[10], state)).hasMessageContaining("48000");
  }

  private static int[] toInts(short[] y) {
    int[] out = new int[y.length];
    for (int i = 0; i < y.length; i++) {
      out[i] = y[i];
    }
    return out;
  }
}
