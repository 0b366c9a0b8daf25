package io.callqa.operators.rules;

import io.callqa.schemas.Utterance;
import io.callqa.schemas.UtteranceStatus;

/** What counts as speech, decided once for every rule (docs/rules.md, "What counts as speech"). */
public final class Speech {
  private Speech() {}

  /**
   * Speech time: a slot whose recognition failed (someone spoke, we do not know what), or any slot
   * with text. Slots without text (hold music, noise, BGM) are not speech.
   */
  public static boolean isSpeech(Utterance u) {
    return u.getStatus() == UtteranceStatus.FAILED || hasTranscript(u);
  }

  /** A recognised slot with text: the only utterances phrase, intent and emotion rules look at. */
  public static boolean hasTranscript(Utterance u) {
    return u.getStatus() == UtteranceStatus.OK && u.getText() != null && !u.getText().isBlank();
  }

  public static boolean isAngry(Utterance u) {
    return "ANGRY".equalsIgnoreCase(u.getEmotion());
  }
}
