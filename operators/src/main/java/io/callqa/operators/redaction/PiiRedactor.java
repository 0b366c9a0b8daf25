package io.callqa.operators.redaction;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks personal data in ASR text and says which kinds it found.
 *
 * <p>Numbers: a run of digits, possibly split by single spaces or hyphens ("138 0013 8000"), is
 * classified as a whole; when the whole run is nothing, each unbroken part is tried on its own. In
 * order: CN resident ID (18 chars, ISO 7064 MOD 11-2 check), CN mobile (1[3-9] + 9 digits, optional
 * 86/+86), bank card (13–19 digits, Luhn-valid), other phone (0 + area code, 10–12 digits; 400/800
 * numbers; + and 8–15 digits). Checksums fail on ASR digit errors and on numbers read out from
 * made-up examples, so context words right before a number also decide: 13–19 digits after
 * "card"/"卡" are a card, 18 characters after "身份证"/"id number" an ID, 7–12 digits after
 * "phone"/"电话"/"手机" a phone. (The demo corpus card number 6222021234567890 is not Luhn-valid; it is
 * recognised because it follows "card number is".)
 *
 * <p>Masking keeps the last 4 characters: {@code 13800138000 → *******8000}; separators inside the
 * number go. E-mail addresses keep their first character and domain: {@code john.doe@example.com →
 * j*******@example.com}, also when spoken ("john at example dot com"). Masked text contains no run
 * of 5+ digits, so redacting twice changes nothing.
 */
public final class PiiRedactor {

  /** Redacted text and the kinds of PII that were masked (empty: nothing found). */
  public record Result(String text, Set<PiiKind> kinds) {
    public boolean found() {
      return !kinds.isEmpty();
    }
  }

  private static final Pattern EMAIL =
      Pattern.compile(
          "(?<![\\w.+-])([\\w.+-]+)@([a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.[a-z]{2,})",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern SPOKEN_EMAIL =
      Pattern.compile(
          "\\b([a-z0-9][a-z0-9._-]*) at ((?:[a-z0-9-]+ dot )+"
              + "(?:com|cn|net|org|edu|gov|io|co|info|biz|me|us|uk|hk|tw|de|jp))\\b",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern CN_MOBILE = Pattern.compile("(?:0086|86)?1[3-9]\\d{9}");
  private static final Pattern LANDLINE = Pattern.compile("0\\d{9,11}");
  private static final Pattern SERVICE_NUMBER = Pattern.compile("[48]00\\d{7}");

  private static final int CONTEXT_CHARS = 24;
  private static final List<String> CARD_WORDS = List.of("card", "卡");
  private static final List<String> ID_WORDS =
      List.of("身份证", "证件号", "id number", "id card", "identity");
  private static final List<String> PHONE_WORDS =
      List.of("phone", "mobile", "cell", "telephone", "fax", "电话", "手机", "座机", "联系方式");

  /** Finds and masks PII in {@code text} (null → empty). */
  public Result redact(String text) {
    if (text == null || text.isEmpty()) {
      return new Result(text == null ? "" : text, EnumSet.noneOf(PiiKind.class));
    }
    Set<PiiKind> kinds = EnumSet.noneOf(PiiKind.class);
    String s = maskEmails(text, kinds);
    s = maskNumbers(s, kinds);
    return new Result(s, kinds);
  }

  private static String maskEmails(String text, Set<PiiKind> kinds) {
    String s = replaceLocalPart(EMAIL, text, kinds, "@");
    return replaceLocalPart(SPOKEN_EMAIL, s, kinds, " at ");
  }

  private static String replaceLocalPart(
      Pattern pattern, String text, Set<PiiKind> kinds, String joiner) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      return text;
    }
    kinds.add(PiiKind.EMAIL);
    StringBuilder out = new StringBuilder();
    do {
      String local = m.group(1);
      String masked = local.charAt(0) + "*".repeat(Math.max(1, local.length() - 1));
      m.appendReplacement(out, Matcher.quoteReplacement(masked + joiner + m.group(2)));
    } while (m.find());
    m.appendTail(out);
    return out.toString();
  }

  /** One digit run: [start, end) in the text, its digits (and a trailing X), its unbroken parts. */
  private record Run(int start, int end, boolean plus, String digits, List<int[]> parts) {}

