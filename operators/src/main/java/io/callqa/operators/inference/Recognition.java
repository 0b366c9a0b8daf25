package io.callqa.operators.inference;

import java.util.List;
import java.util.Map;

/**
 * What the model said about one slot: SenseVoice's four tags (without the {@code <| |>}), the text,
 * when each text token started (ms from the slot start), a confidence (mean max-probability over
 * the text frames, 0..1) and the probability of each emotion tag (softmax over the emotion tags the
 * model has, without the {@code <| |>}).
 */
public record Recognition(
    String language,
    String emotion,
    String event,
    String itn,
    String text,
    List<TimedToken> tokens,
    float confidence,
    Map<String, Float> emotionScores) {

  public record TimedToken(String piece, long startMs) {}
}
