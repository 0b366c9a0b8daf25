package io.callqa.operators.inference;

import java.util.Locale;

/** Character error rate as recognisers are judged: over what was said, not how it was spaced. */
public final class TextMetrics {
  private TextMetrics() {}

  /** Lower case, no spaces or punctuation. */
  public static String normalize(String text) {
    return text == null ? "" : text.toLowerCase(Locale.ROOT).replaceAll("[\\s\\p{Punct}，。？！、]", "");
  }

  /** Levenshtein distance between the normalized texts (substitutions, insertions, deletions). */
  public static int charErrors(String reference, String hypothesis) {
    String a = normalize(reference);
    String b = normalize(hypothesis);
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