  private static String maskNumbers(String text, Set<PiiKind> kinds) {
    List<Run> runs = findRuns(text);
    if (runs.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder();
    int pos = 0;
    for (Run run : runs) {
      String context = context(text, run.start);
      PiiKind kind = classify(run.digits, run.plus, context);
      if (kind != null) {
        out.append(text, pos, run.start).append(mask(run.digits));
        kinds.add(kind);
        pos = run.end;
        continue;
      }
      // the whole run is nothing: try each unbroken part ("13800138000 2" → the mobile)
      for (int[] part : run.parts) {
        String digits = text.substring(part[0], part[1]);
        PiiKind k = classify(digits, false, context(text, part[0]));
        if (k != null) {
          out.append(text, pos, part[0]).append(mask(digits));
          kinds.add(k);
          pos = part[1];
        }
      }
    }
    out.append(text, pos, text.length());
    return out.toString();
  }

  private static List<Run> findRuns(String text) {
    List<Run> runs = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      boolean plus = c == '+' && i + 1 < n && isDigit(text.charAt(i + 1));
      if (!isDigit(c) && !plus) {
        i++;
        continue;
      }
      int start = i;
      if (plus) {
        i++;
      }
      StringBuilder digits = new StringBuilder();
      List<int[]> parts = new ArrayList<>();
      int partStart = i;
      while (i < n) {
        char d = text.charAt(i);
        if (isDigit(d)) {
          digits.append(d);
          i++;
        } else if ((d == ' ' || d == '-') && i + 1 < n && isDigit(text.charAt(i + 1))) {
          parts.add(new int[] {partStart, i});
          i++;
          partStart = i;
        } else {
          break;
        }
      }
      if (digits.length() == 17 && i < n && (text.charAt(i) == 'X' || text.charAt(i) == 'x')) {
        digits.append('X'); // CN resident ID check character
        i++;
      }
      parts.add(new int[] {partStart, i});
      runs.add(new Run(start, i, plus, digits.toString(), parts));
    }
    return runs;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static String context(String text, int start) {
    return text.substring(Math.max(0, start - CONTEXT_CHARS), start).toLowerCase(Locale.ROOT);
  }

  private static boolean mentions(String context, List<String> words) {
    for (String w : words) {
      if (context.contains(w)) {
        return true;
      }
    }
    return false;
  }

  /** The kind of PII a digit string is, or null. */
  static PiiKind classify(String digits, boolean plus, String context) {
    int len = digits.length();
    boolean allDigits = digits.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    if (len == 18 && (cnIdValid(digits) || mentions(context, ID_WORDS))) {
      return PiiKind.CN_ID;
    }
    if (!allDigits) {
      return null; // a trailing X that is not an ID
    }
    if (plus) {
      if (digits.startsWith("86") && CN_MOBILE.matcher(digits).matches()) {
        return PiiKind.CN_MOBILE;
      }
      return len >= 8 && len <= 15 ? PiiKind.PHONE : null;
    }
    if (CN_MOBILE.matcher(digits).matches()) {
      return PiiKind.CN_MOBILE;
    }
    if (len >= 13 && len <= 19 && (luhnValid(digits) || mentions(context, CARD_WORDS))) {
      return PiiKind.BANK_CARD;
    }
    if (LANDLINE.matcher(digits).matches() || SERVICE_NUMBER.matcher(digits).matches()) {
      return PiiKind.PHONE;
    }
    // up to E.164's 15 digits: recognised numbers may carry a doubled or extra digit
    if (len >= 7 && len <= 15 && mentions(context, PHONE_WORDS)) {
      return PiiKind.PHONE;
    }
    return null;
  }

  private static String mask(String digits) {
    int keep = Math.min(4, digits.length());
    return "*".repeat(digits.length() - keep) + digits.substring(digits.length() - keep);
  }

  /** Luhn (mod 10) check of a digit string. */
  public static boolean luhnValid(String digits) {
    int sum = 0;
    boolean doubleIt = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return false;
      }
      if (doubleIt) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubleIt = !doubleIt;
    }
    return digits.length() > 1 && sum % 10 == 0;
  }

  private static final int[] ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final String ID_CHECK = "10X98765432";

  /** ISO 7064 MOD 11-2 check of an 18-character CN resident ID (last char may be X). */
  public static boolean cnIdValid(String id) {
    if (id.length() != 18) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      int d = id.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return false;
      }
      sum += d * ID_WEIGHTS[i];
    }
    return Character.toUpperCase(id.charAt(17)) == ID_CHECK.charAt(sum % 11);
  }
}
