package io.callqa.operators.inference;

import java.util.List;

/**
 * What the model said about one slot: SenseVoice's four tags (without the {@code <| |>}), the text,
 * when each text token started (ms from the slot start) and a confidence (mean max-probability over
 * the text frames, 0..1).
 */
public record Recognition(
    String language,
    String emotion,
    String event,
    String itn,
    String text,
    List<TimedToken> tokens,
    float confidence) {

  public record TimedToken(String piece, long startMs) {}
}
