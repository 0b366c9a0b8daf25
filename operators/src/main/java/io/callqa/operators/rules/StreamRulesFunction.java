package io.callqa.operators.rules;

import io.callqa.schemas.Alert;
import io.callqa.schemas.CallEventType;
import io.callqa.schemas.Channel;
import io.callqa.schemas.Utterance;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Emits the real-time per-utterance alerts the moment their evidence arrives: every phrase rule
 * ({@code banned_phrase}, {@code complaint_risk}, user-defined ones), {@code pii_spoken} and {@code
 * overtalk}. Numbers its own alerts (episode 0, 1, … per rule and call).
 *
 * <p>Keyed by callId, fed the sequencer's tagged output (per-channel order, intents found).
 * Overtalk keeps the call's recent speech (the last {@value #RECENT_MS} ms of call time) so an
 * agent utterance can be checked against customer utterances that arrive before or after it; an
 * agent utterance alerts at most once.
 *
 * <p>State: episode numbers and recent speech, cleared {@code endGraceMs + lateRetentionMs} after
 * ENDED, after {@code idleTimeoutMs} without input, or at end of input.
 */
public class StreamRulesFunction extends KeyedProcessFunction<String, CallSignal, Alert> {
  private static final long serialVersionUID = 1L;

  /** Call time of speech kept for overtalk: longer than any slot (30 s) plus channel skew. */
  static final long RECENT_MS = 120_000;

  private static final long END_OF_INPUT = Long.MAX_VALUE;

  private final RulesConfig config;

  private transient List<RuleSpec> phraseRules;
  private transient Optional<RuleSpec> pii;
  private transient Optional<RuleSpec> overtalk;
  private transient EpisodeBook episodes;
  private transient ListState<Span> recent;
  private transient ValueState<Boolean> started;
  private transient DeadlineTimers deadlines;
  private transient Counter alerts;

  public StreamRulesFunction(RulesConfig config) {
    this.config = config;
  }

  /** One utterance of recent speech, for overtalk (a Flink POJO). */
  public static class Span {
    public Utterance utterance;
    public boolean overtalkFired;

    public Span() {}

    Span(Utterance u) {
      this.utterance = u;
    }
  }

  @Override
  public void open(OpenContext openContext) {
    phraseRules = config.enabledPhraseRules();
    pii = config.enabled(BuiltInRule.PII_SPOKEN);
    overtalk = config.enabled(BuiltInRule.OVERTALK);
    var ctx = getRuntimeContext();
    episodes = new EpisodeBook(ctx, "stream-rules");
    recent =
        ctx.getListState(
            new ListStateDescriptor<>("stream-rules-recent", TypeInformation.of(Span.class)));
    started = ctx.getState(new ValueStateDescriptor<>("stream-rules-started", Types.BOOLEAN));
    deadlines = new DeadlineTimers(ctx, "stream-rules");
    alerts = ctx.getMetricGroup().counter("alerts");
  }

  @Override
  public void processElement(CallSignal signal, Context ctx, Collector<Alert> out)
      throws Exception {
    long now = ctx.timerService().currentProcessingTime();
    deadlines.run.mark(now);
    if (started.value() == null) {
      started.update(true);
      ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
    }
    if (signal.isUtterance()) {
      Utterance u = signal.utterance;
      if (Speech.hasTranscript(u)) {
        for (RuleSpec rule : phraseRules) {
          phraseRule(rule, signal, out);
        }
      }
      if (pii.isPresent()) {
        piiSpoken(pii.get(), signal, out);
      }
      if (overtalk.isPresent() && Speech.isSpeech(u) && u.getChannel() != Channel.MIXED) {
        overtalk(overtalk.get(), signal, out);
      }
    } else if (signal.isCallEvent() && signal.callEvent.getType() == CallEventType.ENDED) {
      deadlines.set(
          "retention",
          now + config.timing().endGraceMs() + config.timing().lateRetentionMs(),
          ctx.timerService());
    }
    deadlines.set("idle", now + config.timing().idleTimeoutMs(), ctx.timerService());
  }

  private void phraseRule(RuleSpec rule, CallSignal signal, Collector<Alert> out) throws Exception {
    Utterance u = signal.utterance;
    if (!rule.covers(u.getChannel())) {
      return;
    }
    for (String intent : rule.phraseRuleIntents()) {
      if (signal.hasIntent(intent)) {
        String phrase = signal.phraseOf(intent);
        Alert.Builder b =
            Alerts.draft(
                config,
                rule,
                signal.tenant,
                signal.callId,
                u.getEndMs(),
                roleName(u.getChannel()) + " said \"" + phrase + "\" (" + rule.id() + ")",
                signal);
        b.getEvidence().add(Alerts.evidence(u));
        b.getDetails().put("intent", intent);
        b.getDetails().put("phrase", phrase);
        emit(b.build(), u.getUtteranceId(), out);
        return; // one alert per utterance and rule
      }
    }
  }

