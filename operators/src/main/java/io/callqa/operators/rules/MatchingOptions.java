package io.callqa.operators.rules;

import java.io.Serializable;

/**
 * How tolerant intent matching is to ASR errors.
 *
 * @param maxErrorRate edit cost allowed per phrase token (0.25: about one wrong or missing token in
 *     four)
 * @param minTokensForTypo phrases with at least this many tokens may always have one whole token
 *     wrong or missing, even where {@code maxErrorRate} allows less
 */
public record MatchingOptions(double maxErrorRate, int minTokensForTypo) implements Serializable {
  public static final MatchingOptions DEFAULTS = new MatchingOptions(0.25, 3);

  /** Edit cost a phrase of {@code tokens} tokens may have and still match. */
  public double allowedCost(int tokens) {
    double byRate = tokens * maxErrorRate;
    return tokens >= minTokensForTypo ? Math.max(1.0, byRate) : byRate;
  }
}
