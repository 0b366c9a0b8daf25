package io.callqa.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callqa.operators.features.Features;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The DJL path on a real (tiny) TorchScript model: loading, int32 inputs, padding, decoding. */
class SpeechRecognizerTest {
  private static SpeechRecognizer recognizer;

  @BeforeAll
  static void load() throws Exception {
    recognizer = SpeechRecognizer.load(TinyModel.settings());
  }

  @AfterAll
  static void close() {
    recognizer.close();
  }

  @Test
  void aBatchGivesExactlyWhatEachItemGivesAlone() {
    List<Features> items =
        List.of(
            TinyModel.randomFeatures(3, 1),
            TinyModel.randomFeatures(40, 2),
            TinyModel.randomFeatures(17, 3));

    List<Recognition> batched = recognizer.recognize(items);
    List<Recognition> alone = new ArrayList<>();
    for (Features f : items) {
      alone.add(recognizer.recognize(List.of(f)).get(0));
    }

    assertThat(batched).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(batched.get(i).text()).isEqualTo(alone.get(i).text());
      assertThat(batched.get(i).emotion()).isEqualTo(alone.get(i).emotion());
      assertThat(batched.get(i).tokens()).isEqualTo(alone.get(i).tokens());
      assertThat(batched.get(i).confidence())
          .isCloseTo(alone.get(i).confidence(), org.assertj.core.data.Offset.offset(1e-5f));
    }
  }

  @Test
  void readsEachTagFromItsOwnSetAndTimesTokensWithinTheItem() {
    Recognition r = recognizer.recognize(List.of(TinyModel.randomFeatures(30, 9))).get(0);
    assertThat(r.language()).isIn(CtcDecoder.LANGUAGES);
    assertThat(r.emotion()).isIn(CtcDecoder.EMOTIONS);
    assertThat(r.event()).isIn(CtcDecoder.EVENTS);
    assertThat(r.itn()).isIn(CtcDecoder.ITN);
    assertThat(r.tokens()).allSatisfy(t -> assertThat(t.startMs()).isBetween(0L, 29 * 60L));
    assertThat(r.confidence()).isBetween(0f, 1f);
  }

  @Test
  void refusesFeaturesOfTheWrongDimension() {
    assertThatThrownBy(() -> recognizer.recognize(List.of(new Features(2, 80, new float[160]))))
        .hasMessageContaining("feature dim 80");
  }

  @Test
  void refusesAnUnknownLanguageHintAtLoad() {
    InferenceSettings s =
        new InferenceSettings(
            TinyModel.dir().toString(), "cpu", 4, 10, 1, 1, 1, "klingon", "withitn", 1000, 4, 1);
    assertThatThrownBy(() -> SpeechRecognizer.load(s)).hasMessageContaining("klingon");
  }
}
