package io.callqa.operators.rules;

import io.callqa.schemas.Alert;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * Per-call episode numbers of the rules one operator emits: the first alert of a rule in a call is
 * episode 0, the next 1, …; a second draft with the same {@code (rule, dedupeKey)} is suppressed
 * (that is how "once per call" and "once per anger episode" are enforced). Keyed state; cleared
 * with the call.
 */
final class EpisodeBook {
  private final MapState<String, Integer> next;
  private final MapState<String, String> seen;

  EpisodeBook(RuntimeContext ctx, String prefix) {
    next =
        ctx.getMapState(
            new MapStateDescriptor<>(prefix + "-next-episode", Types.STRING, Types.INT));
    seen =
        ctx.getMapState(
            new MapStateDescriptor<>(prefix + "-dedupe-keys", Types.STRING, Types.STRING));
  }

  /** The numbered alert, or null when this rule already alerted for {@code dedupeKey}. */
  Alert assign(Alert draft, String dedupeKey, long nowEpochMs) throws Exception {
    String key = draft.getRule() + "|" + dedupeKey;
    if (seen.contains(key)) {
      return null;
    }
    Integer n = next.get(draft.getRule());
    int episode = n == null ? 0 : n;
    Alert a = Alerts.numbered(draft, episode, nowEpochMs);
    next.put(draft.getRule(), episode + 1);
    seen.put(key, a.getAlertId());
    return a;
  }

  boolean alerted(String rule, String dedupeKey) throws Exception {
    return seen.contains(rule + "|" + dedupeKey);
  }

  void clear() {
    next.clear();
    seen.clear();
  }
}
