package io.callqa.operators.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EnergyVadTest {

  private final EnergyVad vad = new EnergyVad(VadSettings.DEFAULTS);

  /** Fraction of 10 ms frames of {@code x} (from {@code fromMs} on) classified as speech. */
  private double speechFraction(short[] x, long fromMs) {
    VadState state = vad.newState();
    int frames = x.length / EnergyVad.FRAME_SAMPLES;
    int from = (int) (fromMs / EnergyVad.FRAME_MS);
    int speech = 0;
    for (int f = 0; f < frames; f++) {
      boolean s = vad.accept(state, x, f * EnergyVad.FRAME_SAMPLES);
      if (f >= from && s) {
        speech++;
      }
    }
    return (double) speech / (frames - from);
  }

  @Test
  void digitalSilenceIsNeverSpeech() {
    assertThat(speechFraction(TestSignals.silence(5_000), 0)).isZero();
  }

  @Test
  void quietNoiseBelowTheAbsoluteFloorIsNeverSpeech() {
    assertThat(speechFraction(TestSignals.noise(5_000, 20, 1), 0)).isZero();
  }

  @Test
  void speechAfterSilenceIsDetected() {
    short[] x = TestSignals.concat(TestSignals.silence(1_000), TestSignals.speech(2_000, 7));
    assertThat(speechFraction(x, 1_000)).isGreaterThan(0.8);
  }

  @Test
  void speechOverSteadyNoiseIsDetected() {
    short[] noise = TestSignals.noise(5_000, 300, 3);
    short[] speech =
        TestSignals.concat(TestSignals.silence(3_000), TestSignals.speech(2_000, 5, 6_000));
    assertThat(speechFraction(TestSignals.mix(noise, speech), 3_000)).isGreaterThan(0.7);
  }

  @Test
  void steadyHoldMusicStopsCountingAsSpeechWithinTheNoiseWindow() {
    short[] music = TestSignals.holdMusic(10_000, 4_000, 11);
    // after one noise window (2 s) plus a block, the music is the floor
    assertThat(speechFraction(music, 2_500)).isZero();
  }

  @Test
  void steadyNoiseFromTheStartIsNotSpeechOnceItHasBeenHeard() {
    // the very first frames have no floor to compare with yet
    assertThat(speechFraction(TestSignals.noise(8_000, 2_000, 9), 200)).isZero();
  }

  @Test
  void dcOffsetDoesNotChangeDecisions() {
    short[] x =
        TestSignals.concat(
            TestSignals.silence(1_000), TestSignals.speech(2_000, 7), TestSignals.silence(1_000));
    VadState a = vad.newState();
    VadState b = vad.newState();
    short[] shifted = TestSignals.plusDc(x, 6_000);
    for (int f = 0; f < x.length / EnergyVad.FRAME_SAMPLES; f++) {
      int off = f * EnergyVad.FRAME_SAMPLES;
      assertThat(vad.accept(b, shifted, off)).as("frame %d", f).isEqualTo(vad.accept(a, x, off));
    }
  }

  @Test
  void hangoverHoldsSpeechAfterTheLastLoudFrame() {
    VadState s = vad.newState();
    for (int i = 0; i < 50; i++) {
      vad.acceptEnergy(s, 30); // quiet floor
    }
    assertThat(vad.acceptEnergy(s, 70)).isTrue();
    int held = 0;
    while (vad.acceptEnergy(s, 30)) {
      held++;
    }
    // the loud frame stays in the 30 ms smoothing window for 2 more frames, then the hangover
    assertThat(held)
        .isEqualTo(
            EnergyVad.SMOOTHING_FRAMES
                - 1
                + (int) (VadSettings.DEFAULT_HANGOVER_MS / EnergyVad.FRAME_MS));
  }

  @Test
  void onsetNeedsMoreThanOffset() {
    VadState s = vad.newState();
    for (int i = 0; i < 50; i++) {
      vad.acceptEnergy(s, 40);
    }
    // 7 dB above the floor does not start speech (onset 9 dB) ...
    assertThat(vad.acceptEnergy(s, 47)).isFalse();
    // ... but keeps it going once started (offset 5 dB)
    assertThat(vad.acceptEnergy(s, 60)).isTrue();
    assertThat(vad.acceptEnergy(s, 47)).isTrue();
  }
}
