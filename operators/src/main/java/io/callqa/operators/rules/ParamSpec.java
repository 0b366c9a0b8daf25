package io.callqa.operators.rules;

import java.io.Serializable;
import java.util.List;

/**
 * One parameter a rule accepts in the rules file: its name, type, default and lower bound.
 *
 * @param min lower bound for {@link Type#MILLIS} and {@link Type#INT}, ignored otherwise
 */
public record ParamSpec(String name, Type type, Serializable defaultValue, long min, String doc)
    implements Serializable {

  /** What a parameter holds and how the parser checks it. */
  public enum Type {
    /** whole milliseconds ≥ min. */
    MILLIS,
    /** an integer ≥ min. */
    INT,
    /** info | warning | critical. */
    SEVERITY,
    /** one intent name of the lexicon. */
    INTENT,
    /** a list of intent names of the lexicon. */
    INTENTS,
    /** a list of literal phrases, matched like lexicon phrases. */
    PHRASES,
    /**
     * a list of CallEvent types (STARTED, ENDED, TRANSFERRED, HOLD_START, HOLD_END, BOT_TO_AGENT).
     */
    EVENT_TYPES,
    /** a list of PII kinds (see PiiKind). */
    PII_KINDS
  }

  static ParamSpec millis(String name, long defaultValue, long min, String doc) {
    return new ParamSpec(name, Type.MILLIS, defaultValue, min, doc);
  }

  static ParamSpec integer(String name, int defaultValue, long min, String doc) {
    return new ParamSpec(name, Type.INT, defaultValue, min, doc);
  }

  static ParamSpec severity(String name, Severity defaultValue, String doc) {
    return new ParamSpec(name, Type.SEVERITY, defaultValue, 0, doc);
  }

  static ParamSpec intent(String name, String defaultValue, String doc) {
    return new ParamSpec(name, Type.INTENT, defaultValue, 0, doc);
  }

  static ParamSpec list(String name, Type type, List<String> defaultValue, String doc) {
    return new ParamSpec(name, type, new java.util.ArrayList<>(defaultValue), 0, doc);
  }
}