  private void piiSpoken(RuleSpec rule, CallSignal signal, Collector<Alert> out) throws Exception {
    Utterance u = signal.utterance;
    if (!rule.covers(u.getChannel())) {
      return;
    }
    List<String> kinds = new ArrayList<>();
    for (String k : u.getPiiKinds()) {
      if (rule.strings("kinds").contains(k)) {
        kinds.add(k);
      }
    }
    if (kinds.isEmpty()) {
      return;
    }
    Alert.Builder b =
        Alerts.draft(
            config,
            rule,
            signal.tenant,
            signal.callId,
            u.getEndMs(),
            roleName(u.getChannel()) + " spoke " + String.join(", ", kinds) + " (stored redacted)",
            signal);
    b.getEvidence().add(Alerts.evidence(u));
    b.getDetails().put("kinds", String.join(",", kinds));
    emit(b.build(), u.getUtteranceId(), out);
  }

  private void overtalk(RuleSpec rule, CallSignal signal, Collector<Alert> out) throws Exception {
    Utterance x = signal.utterance;
    long speaking = rule.millis("customerSpeakingMs");
    long minOverlap = rule.millis("minOverlapMs");
    List<Span> spans = new ArrayList<>();
    recent.get().forEach(spans::add);
    Span mine = new Span(x);
    spans.add(mine);
    for (Span agent : spans) {
      if (agent.utterance.getChannel() != Channel.AGENT || agent.overtalkFired) {
        continue;
      }
      Utterance a = agent.utterance;
      Span bestCustomer = null;
      long best = -1;
      for (Span c : spans) {
        if (c.utterance.getChannel() != Channel.CUSTOMER || (agent != mine && c != mine)) {
          continue; // only pairs with the new utterance are new
        }
        Utterance cu = c.utterance;
        long ov =
            Overtalk.overlap(
                a.getStartMs(), a.getEndMs(), cu.getStartMs(), cu.getEndMs(), speaking, minOverlap);
        if (ov > best) {
          best = ov;
          bestCustomer = c;
        }
      }
      if (bestCustomer != null && best >= 0) {
        agent.overtalkFired = true;
        Utterance cu = bestCustomer.utterance;
        Alert.Builder b =
            Alerts.draft(
                config,
                rule,
                signal.tenant,
                signal.callId,
                a.getStartMs() + minOverlap,
                "Agent talked over the customer for " + best + " ms",
                signal);
        b.setAgentId(a.getAgentId());
        b.getEvidence().add(Alerts.evidence(cu));
        b.getEvidence().add(Alerts.evidence(a));
        b.getDetails().put("overlapMs", Long.toString(best));
        b.getDetails().put("customerSpeakingMs", Long.toString(a.getStartMs() - cu.getStartMs()));
        emit(b.build(), a.getUtteranceId(), out);
      }
    }
    long latestEnd = spans.stream().mapToLong(s -> s.utterance.getEndMs()).max().orElse(0);
    List<Span> keep = new ArrayList<>();
    for (Span s : spans) {
      if (s.utterance.getEndMs() >= latestEnd - RECENT_MS) {
        keep.add(s);
      }
    }
    recent.update(keep);
  }

  private void emit(Alert draft, String dedupeKey, Collector<Alert> out) throws Exception {
    Alert a = episodes.assign(draft, dedupeKey, System.currentTimeMillis());
    if (a != null) {
      alerts.inc();
      out.collect(a);
    }
  }

  static String roleName(Channel c) {
    switch (c) {
      case AGENT:
        return "Agent";
      case CUSTOMER:
        return "Customer";
      default:
        return "Speaker";
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
    deadlines.run.mark(ctx.timerService().currentProcessingTime());
    if (ctx.timeDomain() == TimeDomain.EVENT_TIME
        || deadlines.takeIfDue("idle", timestamp, ctx.timerService())
        || deadlines.takeIfDue("retention", timestamp, ctx.timerService())) {
      deadlines.clearAll(ctx.timerService());
      ctx.timerService().deleteEventTimeTimer(END_OF_INPUT);
      episodes.clear();
      recent.clear();
      started.clear();
    }
  }
}
