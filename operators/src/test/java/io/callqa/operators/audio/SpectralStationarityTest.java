package io.callqa.operators.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hold-music cue: a steady note's spectrum repeats, a gliding voice's and noise's do not. */
class SpectralStationarityTest {
  private static final int FRAME = EnergyVad.FRAME_SAMPLES;

  /** The similarities of every frame of {@code x} with the frame LAG_FRAMES before it. */
  private static double[] similarities(short[] x) {
    VadState s = new VadState();
    double[] out = new double[x.length / FRAME];
    for (int f = 0; f < out.length; f++) {
      out[f] = SpectralStationarity.next(s, x, f * FRAME, true);
    }
    return out;
  }

  private static short[] chord(double seconds, double... hz) {
    short[] x = new short[(int) (seconds * 16_000)];
    for (int i = 0; i < x.length; i++) {
      double v = 0;
      for (double f : hz) {
        v += Math.sin(2 * Math.PI * f * i / 16_000);
      }
      x[i] = (short) (8_000 * v / hz.length);
    }
    return x;
  }

  @Test
  void aSteadyNoteRepeatsItsSpectrum() {
    double[] sim = similarities(chord(1.0, 220, 440, 660));
    for (int f = 10; f < sim.length; f++) {
      assertThat(sim[f]).as("frame " + f).isGreaterThan(EnergyVad.TONAL_SIMILARITY);
    }
  }

  @Test
  void aGlidingToneAndNoiseDoNot() {
    short[] glide = new short[16_000];
    double phase = 0;
    for (int i = 0; i < glide.length; i++) {
      phase += 2 * Math.PI * (150 + 250.0 * i / glide.length) / 16_000; // 150 -> 400 Hz in 1 s
      double v = 0;
      for (int h = 1; h <= 8; h++) {
        v += Math.sin(h * phase) / h;
      }
      glide[i] = (short) (6_000 * v);
    }
    Random random = new Random(7);
    short[] noise = new short[16_000];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (short) (3_000 * random.nextGaussian());
    }
    // far below the tonal threshold (0.99) that marks a frame as music
    assertThat(median(similarities(glide))).isLessThan(EnergyVad.TONAL_SIMILARITY - 0.05);
    assertThat(median(similarities(noise))).isLessThan(EnergyVad.TONAL_SIMILARITY - 0.05);
  }

  @Test
  void quietFramesAndDigitalSilenceGiveZero() {
    VadState s = new VadState();
    short[] x = new short[FRAME * 20];
    for (int f = 0; f < 20; f++) {
      assertThat(SpectralStationarity.next(s, x, f * FRAME, f % 2 == 0)).isZero();
    }
  }

  private static double median(double[] v) {
    double[] sorted = java.util.Arrays.copyOfRange(v, 10, v.length);
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
