package io.callqa.operators.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the lexicon's intents in an utterance's text, tolerant to ASR errors.
 *
 * <p>Text and phrases are split into {@link TextTokens} (CJK characters, Latin words, digits). A
 * phrase matches when some stretch of the text is within a small edit distance of it (semi-global
 * alignment: the phrase may sit anywhere inside a longer utterance). A missing or extra token costs
 * 1; a substituted token costs 1 for CJK characters and digits, and the normalised character edit
 * distance for words ("frustraton" for "frustration" costs 0.09). The allowed cost grows with the
 * phrase's length ({@link MatchingOptions#allowedCost}): with the defaults, one wrong or missing
 * token in phrases of 3–7 tokens, two from 8 tokens on; two-token phrases only tolerate misspelt
 * words.
 *
 * <p>Immutable; build once per operator in {@code open}.
 */
public final class IntentMatcher {

  /** One intent found in a text: the phrase that matched best and how well. */
  public record Match(String intent, String phrase, double cost, double score) {}

  private record Phrase(String intent, String text, String[] tokens, double allowed) {}

  private final List<Phrase> phrases = new ArrayList<>();

  public IntentMatcher(Lexicon lexicon, MatchingOptions options) {
    for (Lexicon.Intent intent : lexicon.intents().values()) {
      for (String p : intent.allPhrases()) {
        String[] tokens = TextTokens.tokenize(p).toArray(new String[0]);
        if (tokens.length > 0) {
          boolean chars = p.codePoints().anyMatch(Character::isIdeographic);
          phrases.add(
              new Phrase(intent.name(), p, tokens, options.allowedCost(tokens.length, chars)));
        }
      }
    }
  }

  /** Builds the matcher of a rules config (lexicon plus phrase rules' literal phrases). */
  public static IntentMatcher of(RulesConfig config) {
    return new IntentMatcher(config.matcherLexicon(), config.matching());
  }

  /** The intents found in {@code text}, best phrase per intent, in lexicon order. */
  public List<Match> match(String text) {
    List<String> tokens = TextTokens.tokenize(text);
    Map<String, Match> best = new LinkedHashMap<>();
    if (tokens.isEmpty()) {
      return List.of();
    }
    String[] t = tokens.toArray(new String[0]);
    for (Phrase p : phrases) {
      if (t.length < p.tokens.length - p.allowed) {
        continue; // too short to hold the phrase even with every allowed deletion
      }
      double cost = bestAlignmentCost(p.tokens, t);
      if (cost <= p.allowed + 1e-9) {
        Match m = new Match(p.intent, p.text, cost, 1.0 - cost / p.tokens.length);
        Match prev = best.get(p.intent);
        if (prev == null || m.cost < prev.cost) {
          best.put(p.intent, m);
        }
      }
    }
    return List.copyOf(best.values());
  }

  /** Just the names of the intents found in {@code text}, sorted. */
  public List<String> intents(String text) {
    return match(text).stream().map(Match::intent).sorted(Comparator.naturalOrder()).toList();
  }

  /**
   * Minimal edit cost of {@code phrase} against any stretch of {@code text} (free start and end in
   * the text).
   */
  static double bestAlignmentCost(String[] phrase, String[] text) {
    int m = phrase.length;
    int n = text.length;
    double[] prev = new double[n + 1]; // row i-1
    double[] cur = new double[n + 1];
    // row 0: the phrase may start anywhere in the text at no cost
    for (int i = 1; i <= m; i++) {
      cur[0] = i; // phrase tokens 1..i missing before the text starts
      for (int j = 1; j <= n; j++) {
        double sub = prev[j - 1] + substitutionCost(phrase[i - 1], text[j - 1]);
        double missing = prev[j] + 1; // phrase token i not in the text
        double extra = cur[j - 1] + 1; // text token j inserted inside the phrase
        cur[j] = Math.min(sub, Math.min(missing, extra));
      }
      double[] tmp = prev;
      prev = cur;
      cur = tmp;
    }
    double best = Double.MAX_VALUE;
    for (int j = 0; j <= n; j++) {
      best = Math.min(best, prev[j]); // the phrase may end anywhere
    }
    return best;
  }

  static double substitutionCost(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    if (a.length() == 1 || b.length() == 1) {
      return 1; // CJK characters and digits are right or wrong
    }
    return (double) levenshtein(a, b) / Math.max(a.length(), b.length());
  }

  static int levenshtein(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(prev[j - 1] + c, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] tmp = prev;
      prev = cur;
      cur = tmp;
    }
    return prev[b.length()];
  }
}
