package io.callqa.operators.rules;

import io.callqa.schemas.ScoreItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The QA scorecard: one item per enabled rule with a score weight (or auto-fail flag). An item
 * FAILs when its rule alerted on the call, PASSes when it did not, and is NA when the rule could
 * not apply (see {@link CallStatistics#applies}); NA items are left out. Score = 100 × passed
 * weight / applicable weight, rounded to 0.1; any failed auto-fail item makes it 0. No applicable
 * weight: no score (null).
 */
public final class Scorecard {
  private Scorecard() {}

  /** Score, auto-fail flag and items. */
  public record Result(Double score, boolean autoFailed, List<ScoreItem> items) {}

  public static Result score(
      RulesConfig config, Map<String, Integer> alertsByRule, Predicate<RuleSpec> applies) {
    List<ScoreItem> items = new ArrayList<>();
    for (RuleSpec rule : config.scorecardRules()) {
      int alerts = alertsByRule.getOrDefault(rule.id(), 0);
      String outcome = alerts > 0 ? "FAIL" : applies.test(rule) ? "PASS" : "NA";
      items.add(
          ScoreItem.newBuilder()
              .setRule(rule.id())
              .setWeight(rule.scoreWeight())
              .setOutcome(outcome)
              .setAutoFail(rule.autoFail())
              .setAlerts(alerts)
              .build());
    }
    return rescore(items);
  }

  /** Score and auto-fail of already decided items. */
  public static Result rescore(List<ScoreItem> items) {
    double applicable = 0;
    double passed = 0;
    boolean autoFailed = false;
    for (ScoreItem i : items) {
      if ("NA".equals(i.getOutcome())) {
        continue;
      }
      applicable += i.getWeight();
      if ("PASS".equals(i.getOutcome())) {
        passed += i.getWeight();
      } else if (i.getAutoFail()) {
        autoFailed = true;
      }
    }
    Double score;
    if (autoFailed) {
      score = 0.0;
    } else if (applicable <= 0) {
      score = null;
    } else {
      score = Math.round(1000.0 * passed / applicable) / 10.0;
    }
    return new Result(score, autoFailed, items);
  }
}
