package io.callqa.operators.emotion;

import static org.assertj.core.api.Assertions.assertThat;

import io.callqa.operators.inference.ModelDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmotionCalibrationTest {
  /** Channels of the domain are mostly NEUTRAL; ANGRY is not calibrated. */
  static final EmotionCalibration CALIBRATION =
      EmotionCalibration.of(
          new ModelDescriptor.EmotionCalibration(
              0.5, Map.of("NEUTRAL", -0.3, "HAPPY", -2.0, "SAD", -3.0)));

  static Map<String, Float> p(double neutral, double happy, double sad, double angry) {
    return Map.of(
        "NEUTRAL",
        (float) neutral,
        "HAPPY",
        (float) happy,
        "SAD",
        (float) sad,
        "ANGRY",
        (float) angry);
  }

  /** What the calibration says about {@code slot} after {@code earlier} slots of the channel. */
  static String calibrate(
      String modelEmotion, Map<String, Float> slot, List<Map<String, Float>> earlier) {
    List<float[]> scores = new ArrayList<>();
    earlier.forEach(e -> scores.add(CALIBRATION.logScores(e)));
    return CALIBRATION.calibrate(modelEmotion, CALIBRATION.logScores(slot), scores);
  }

  /** A bright, fast talker: every slot leans HAPPY for the model. */
  static final Map<String, Float> LEANS_HAPPY = p(0.35, 0.6, 0.04, 0.01);

  @Test
  void aSpeakersOwnLeanIsHeardAsTheirNeutral() {
    assertThat(calibrate("HAPPY", LEANS_HAPPY, List.of(LEANS_HAPPY, LEANS_HAPPY)))
        .isEqualTo("NEUTRAL");
  }

  @Test
  void aClearEmotionSurvivesTheSpeakersLean() {
    assertThat(calibrate("HAPPY", p(0.02, 0.97, 0.005, 0.005), List.of(LEANS_HAPPY, LEANS_HAPPY)))
        .isEqualTo("HAPPY");
  }

  @Test
  void theSameSlotFromATypicalSpeakerKeepsTheModelsEmotion() {
    Map<String, Float> typical = p(0.74, 0.14, 0.05, 0.07);
    assertThat(calibrate("HAPPY", LEANS_HAPPY, List.of(typical, typical))).isEqualTo("HAPPY");
  }

  @Test
  void theFirstSlotOfAChannelKeepsTheModelsEmotion() {
    assertThat(calibrate("HAPPY", LEANS_HAPPY, List.of())).isEqualTo("HAPPY");
  }

  @Test
  void angerIsNeitherCalibratedAwayNorMadeUp() {
    Map<String, Float> angry = p(0.1, 0.05, 0.05, 0.8);
    assertThat(calibrate("ANGRY", angry, List.of(angry, angry, angry))).isEqualTo("ANGRY");
    // a NEUTRAL slot whose runner-up is ANGRY, from a speaker who leans NEUTRAL: never ANGRY
    Map<String, Float> calm = p(0.9, 0.01, 0.01, 0.08);
    assertThat(calibrate("NEUTRAL", p(0.5, 0.01, 0.01, 0.48), List.of(calm, calm)))
        .isEqualTo("NEUTRAL");
  }

  @Test
  void slotsWithoutScoresDoNotCount() {
    assertThat(CALIBRATION.logScores(Map.of("NEUTRAL", 0.5f))).isEmpty();
    assertThat(CALIBRATION.logScores(Map.of())).isEmpty();
    assertThat(
            CALIBRATION.calibrate(
                "HAPPY", CALIBRATION.logScores(LEANS_HAPPY), List.of(new float[0])))
        .isEqualTo("HAPPY");
  }

  @Test
  void aZeroProbabilityIsAFiniteLogScore() {
    for (float v : CALIBRATION.logScores(p(1, 0, 0, 0))) {
      assertThat(Float.isFinite(v)).isTrue();
    }
  }

  @Test
  void withoutACalibrationEverySlotKeepsTheModelsEmotion() {
    EmotionCalibration none = EmotionCalibration.of(null);
    assertThat(none.enabled()).isFalse();
    assertThat(none.calibrate("HAPPY", none.logScores(LEANS_HAPPY), List.of())).isEqualTo("HAPPY");
    EmotionCalibration zero =
        EmotionCalibration.of(
            new ModelDescriptor.EmotionCalibration(0, Map.of("NEUTRAL", -0.3, "HAPPY", -2.0)));
    assertThat(zero.enabled()).isFalse();
  }
}
