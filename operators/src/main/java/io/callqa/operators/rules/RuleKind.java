package io.callqa.operators.rules;

import java.util.Locale;

/**
 * How a rule is evaluated: {@code cep} (Flink CEP pattern over a call's ordered utterances and
 * events), {@code phrase} (one utterance matches an intent or phrase), {@code stream} (real-time
 * keyed state over recent utterances), {@code call} (call-level, decided from the whole call).
 */
public enum RuleKind {
  CEP,
  PHRASE,
  STREAM,
  CALL;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RuleKind parse(String text) {
    for (RuleKind k : values()) {
      if (k.wireName().equalsIgnoreCase(text)) {
        return k;
      }
    }
    return null;
  }
}
