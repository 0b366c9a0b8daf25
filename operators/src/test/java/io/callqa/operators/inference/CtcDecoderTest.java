package io.callqa.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CtcDecoderTest {
  private static final List<String> PIECES =
      List.of(
          "<blank>",
          "<|zh|>",
          "<|en|>",
          "<|nospeech|>",
          "<|HAPPY|>",
          "<|ANGRY|>",
          "<|NEUTRAL|>",
          "<|Speech|>",
          "<|BGM|>",
          "<|withitn|>",
          "<|woitn|>",
          "▁i",
          "▁am",
          "▁very",
          "▁angry",
          "▁",
          "1",
          "2",
          "我",
          "要");
  private static final TokenTable TOKENS = TokenTable.of(PIECES);
  private static final CtcDecoder DECODER = new CtcDecoder(TOKENS, 0, 60);

  /** Logits where each frame's given piece wins clearly. */
  private static float[] logits(String... framePieces) {
    int vocab = PIECES.size();
    float[] l = new float[framePieces.length * vocab];
    for (int t = 0; t < framePieces.length; t++) {
      l[t * vocab + TOKENS.id(framePieces[t])] = 10f;
    }
    return l;
  }

  @Test
  void readsTheFourTagsAndCollapsesRepeatsAndBlanks() {
    float[] l =
        logits(
            "<|en|>",
            "<|ANGRY|>",
            "<|Speech|>",
            "<|withitn|>",
            "▁i",
            "▁i",
            "<blank>",
            "▁am",
            "▁very",
            "<blank>",
            "▁angry",
            "▁angry");

    Recognition r = DECODER.decode(l, PIECES.size(), 12);

    assertThat(r.language()).isEqualTo("en");
    assertThat(r.emotion()).isEqualTo("ANGRY");
    assertThat(r.event()).isEqualTo("Speech");
    assertThat(r.itn()).isEqualTo("withitn");
    assertThat(r.text()).isEqualTo("i am very angry");
    assertThat(r.tokens())
        .extracting(Recognition.TimedToken::startMs)
        .containsExactly(0L, 180L, 240L, 360L);
    assertThat(r.confidence()).isGreaterThan(0.99f);
  }

  @Test
  void keepsARepeatedTokenSeparatedByABlank() {
    float[] l =
        logits("<|zh|>", "<|NEUTRAL|>", "<|Speech|>", "<|withitn|>", "我", "要", "<blank>", "要");
    assertThat(DECODER.decode(l, PIECES.size(), 8).text()).isEqualTo("我要要");
  }

  @Test
  void joinsDigitsWithoutSpacesAfterAStandaloneWordStart() {
    float[] l =
        logits(
            "<|en|>", "<|NEUTRAL|>", "<|Speech|>", "<|withitn|>", "▁am", "▁", "1", "<blank>", "2");
    assertThat(DECODER.decode(l, PIECES.size(), 9).text()).isEqualTo("am 12");
  }

  @Test
  void readsTagsOnlyFromTheirOwnSetAndIgnoresPaddingFrames() {
    List<String> frames = new ArrayList<>(List.of("▁am", "<|BGM|>", "<|HAPPY|>", "▁i", "▁i"));
    frames.addAll(List.of("▁angry", "▁angry", "▁angry"));
    float[] l = logits(frames.toArray(String[]::new));
    // frame 0 wins with a text token: the language is still the best language tag there (all equal
    // → first)
    Recognition r = DECODER.decode(l, PIECES.size(), 5);
    assertThat(r.language()).isIn("zh", "en", "nospeech");
    assertThat(r.text()).isEqualTo("i");
  }

  @Test
  void givesTheProbabilityOfEachEmotionTagTheModelHas() {
    float[] l = logits("<|en|>", "<|ANGRY|>", "<|Speech|>", "<|withitn|>", "▁i");
    int vocab = PIECES.size();
    l[vocab + TOKENS.id("<|NEUTRAL|>")] = 10f - (float) Math.log(3); // a third of ANGRY's odds
    l[vocab + TOKENS.id("▁angry")] = 50f; // a text token at the emotion position is no emotion

    Recognition r = DECODER.decode(l, vocab, 5);

    assertThat(r.emotionScores()).containsOnlyKeys("HAPPY", "ANGRY", "NEUTRAL");
    assertThat(r.emotionScores().values().stream().mapToDouble(Float::doubleValue).sum())
        .isCloseTo(1.0, within(1e-6));
    assertThat(r.emotionScores().get("ANGRY") / r.emotionScores().get("NEUTRAL"))
        .isCloseTo(3f, within(1e-3f));
    assertThat(r.emotionScores().get("HAPPY")).isLessThan(1e-4f);
  }

  @Test
  void rejectsAVocabularyThatDoesNotMatchTheTokenTable() {
    assertThatThrownBy(() -> DECODER.decode(new float[40], 10, 4))
        .hasMessageContaining("vocabulary");
  }
}
