package io.callqa.operators.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RealFftTest {

  @ParameterizedTest
  @ValueSource(ints = {4, 8, 64, 512, 1024})
  void powerSpectrumMatchesJTransforms(int n) {
    Random random = new Random(n);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = random.nextGaussian() * 1000;
    }
    double[] expected = new double[n / 2];
    KaldiFbank.powerSpectrumJTransforms(x, expected);
    double[] actual = new double[n / 2];

    new RealFft(n).powerSpectrum(x, actual);

    for (int k = 0; k < n / 2; k++) {
      assertThat(actual[k])
          .as("bin %d", k)
          .isCloseTo(expected[k], within(1e-9 * expected[0] + 1e-6));
    }
  }

  @Test
  void pureToneLandsInItsBin() {
    int n = 512;
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = Math.cos(2 * Math.PI * 37 * i / n);
    }
    double[] power = new double[n / 2 + 1];

    new RealFft(n).powerSpectrum(x, power);

    assertThat(power[37]).isCloseTo((n / 2.0) * (n / 2.0), within(1e-6));
    assertThat(power[36]).isLessThan(1e-12);
    assertThat(power[0]).isLessThan(1e-12);
  }

  @Test
  void nyquistBinIsComputedWhenAsked() {
    int n = 16;
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = (i % 2 == 0) ? 1 : -1;
    }
    double[] power = new double[n / 2 + 1];

    new RealFft(n).powerSpectrum(x, power);

    assertThat(power[n / 2]).isCloseTo(n * n, within(1e-9));
  }

  @Test
  void rejectsSizesThatAreNotPowersOfTwo() {
    assertThatThrownBy(() -> new RealFft(400)).hasMessageContaining("power of two");
  }
}
