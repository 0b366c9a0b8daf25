package io.callqa.operators.rules;

import static io.callqa.operators.rules.TestCalls.signal;
import static org.assertj.core.api.Assertions.assertThat;

import io.callqa.schemas.CallEventType;
import io.callqa.schemas.Channel;
import io.callqa.schemas.ScoreItem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpeechGapsAndScorecardTest {
  TestCalls.Call call = new TestCalls.Call("c");

  static long[] span(long a, long b) {
    return new long[] {a, b};
  }

  @Test
  void gapsAreBetweenSpeechOnlyAndSplitAroundHolds() {
    List<CallSignal> u =
        List.of(
            signal(call.agent(5_000, 7_000, "您好")), // leading 5 s silence: not a gap
            signal(call.customer(6_000, 9_000, "喂")), // overlaps: no gap
            signal(call.say(Channel.AGENT, 9_500, 30_000, "", "", "")), // music: not speech
            signal(call.agent(30_000, 31_000, "好的")),
            signal(call.failed(Channel.CUSTOMER, 40_000, 41_000))); // failed: speech
    List<long[]> holds =
        SpeechGaps.holds(
            List.of(
                call.event(CallEventType.HOLD_END, 20_000),
                call.event(CallEventType.HOLD_START, 12_000)));
    assertThat(holds).containsExactly(span(12_000, 20_000));
    List<SpeechGaps.Gap> gaps = SpeechGaps.find(u, holds, Long.MAX_VALUE);
    assertThat(gaps)
        .extracting(g -> List.of(g.startMs(), g.endMs()))
        .containsExactly(
            List.of(9_000L, 12_000L), List.of(20_000L, 30_000L), List.of(31_000L, 40_000L));
    assertThat(gaps.get(0).before().utterance.getUtteranceId()).isEqualTo("c/CUSTOMER/0");
    assertThat(gaps.get(0).after().utterance.getUtteranceId()).isEqualTo("c/AGENT/2");
    // only silences that end where every channel is known
    assertThat(SpeechGaps.find(u, holds, 35_000)).hasSize(2);
  }

  @Test
  void aHoldWithoutEndLastsToTheEnd() {
    assertThat(SpeechGaps.holds(List.of(call.event(CallEventType.HOLD_START, 5_000))))
        .containsExactly(span(5_000, Long.MAX_VALUE));
    assertThat(SpeechGaps.minus(0, 10_000, List.of(span(5_000, Long.MAX_VALUE))))
        .containsExactly(span(0, 5_000));
    assertThat(SpeechGaps.minus(0, 10_000, List.of(span(2_000, 3_000), span(4_000, 6_000))))
        .containsExactly(span(0, 2_000), span(3_000, 4_000), span(6_000, 10_000));
  }

  static ScoreItem item(String rule, double weight, String outcome, boolean autoFail) {
    return ScoreItem.newBuilder()
        .setRule(rule)
        .setWeight(weight)
        .setOutcome(outcome)
        .setAutoFail(autoFail)
        .build();
  }

  @Test
  void scoreLeavesNaOutAndRoundsToATenth() {
    Scorecard.Result r =
        Scorecard.rescore(
            List.of(
                item("a", 10, "PASS", false),
                item("b", 20, "FAIL", false),
                item("c", 30, "PASS", false),
                item("d", 40, "NA", true)));
    assertThat(r.score()).isEqualTo(66.7);
    assertThat(r.autoFailed()).isFalse();
  }

  @Test
  void aFailedAutoFailItemZeroesTheScore() {
    Scorecard.Result r =
        Scorecard.rescore(List.of(item("a", 90, "PASS", false), item("b", 10, "FAIL", true)));
    assertThat(r.score()).isZero();
    assertThat(r.autoFailed()).isTrue();
  }

  @Test
  void noApplicableItemMeansNoScore() {
    assertThat(Scorecard.rescore(List.of(item("a", 10, "NA", false))).score()).isNull();
    assertThat(Scorecard.rescore(List.of()).score()).isNull();
  }

  @Test
  void itemsFollowTheRulesFile() {
    Scorecard.Result r =
        Scorecard.score(
            TestCalls.RULES, Map.of("dead_air", 2), rule -> !rule.id().equals("forced_transfer"));
    assertThat(r.items())
        .extracting(ScoreItem::getRule)
        .containsExactly(
            "anger_escalation",
            "forced_transfer",
            "banned_phrase",
            "missing_greeting",
            "missing_closing",
            "dead_air",
            "overtalk");
    assertThat(r.items().get(1).getOutcome()).isEqualTo("NA");
    assertThat(r.items().get(5).getOutcome()).isEqualTo("FAIL");
    assertThat(r.items().get(5).getAlerts()).isEqualTo(2);
    assertThat(r.score()).isEqualTo(82.4); // 70 of 85
  }
}
