package io.callqa.operators.rules;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits ASR text (or a lexicon phrase) into the tokens intent matching compares: every CJK
 * character is a token, every Latin-script word is a token, every digit is a token.
 *
 * <p>Normalisation first: NFKC (full-width → half-width), lower case, apostrophes dropped inside
 * words ("i'm" → "im"); punctuation, spaces and masking stars are separators. Chinese numerals
 * (零〇一二三四五六七八九幺) become digits, so "一二三一五" in a phrase matches "12315" in ITN text, and the same
 * rule applied to both sides keeps "一下" ("1下") matching itself.
 */
public final class TextTokens {
  private TextTokens() {}

  /** The tokens of {@code text}; empty for null or blank text. */
  public static List<String> tokenize(String text) {
    List<String> out = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return out;
    }
    String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    StringBuilder word = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      int digit = digitOf(cp);
      if (digit >= 0) {
        flush(word, out);
        out.add(String.valueOf((char) ('0' + digit)));
      } else if (isCjk(cp)) {
        flush(word, out);
        out.add(new String(Character.toChars(cp)));
      } else if (Character.isLetter(cp)) {
        word.appendCodePoint(cp);
      } else if ((cp == '\'' || cp == '’') && word.length() > 0) {
        // "i'm" → "im": an apostrophe inside a word is not a separator
        continue;
      } else {
        flush(word, out);
      }
    }
    flush(word, out);
    return out;
  }

  /** Counts tokens as speech-rate units: CJK characters and Latin words count one, digits too. */
  public static int count(String text) {
    return tokenize(text).size();
  }

  private static void flush(StringBuilder word, List<String> out) {
    if (word.length() > 0) {
      out.add(word.toString());
      word.setLength(0);
    }
  }

  private static int digitOf(int cp) {
    if (cp >= '0' && cp <= '9') {
      return cp - '0';
    }
    switch (cp) {
      case '零':
      case '〇':
        return 0;
      case '一':
      case '幺':
        return 1;
      case '二':
        return 2;
      case '三':
        return 3;
      case '四':
        return 4;
      case '五':
        return 5;
      case '六':
        return 6;
      case '七':
        return 7;
      case '八':
        return 8;
      case '九':
        return 9;
      default:
        return -1;
    }
  }

  static boolean isCjk(int cp) {
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return script == Character.UnicodeScript.HAN
        || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA
        || script == Character.UnicodeScript.HANGUL;
  }
}
