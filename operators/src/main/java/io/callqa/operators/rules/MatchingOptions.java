package io.callqa.operators.rules;

import java.io.Serializable;

/**
 * How tolerant intent matching is to ASR errors.
 *
 * @param maxErrorRate edit cost allowed per phrase token (0.25: about one wrong or missing token in
 *     four)
 * @param minTokensForTypo phrases with at least this many tokens may always have one whole token
 *     wrong or missing, even where {@code maxErrorRate} allows less
 * @param maxErrorRateChars the same for phrases written in Chinese characters, one token per
 *     character: a character carries less than a word, and the model drops or swaps more of them
 *     (0.34: 3 of 9), while word phrases at that rate would start to match each other
 */
public record MatchingOptions(double maxErrorRate, int minTokensForTypo, double maxErrorRateChars)
    implements Serializable {
  public static final MatchingOptions DEFAULTS = new MatchingOptions(0.25, 3, 0.34);

  /** One rate for word and character phrases. */
  public MatchingOptions(double maxErrorRate, int minTokensForTypo) {
    this(maxErrorRate, minTokensForTypo, maxErrorRate);
  }

  /** Edit cost a phrase of {@code tokens} tokens (characters when {@code chars}) may have. */
  public double allowedCost(int tokens, boolean chars) {
    double byRate = tokens * (chars ? maxErrorRateChars : maxErrorRate);
    return tokens >= minTokensForTypo ? Math.max(1.0, byRate) : byRate;
  }
}
