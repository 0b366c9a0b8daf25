package io.callqa.jobs.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.callqa.jobs.calls.CallFolder;
import io.callqa.operators.inference.TextMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scores what callqa concluded about a call against the call's {@code expected} block: each true
 * turn is matched to the not yet matched utterance of the same role that overlaps it most; text is
 * compared by character error rate (spaces ignored), emotion as calibrated and as the model said
 * (docs/emotion.md), and alerts by rule and count.
 */
public final class Scoring {
  private Scoring() {}

  /** Scores of one call. */
  public record CallScore(
      String callId,
      int turns,
      int matchedTurns,
      long charErrors,
      long refChars,
      int emotionRight,
      int modelEmotionRight,
      int eventRight,
      int languageRight,
      int extraUtterances,
      Map<String, Integer> expectedAlerts,
      Map<String, Integer> actualAlerts) {

    public double cer() {
      return refChars == 0 ? 0 : (double) charErrors / refChars;
    }

    public boolean alertsExact() {
      return expectedAlerts.equals(actualAlerts);
    }
  }

  public static CallScore score(CallFolder.Meta meta, JsonNode call) {
    List<CallFolder.Turn> turns =
        meta.expected() == null || meta.expected().turns() == null
            ? List.of()
            : meta.expected().turns();
    List<JsonNode> utterances = new ArrayList<>();
    call.path("utterances").forEach(utterances::add);
    boolean[] used = new boolean[utterances.size()];
    int matched = 0;
    long errors = 0;
    long chars = 0;
    int emotion = 0;
    int modelEmotion = 0;
    int event = 0;
    int language = 0;
    for (CallFolder.Turn t : turns) {
      int best = -1;
      long bestOverlap = 0;
      for (int i = 0; i < utterances.size(); i++) {
        JsonNode u = utterances.get(i);
        // one utterance answers one turn: two turns merged into one slot count as one found
        if (used[i] || !u.path("role").asText().equalsIgnoreCase(t.role())) {
          continue;
        }
        long overlap =
            Math.min(t.endMs(), u.path("endMs").asLong())
                - Math.max(t.startMs(), u.path("startMs").asLong());
        if (overlap > bestOverlap) {
          bestOverlap = overlap;
          best = i;
        }
      }
      String ref = TextMetrics.normalize(t.text());
      chars += ref.length();
      if (best < 0) {
        errors += ref.length();
        continue;
      }
      used[best] = true;
      matched++;
      JsonNode u = utterances.get(best);
      errors += TextMetrics.charErrors(ref, u.path("text").asText());
      emotion += matches(t.emotion(), u, "emotion");
      modelEmotion += matches(t.emotion(), u, "modelEmotion");
      event += matches(t.event(), u, "event");
      language += matches(t.language(), u, "language");
    }
    int extra = 0;
    for (int i = 0; i < used.length; i++) {
      if (!used[i] && !utterances.get(i).path("text").asText().isBlank()) {
        extra++;
      }
    }
    Map<String, Integer> expected = new TreeMap<>();
    if (meta.expected() != null && meta.expected().alerts() != null) {
      for (CallFolder.ExpectedAlert a : meta.expected().alerts()) {
        expected.merge(a.rule(), a.times(), Integer::sum);
      }
    }
    Map<String, Integer> actual = new TreeMap<>();
    for (JsonNode a : call.path("alerts")) {
      actual.merge(a.path("rule").asText(), 1, Integer::sum);
    }
    return new CallScore(
        meta.callId(),
        turns.size(),
        matched,
        errors,
        chars,
        emotion,
        modelEmotion,
        event,
        language,
        extra,
        expected,
        actual);
  }

  /**
   * 1 when the utterance's {@code field} is the expected value, else 0 (also when none is
   * expected).
   */
  private static int matches(String expected, JsonNode utterance, String field) {
    return expected != null && expected.equals(utterance.path(field).asText()) ? 1 : 0;
  }

  /** Sums of several calls' scores, for a one-line report. */
  public static Map<String, Double> totals(List<CallScore> scores) {
    Map<String, Double> m = new HashMap<>();
    long turns = scores.stream().mapToLong(CallScore::turns).sum();
    long chars = scores.stream().mapToLong(CallScore::refChars).sum();
    m.put("turns", (double) turns);
    m.put("turnRecall", ratio(scores.stream().mapToLong(CallScore::matchedTurns).sum(), turns));
    m.put("cer", ratio(scores.stream().mapToLong(CallScore::charErrors).sum(), chars));
    m.put(
        "emotionAccuracy", ratio(scores.stream().mapToLong(CallScore::emotionRight).sum(), turns));
    m.put(
        "modelEmotionAccuracy",
        ratio(scores.stream().mapToLong(CallScore::modelEmotionRight).sum(), turns));
    m.put("eventAccuracy", ratio(scores.stream().mapToLong(CallScore::eventRight).sum(), turns));
    m.put(
        "languageAccuracy",
        ratio(scores.stream().mapToLong(CallScore::languageRight).sum(), turns));
    m.put("extraUtterances", (double) scores.stream().mapToLong(CallScore::extraUtterances).sum());
    m.put("callsWithExactAlerts", (double) scores.stream().filter(CallScore::alertsExact).count());
    return m;
  }

  private static double ratio(long a, long b) {
    return b == 0 ? 0 : (double) a / b;
  }
}
