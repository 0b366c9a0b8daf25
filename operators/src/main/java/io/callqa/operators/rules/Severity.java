package io.callqa.operators.rules;

import java.util.Locale;

/** How urgent an alert is; written lower-case into {@code Alert.severity}. */
public enum Severity {
  INFO,
  WARNING,
  CRITICAL;

  /** The value stored in alerts and accepted in the rules file. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code info | warning | critical} (case-insensitive); null when it is none of them. */
  public static Severity parse(String text) {
    for (Severity s : values()) {
      if (s.wireName().equalsIgnoreCase(text)) {
        return s;
      }
    }
    return null;
  }
}
