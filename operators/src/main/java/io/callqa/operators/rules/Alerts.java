package io.callqa.operators.rules;

import io.callqa.schemas.Alert;
import io.callqa.schemas.Evidence;
import io.callqa.schemas.Utterance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/** Builds alerts the same way in every rule operator. */
public final class Alerts {
  private Alerts() {}

  /** {@code callId/rule/episode}: deterministic, so replays overwrite instead of duplicating. */
  public static String alertId(String callId, String rule, int episode) {
    return callId + "/" + rule + "/" + episode;
  }

  /** The (already redacted) utterance as alert evidence. */
  public static Evidence evidence(Utterance u) {
    return Evidence.newBuilder()
        .setUtteranceId(u.getUtteranceId())
        .setChannel(u.getChannel())
        .setStartMs(u.getStartMs())
        .setEndMs(u.getEndMs())
        .setText(u.getText() == null ? "" : u.getText())
        .setEmotion(u.getEmotion() == null ? "" : u.getEmotion())
        .build();
  }

  /**
   * An alert without id and episode yet (those come from the operator that numbers the rule).
   *
   * @param trigger the utterance that made the rule fire, or null (agentId, startedAt and the
   *     latency start are taken from it)
   */
  public static Alert.Builder draft(
      RulesConfig config,
      RuleSpec rule,
      String tenant,
      String callId,
      long atMs,
      String message,
      CallSignal trigger) {
    Alert.Builder b =
        Alert.newBuilder()
            .setAlertId("")
            .setTenant(tenant == null ? "" : tenant)
            .setCallId(callId)
            .setRule(rule.id())
            .setSeverity(rule.severity().wireName())
            .setEpisode(0)
            .setAtMs(atMs)
            .setMessage(message)
            .setEvidence(new ArrayList<>())
            .setDetails(new HashMap<>())
            .setRulesVersion(config.fingerprint());
    if (trigger != null && trigger.utterance != null) {
      Utterance u = trigger.utterance;
      b.setAgentId(u.getAgentId());
      b.setStartedAt(u.getStartedAt());
      b.setTriggerArrivedAtEpochMs(trigger.triggerArrivedAtEpochMs());
    } else if (trigger != null) {
      b.setTriggerArrivedAtEpochMs(trigger.arrivedAtEpochMs);
    }
    return b;
  }

  /** Evidence of several utterances, in call-time order. */
  public static List<io.callqa.schemas.Evidence> evidence(List<CallSignal> signals) {
    List<Evidence> out = new ArrayList<>();
    signals.stream()
        .filter(s -> s.utterance != null)
        .sorted(
            java.util.Comparator.comparingLong((CallSignal s) -> s.utterance.getStartMs())
                .thenComparing(s -> s.utterance.getChannel()))
        .forEach(s -> out.add(evidence(s.utterance)));
    return out;
  }

  /** The draft with its id and episode, stamped with the emit time. */
  public static Alert numbered(Alert draft, int episode, long emittedAtEpochMs) {
    return Alert.newBuilder(draft)
        .setAlertId(alertId(draft.getCallId(), draft.getRule(), episode))
        .setEpisode(episode)
        .setEmittedAtEpochMs(emittedAtEpochMs)
        .build();
  }
}
