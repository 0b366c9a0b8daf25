package io.callqa.operators.rules;

import io.callqa.operators.time.WatermarkProgress;
import io.callqa.schemas.Alert;
import io.callqa.schemas.CallEvent;
import io.callqa.schemas.CallEventType;
import io.callqa.schemas.CallSummary;
import io.callqa.schemas.Channel;
import io.callqa.schemas.ChannelReport;
import io.callqa.schemas.Coverage;
import io.callqa.schemas.ScoreItem;
import io.callqa.schemas.UtteranceStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Emits one {@link CallSummary} per call when it is over, and (side output {@link
 * RulesStreams#ANALYZER_ALERTS}) the alerts it owns: the CEP matches, numbered here (repeats of a
 * dedupe key suppressed), and the call-level rules {@code missing_greeting}, {@code
 * missing_closing} and {@code dead_air}.
 *
 * <p>Keyed by callId; input: the sequencer's tagged signals, the stream-rule alerts (counted) and
 * the CEP matches. Real time where the evidence allows: {@code missing_greeting} as soon as the
 * agent's first utterances are in, {@code dead_air} as soon as every channel's speech is known past
 * the end of the silence (each channel's utterances come in slot order; a ChannelReport closes a
 * channel). {@code missing_closing} and the summary wait for the end of the call.
 *
 * <p>A call is over {@code endGraceMs} after ENDED once every channel reported (ChannelReport) and
 * every slot it cut arrived as an utterance, or, when reports or slots are missing after ENDED or
 * after the last channel closed without ENDED, once the call had no input for {@code
 * channelReportWaitMs} and the sources are no longer being read up to the call's newest record (a
 * backlog: its audio is not read yet; counted in {@code endWaitsForBacklog}; the sources' progress
 * is the sequencer's watermark carried by its signals), or after {@code idleTimeoutMs} without
 * input, or at the end of a bounded input. Then the summary is emitted and the call's state
 * cleared, but for a small tombstone kept {@code lateRetentionMs}: an alert that arrives later
 * still gets the next episode number, and the summary is re-emitted with it ({@code revision} + 1,
 * same callId). Other input after the summary is counted ({@code inputAfterSummary}) and left out.
 */
public class CallAnalyzerFunction extends KeyedProcessFunction<String, CallSignal, CallSummary> {
  private static final long serialVersionUID = 1L;

  private static final long END_OF_INPUT = Long.MAX_VALUE;

  private final RulesConfig config;

  private transient ValueState<CallState> call;
  private transient ListState<CallSignal> utterances;
  private transient ListState<CallEvent> events;
  private transient MapState<String, ChannelReport> reports;
  private transient MapState<String, Integer> alertCounts;
  private transient ValueState<CallSummary> lastSummary;
  private transient EpisodeBook episodes;
  private transient DeadlineTimers deadlines;
  private transient Counter suppressedMatches;
  private transient Counter inputAfterSummary;
  private transient Counter summaries;
  private transient Counter orphanCalls;
  private transient Counter endWaitsForBacklog;
  private transient WatermarkProgress sources;
  private transient Counter duplicateUtterances;
  private transient Counter duplicateEvents;

  public CallAnalyzerFunction(RulesConfig config) {
    this.config = config;
  }

  /** Per-call bookkeeping (a Flink POJO); arrays are indexed by {@link Channel#ordinal()}. */
  public static class CallState {
    public String tenant;
    public String agentId;
    public String queue;

    /** Wall-clock call start (epoch ms), or null when no source sent one. */
    public Long startedAt;

    public boolean ended;
    public long endedAtMs = -1;
    public long endedArrivedAtEpochMs;
    public boolean[] seen = new boolean[3];
    public boolean[] reported = new boolean[3];
    public long[] progressMs = {Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE};

    /** Utterances received per channel, and slots cut per channel (-1 until reported). */
    public long[] received = new long[3];

    public long[] slotsCut = {-1, -1, -1};

    public int agentTranscripts;
    public boolean greetingDecided;
    public boolean closingDecided;
    public boolean emitted;
    public boolean endOfInputTimer;
    public long lastArrivedAtEpochMs;

    /** Latency start of the utterance that revealed a pending dead-air silence. */
    public long deadAirTriggerArrivedAtEpochMs;

    /** False while only alerts arrived (e.g. a match for a call whose state expired). */
    public boolean sawCallInput;

    /** Newest Kafka record time among the call's own input (not alerts): what a backlog holds. */
    public long newestRecordTimeMs = Long.MIN_VALUE;

    public CallState() {}
  }

  @Override
  public void open(OpenContext openContext) {
    var ctx = getRuntimeContext();
    call =
        ctx.getState(
            new ValueStateDescriptor<>("analyzer-call", TypeInformation.of(CallState.class)));
    utterances =
        ctx.getListState(
            new ListStateDescriptor<>("analyzer-utterances", TypeInformation.of(CallSignal.class)));
    events =
        ctx.getListState(
            new ListStateDescriptor<>("analyzer-events", TypeInformation.of(CallEvent.class)));
    reports =
        ctx.getMapState(
            new MapStateDescriptor<>(
                "analyzer-reports", Types.STRING, TypeInformation.of(ChannelReport.class)));
    alertCounts =
        ctx.getMapState(new MapStateDescriptor<>("analyzer-alert-counts", Types.STRING, Types.INT));
    lastSummary =
        ctx.getState(
            new ValueStateDescriptor<>("analyzer-summary", TypeInformation.of(CallSummary.class)));
    episodes = new EpisodeBook(ctx, "analyzer");
    deadlines = new DeadlineTimers(ctx, "analyzer");
    var metrics = ctx.getMetricGroup();
    suppressedMatches = metrics.counter("suppressedMatches");
    inputAfterSummary = metrics.counter("inputAfterSummary");
    summaries = metrics.counter("summaries");
    orphanCalls = metrics.counter("orphanCalls");
    endWaitsForBacklog = metrics.counter("endWaitsForBacklog");
    sources = new WatermarkProgress();
    duplicateUtterances = metrics.counter("duplicateUtterances");
    duplicateEvents = metrics.counter("duplicateEvents");
  }

  @Override
  public void processElement(CallSignal signal, Context ctx, Collector<CallSummary> out)
      throws Exception {
    long now = ctx.timerService().currentProcessingTime();
    deadlines.run.mark(now);
    sources.observe(signal.sourceWatermarkMs, now);
    CallState st = call.value();
    if (st == null) {
      st = new CallState();
      st.tenant = signal.tenant;
    }
    if (!st.endOfInputTimer) {
      ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
      st.endOfInputTimer = true;
    }
    if (st.emitted) {
      afterSummary(signal, st, ctx, out);
      call.update(st);
      return;
    }
    st.lastArrivedAtEpochMs = Math.max(st.lastArrivedAtEpochMs, signal.arrivedAtEpochMs);
    if (signal.kind != CallSignal.Kind.ALERT && signal.kind != CallSignal.Kind.MATCH) {
      st.sawCallInput = true;
      if (ctx.timestamp() != null) {
        st.newestRecordTimeMs = Math.max(st.newestRecordTimeMs, ctx.timestamp());
      }
    }
    switch (signal.kind) {
      case UTTERANCE:
        onUtterance(signal, st, ctx);
        break;
      case CALL_EVENT:
        onCallEvent(signal, st, ctx);
        break;
      case CHANNEL_REPORT:
        {
          ChannelReport r = signal.channelReport;
          reports.put(r.getChannel().name(), r);
          st.seen[r.getChannel().ordinal()] = true;
          st.reported[r.getChannel().ordinal()] = true;
          st.slotsCut[r.getChannel().ordinal()] = r.getCoverage().getSlotsCut();
          checkDeadAir(st, signal, ctx);
          break;
        }
      case ALERT:
        count(signal.alert.getRule());
        break;
      case MATCH:
        {
          Alert a = episodes.assign(signal.alert, signal.dedupeKey, System.currentTimeMillis());
          if (a == null) {
            suppressedMatches.inc();
          } else {
            ctx.output(RulesStreams.ANALYZER_ALERTS, a);
            count(a.getRule());
          }
          break;
        }
      default:
        break;
    }
    scheduleEnd(st, now, ctx);
    deadlines.set("idle", now + config.timing().idleTimeoutMs(), ctx.timerService());
    call.update(st);
  }

  private void onUtterance(CallSignal signal, CallState st, Context ctx) throws Exception {
    var u = signal.utterance;
    for (CallSignal held : utterances.get()) {
      if (held.utterance.getUtteranceId().equals(u.getUtteranceId())) {
        // at-least-once checkpoints: after a restore this operator (several inputs, unaligned
        // barriers) may see again an utterance its restored state already holds
        duplicateUtterances.inc();
        return;
      }
    }
    utterances.add(signal);
    int ch = u.getChannel().ordinal();
    st.seen[ch] = true;
    st.received[ch]++;
    st.progressMs[ch] = Math.max(st.progressMs[ch], u.getEndMs());
    if (st.agentId == null && u.getAgentId() != null) {
      st.agentId = u.getAgentId();
    }
    if (st.startedAt == null && u.getStartedAt() != null) {
      st.startedAt = u.getStartedAt().toEpochMilli();
    }
    if (st.tenant == null || st.tenant.isEmpty()) {
      st.tenant = u.getTenant();
    }
    if (u.getChannel() == Channel.AGENT && Speech.hasTranscript(u)) {
      st.agentTranscripts++;
      Optional<RuleSpec> greeting = config.enabled(BuiltInRule.MISSING_GREETING);
      if (greeting.isPresent()
          && !st.greetingDecided
          && st.agentTranscripts >= greeting.get().integer("firstUtterances")) {
        decideGreeting(greeting.get(), st, signal, ctx);
      }
    }
    checkDeadAir(st, signal, ctx);
  }

  private void onCallEvent(CallSignal signal, CallState st, Context ctx) throws Exception {
    CallEvent e = signal.callEvent;
    for (CallEvent held : events.get()) {
      if (held.equals(e)) {
        duplicateEvents.inc(); // replayed after a restore, as utterances may be
        return;
      }
    }
    events.add(e);
    Map<String, String> attrs = e.getAttributes();
    if (attrs != null) {
      if (st.queue == null && attrs.get("queue") != null) {
        st.queue = attrs.get("queue");
      }
      if (st.agentId == null && attrs.get("agentId") != null) {
        st.agentId = attrs.get("agentId");
      }
    }
    if (e.getType() == CallEventType.ENDED && !st.ended) {
      st.ended = true;
      st.endedAtMs = e.getAtMs();
      st.endedArrivedAtEpochMs = signal.arrivedAtEpochMs;
    }
    if (e.getType() == CallEventType.HOLD_START || e.getType() == CallEventType.HOLD_END) {
      checkDeadAir(st, signal, ctx);
    }
  }

  private void count(String rule) throws Exception {
    Integer n = alertCounts.get(rule);
    alertCounts.put(rule, n == null ? 1 : n + 1);
  }

  /** Decides the greeting on the agent's first utterances with text. */
  private void decideGreeting(RuleSpec rule, CallState st, CallSignal trigger, Context ctx)
      throws Exception {
    st.greetingDecided = true;
    List<CallSignal> first = new ArrayList<>();
    for (CallSignal s : sortedUtterances()) {
      if (s.utterance.getChannel() == Channel.AGENT && Speech.hasTranscript(s.utterance)) {
        first.add(s);
        if (first.size() == rule.integer("firstUtterances")) {
          break;
        }
      }
    }
    String intent = rule.string("intent");
    if (first.isEmpty() || first.stream().anyMatch(s -> s.hasIntent(intent))) {
      return;
    }
    CallSignal last = first.get(first.size() - 1);
    Alert.Builder b =
        Alerts.draft(
            config,
            rule,
            st.tenant,
            trigger.callId,
            last.utterance.getEndMs(),
            "No greeting in the agent's first " + first.size() + " utterance(s)",
            trigger);
    b.setAgentId(st.agentId);
    b.setStartedAt(startedAt(st));
    b.setEvidence(Alerts.evidence(first));
    emitOwn(b.build(), "call", ctx);
  }

  private void decideClosingOnce(CallState st, Context ctx) throws Exception {
    Optional<RuleSpec> closing = config.enabled(BuiltInRule.MISSING_CLOSING);
    if (closing.isPresent() && !st.closingDecided) {
      st.closingDecided = true;
      decideClosing(closing.get(), st, sortedUtterances(), ctx.getCurrentKey(), ctx);
    }
  }

  private void decideClosing(
      RuleSpec rule, CallState st, List<CallSignal> sorted, String callId, Context ctx)
      throws Exception {
    List<CallSignal> agent = new ArrayList<>();
    for (CallSignal s : sorted) {
      if (s.utterance.getChannel() == Channel.AGENT && Speech.hasTranscript(s.utterance)) {
        agent.add(s);
      }
    }
    if (agent.isEmpty()) {
      return;
    }
    List<CallSignal> last =
        agent.subList(Math.max(0, agent.size() - rule.integer("lastUtterances")), agent.size());
    String intent = rule.string("intent");
    if (last.stream().anyMatch(s -> s.hasIntent(intent))) {
      return;
    }
    Alert.Builder b =
        Alerts.draft(
            config,
            rule,
            st.tenant,
            callId,
            last.get(last.size() - 1).utterance.getEndMs(),
            "No closing in the agent's last " + last.size() + " utterance(s)",
            null);
    b.setAgentId(st.agentId);
    b.setStartedAt(startedAt(st));
    b.setTriggerArrivedAtEpochMs(endTrigger(st));
    b.setEvidence(Alerts.evidence(last));
    emitOwn(b.build(), "call", ctx);
  }

  /**
   * Schedules the dead-air decision once the utterances show a long silence: the call's events come
   * from another stream and a HOLD_START inside the silence may still be on its way, so the
   * decision waits {@code channelSkewWaitMs} (the bounded out-of-orderness of a call's inputs).
   */
  private void checkDeadAir(CallState st, CallSignal trigger, Context ctx) throws Exception {
    Optional<RuleSpec> rule = config.enabled(BuiltInRule.DEAD_AIR);
    if (rule.isEmpty() || !newSilence(rule.get(), confirmedUntil(st))) {
      return;
    }
    if (st.deadAirTriggerArrivedAtEpochMs == 0) {
      st.deadAirTriggerArrivedAtEpochMs = trigger.triggerArrivedAtEpochMs();
    }
    deadlines.setIfEarlier(
        "dead-air",
        ctx.timerService().currentProcessingTime() + config.timing().channelSkewWaitMs(),
        ctx.timerService());
  }

  /** Whether a silence over the threshold (holds known so far excluded) is not alerted yet. */
  private boolean newSilence(RuleSpec rule, long confirmedUntil) throws Exception {
    List<CallSignal> utts = new ArrayList<>();
    utterances.get().forEach(utts::add);
    List<CallEvent> evs = new ArrayList<>();
    events.get().forEach(evs::add);
    for (SpeechGaps.Gap g : SpeechGaps.find(utts, SpeechGaps.holds(evs), confirmedUntil)) {
      if (g.lengthMs() > rule.millis("thresholdMs")
          && !episodes.alerted(rule.id(), "silence@" + g.startMs())) {
        return true;
      }
    }
    return false;
  }

  private void deadAir(
      RuleSpec rule, CallState st, long confirmedUntil, CallSignal trigger, Context ctx)
      throws Exception {
    long threshold = rule.millis("thresholdMs");
    List<CallEvent> evs = new ArrayList<>();
    events.get().forEach(evs::add);
    List<CallSignal> utts = new ArrayList<>();
    utterances.get().forEach(utts::add);
    for (SpeechGaps.Gap g : SpeechGaps.find(utts, SpeechGaps.holds(evs), confirmedUntil)) {
      String key = "silence@" + g.startMs();
      if (g.lengthMs() <= threshold || episodes.alerted(rule.id(), key)) {
        continue;
      }
      Alert.Builder b =
          Alerts.draft(
              config,
              rule,
              st.tenant,
              g.after().callId,
              g.startMs() + threshold,
              "No speech on any channel for " + Math.round(g.lengthMs() / 100.0) / 10.0 + " s",
              trigger);
      b.setAgentId(st.agentId);
      b.setStartedAt(startedAt(st));
      if (trigger == null) {
        b.setTriggerArrivedAtEpochMs(
            st.deadAirTriggerArrivedAtEpochMs > 0
                ? st.deadAirTriggerArrivedAtEpochMs
                : endTrigger(st));
      }
      b.getEvidence().add(Alerts.evidence(g.before().utterance));
      b.getEvidence().add(Alerts.evidence(g.after().utterance));
      b.getDetails().put("fromMs", Long.toString(g.startMs()));
      b.getDetails().put("toMs", Long.toString(g.endMs()));
      b.getDetails().put("silenceMs", Long.toString(g.lengthMs()));
      emitOwn(b.build(), key, ctx);
    }
  }

  /**
   * Call time up to which every channel's speech is known: a channel's utterances come in slot
   * order, so it is known up to the end of its last utterance, or completely once it reported and
   * all the slots it cut arrived.
   */
  private static long confirmedUntil(CallState st) {
    long until = Long.MAX_VALUE;
    for (Channel c : requiredChannels(st)) {
      int i = c.ordinal();
      until = Math.min(until, complete(st, i) ? Long.MAX_VALUE : st.progressMs[i]);
    }
    return until;
  }

  private static List<Channel> requiredChannels(CallState st) {
    return st.seen[Channel.MIXED.ordinal()]
        ? List.of(Channel.MIXED)
        : List.of(Channel.AGENT, Channel.CUSTOMER);
  }

  /** The channel reported and every slot it cut arrived as an utterance. */
  private static boolean complete(CallState st, int channel) {
    return st.reported[channel] && st.received[channel] >= st.slotsCut[channel];
  }

  private static boolean allComplete(CallState st) {
    boolean anySeen = st.seen[0] || st.seen[1] || st.seen[2];
    for (Channel c : requiredChannels(st)) {
      if (anySeen && !complete(st, c.ordinal())) {
        return false;
      }
    }
    return true;
  }

  private void emitOwn(Alert draft, String dedupeKey, Context ctx) throws Exception {
    Alert a = episodes.assign(draft, dedupeKey, System.currentTimeMillis());
    if (a != null) {
      ctx.output(RulesStreams.ANALYZER_ALERTS, a);
      count(a.getRule());
    }
  }

  private static boolean allReported(CallState st) {
    if (st.seen[Channel.MIXED.ordinal()]) {
      return st.reported[Channel.MIXED.ordinal()];
    }
    // nothing seen yet is not "all reported": ENDED can overtake the call's audio (another topic,
    // a backlog), and a summary without the call's channels would claim coverage it does not have
    return st.reported[Channel.AGENT.ordinal()] && st.reported[Channel.CUSTOMER.ordinal()];
  }

  /** ENDED came, every channel reported and every slot it cut arrived. */
  private boolean everythingIn(CallState st) throws Exception {
    return st.ended && allReported(st) && allComplete(st);
  }

  private void scheduleEnd(CallState st, long now, Context ctx) throws Exception {
    boolean reportedAll = allReported(st);
    boolean anyReport = st.reported[0] || st.reported[1] || st.reported[2];
    if (everythingIn(st)) {
      // every agent utterance is in: missing_closing is decided now, not after the grace
      decideClosingOnce(st, ctx);
      deadlines.setIfEarlier("end", now + config.timing().endGraceMs(), ctx.timerService());
    } else if (st.ended || (reportedAll && anyReport)) {
      // missing reports or slots: wait until the call has been quiet this long, not this long
      // after ENDED arrived (a backlog's small events topic brings ENDED long before the audio)
      deadlines.set("end", now + config.timing().channelReportWaitMs(), ctx.timerService());
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<CallSummary> out)
      throws Exception {
    long now = ctx.timerService().currentProcessingTime();
    deadlines.run.mark(now);
    CallState st = call.value();
    if (st == null) {
      return;
    }
    if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
      // end of a bounded input: everything that will ever come is in
      if (!st.emitted) {
        finish(st, ctx, out, endedBy(st, "END_OF_INPUT"));
      }
      clearAll(ctx);
      return;
    }
    if (deadlines.takeIfDue("retention", timestamp, ctx.timerService())) {
      clearAll(ctx);
      return;
    }
    if (!st.emitted && deadlines.takeIfDue("dead-air", timestamp, ctx.timerService())) {
      config
          .enabled(BuiltInRule.DEAD_AIR)
          .ifPresent(
              rule -> {
                try {
                  deadAir(rule, st, confirmedUntil(st), null, ctx);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      st.deadAirTriggerArrivedAtEpochMs = 0;
    }
    boolean endDue = !st.emitted && deadlines.takeIfDue("end", timestamp, ctx.timerService());
    if (endDue
        && !everythingIn(st)
        && sources.stillReading(
            st.newestRecordTimeMs, now, config.timing().channelReportWaitMs())) {
      // reports or slots missing while the sources are still being read up to this call's newest
      // record: its audio is in the backlog, not lost
      endWaitsForBacklog.inc();
      deadlines.set("end", now + config.timing().channelReportWaitMs(), ctx.timerService());
      endDue = false;
    }
    boolean due =
        endDue | (!st.emitted && deadlines.takeIfDue("idle", timestamp, ctx.timerService()));
    if (due && !finish(st, ctx, out, endedBy(st, "IDLE_TIMEOUT"))) {
      return;
    }
    if (st.emitted && config.timing().lateRetentionMs() <= 0) {
      clearAll(ctx);
      return;
    }
    call.update(st);
  }

  private static String endedBy(CallState st, String otherwise) {
    if (st.ended) {
      return "ENDED";
    }
    return allReported(st) && (st.reported[0] || st.reported[1] || st.reported[2])
        ? "CHANNELS_CLOSED"
        : otherwise;
  }

  private List<CallSignal> sortedUtterances() throws Exception {
    List<CallSignal> list = new ArrayList<>();
    utterances.get().forEach(list::add);
    list.sort(
        java.util.Comparator.comparingLong((CallSignal s) -> s.utterance.getStartMs())
            .thenComparing(s -> s.utterance.getChannel())
            .thenComparingInt(s -> s.utterance.getSlotIndex()));
    return list;
  }

  /** Decides the call-level rules, emits the summary, keeps only the tombstone. */
  /** Returns false when the call's state is gone (nothing to summarise). */
  private boolean finish(CallState st, Context ctx, Collector<CallSummary> out, String endedBy)
      throws Exception {
    String callId = ctx.getCurrentKey();
    if (!st.sawCallInput) {
      // only alerts came for this call (its state had expired): they were emitted; a summary
      // built from nothing would overwrite the real one
      orphanCalls.inc();
      clearAll(ctx);
      return false;
    }
    List<CallSignal> sorted = sortedUtterances();
    List<CallEvent> evs = new ArrayList<>();
    events.get().forEach(evs::add);
    Optional<RuleSpec> greeting = config.enabled(BuiltInRule.MISSING_GREETING);
    if (greeting.isPresent() && !st.greetingDecided) {
      decideGreeting(greeting.get(), st, endSignal(st, callId), ctx);
    }
    decideClosingOnce(st, ctx);
    Optional<RuleSpec> deadAir = config.enabled(BuiltInRule.DEAD_AIR);
    if (deadAir.isPresent()) {
      deadAir(deadAir.get(), st, Long.MAX_VALUE, null, ctx);
    }

    long duration = st.ended ? st.endedAtMs : 0;
    if (!st.ended) {
      for (CallSignal s : sorted) {
        duration = Math.max(duration, s.utterance.getEndMs());
      }
      for (ChannelReport r : reports.values()) {
        duration = Math.max(duration, r.getEndMs());
      }
      for (CallEvent e : evs) {
        duration = Math.max(duration, e.getAtMs());
      }
    }
    CallStatistics stats = new CallStatistics(config, sorted, evs, duration);
    CallSummary.Builder b = CallSummary.newBuilder();
    b.setTenant(st.tenant == null ? "" : st.tenant)
        .setCallId(callId)
        .setAgentId(st.agentId)
        .setQueue(st.queue)
        .setStartedAt(startedAt(st))
        .setEndedBy(endedBy)
        .setRulesVersion(config.fingerprint());
    stats.fill(b);
    Map<String, Integer> byRule = new HashMap<>();
    for (Map.Entry<String, Integer> e : alertCounts.entries()) {
      byRule.put(e.getKey(), e.getValue());
    }
    b.setAlertsByRule(byRule);
    b.setAlerts(byRule.values().stream().mapToInt(Integer::intValue).sum());
    Scorecard.Result score = Scorecard.score(config, byRule, stats::applies);
    b.setScore(score.score()).setAutoFailed(score.autoFailed()).setScorecard(score.items());
    boolean mixed = st.seen[Channel.MIXED.ordinal()];
    if (config.enabled(BuiltInRule.MISSING_GREETING).isPresent()
        && !mixed
        && st.agentTranscripts > 0) {
      b.setMissingGreeting(byRule.getOrDefault(BuiltInRule.MISSING_GREETING.id(), 0) > 0);
    }
    if (config.enabled(BuiltInRule.MISSING_CLOSING).isPresent()
        && !mixed
        && st.agentTranscripts > 0) {
      b.setMissingClosing(byRule.getOrDefault(BuiltInRule.MISSING_CLOSING.id(), 0) > 0);
    }
    coverage(b, sorted, st);
    b.setRevision(0).setEmittedAtEpochMs(System.currentTimeMillis());
    CallSummary summary = b.build();
    out.collect(summary);
    summaries.inc();

    st.emitted = true;
    lastSummary.update(summary);
    utterances.clear();
    events.clear();
    reports.clear();
    deadlines.cancel("idle", ctx.timerService());
    deadlines.cancel("end", ctx.timerService());
    if (config.timing().lateRetentionMs() > 0) {
      deadlines.set(
          "retention",
          ctx.timerService().currentProcessingTime() + config.timing().lateRetentionMs(),
          ctx.timerService());
    }
    return true;
  }

  private void coverage(CallSummary.Builder b, List<CallSignal> sorted, CallState st)
      throws Exception {
    Coverage.Builder c =
        Coverage.newBuilder()
            .setChunksReceived(0)
            .setChunksRejected(0)
            .setDuplicateChunks(0)
            .setAudioMsReceived(0)
            .setGapMsFilled(0)
            .setSlotsCut(0)
            .setSlotsRecognised(0)
            .setSlotsFailed(0);
    List<String> reported = new ArrayList<>();
    for (ChannelReport r : reports.values()) {
      reported.add(r.getChannel().name());
      Coverage rc = r.getCoverage();
      c.setChunksReceived(c.getChunksReceived() + rc.getChunksReceived());
      c.setChunksRejected(c.getChunksRejected() + rc.getChunksRejected());
      c.setDuplicateChunks(c.getDuplicateChunks() + rc.getDuplicateChunks());
      c.setAudioMsReceived(c.getAudioMsReceived() + rc.getAudioMsReceived());
      c.setGapMsFilled(c.getGapMsFilled() + rc.getGapMsFilled());
      c.setSlotsCut(c.getSlotsCut() + rc.getSlotsCut());
    }
    long ok = sorted.stream().filter(s -> s.utterance.getStatus() == UtteranceStatus.OK).count();
    c.setSlotsRecognised(ok);
    c.setSlotsFailed(sorted.size() - ok);
    reported.sort(null);
    List<String> channels = new ArrayList<>();
    for (Channel ch : Channel.values()) {
      if (st.seen[ch.ordinal()]) {
        channels.add(ch.name());
      }
    }
    Coverage cov = c.build();
    b.setCoverage(cov);
    b.setChannels(channels);
    b.setChannelsReported(reported);
    b.setCoverageComplete(
        allReported(st)
            && !reported.isEmpty()
            && cov.getSlotsCut() == cov.getSlotsRecognised() + cov.getSlotsFailed());
  }

  /** An alert (or match) for a call whose summary was emitted: number, emit, update summary. */
  private void afterSummary(
      CallSignal signal, CallState st, Context ctx, Collector<CallSummary> out) throws Exception {
    Alert counted = null;
    if (signal.kind == CallSignal.Kind.MATCH) {
      counted = episodes.assign(signal.alert, signal.dedupeKey, System.currentTimeMillis());
      if (counted == null) {
        suppressedMatches.inc();
        return;
      }
      ctx.output(RulesStreams.ANALYZER_ALERTS, counted);
    } else if (signal.kind == CallSignal.Kind.ALERT) {
      counted = signal.alert;
    }
    if (counted == null) {
      inputAfterSummary.inc();
      return;
    }
    count(counted.getRule());
    CallSummary prev = lastSummary.value();
    if (prev == null) {
      return;
    }
    Map<String, Integer> byRule = new HashMap<>(prev.getAlertsByRule());
    byRule.merge(counted.getRule(), 1, Integer::sum);
    List<ScoreItem> items = new ArrayList<>();
    for (ScoreItem i : prev.getScorecard()) {
      ScoreItem.Builder ib = ScoreItem.newBuilder(i);
      if (i.getRule().equals(counted.getRule())) {
        ib.setOutcome("FAIL").setAlerts(i.getAlerts() + 1);
      }
      items.add(ib.build());
    }
    Scorecard.Result score = Scorecard.rescore(items);
    CallSummary.Builder b =
        CallSummary.newBuilder(prev)
            .setAlertsByRule(byRule)
            .setAlerts(prev.getAlerts() + 1)
            .setScorecard(items)
            .setScore(score.score())
            .setAutoFailed(score.autoFailed())
            .setRevision(prev.getRevision() + 1)
            .setEmittedAtEpochMs(System.currentTimeMillis());
    if (counted.getRule().equals(BuiltInRule.MISSING_GREETING.id())) {
      b.setMissingGreeting(true);
    }
    if (counted.getRule().equals(BuiltInRule.MISSING_CLOSING.id())) {
      b.setMissingClosing(true);
    }
    CallSummary updated = b.build();
    lastSummary.update(updated);
    out.collect(updated);
  }

  private CallSignal endSignal(CallState st, String callId) {
    CallSignal s = new CallSignal();
    s.callId = callId;
    s.tenant = st.tenant;
    s.arrivedAtEpochMs = endTrigger(st);
    return s;
  }

  private static java.time.Instant startedAt(CallState st) {
    return st.startedAt == null ? null : java.time.Instant.ofEpochMilli(st.startedAt);
  }

  private static long endTrigger(CallState st) {
    return st.endedArrivedAtEpochMs > 0 ? st.endedArrivedAtEpochMs : st.lastArrivedAtEpochMs;
  }

  private void clearAll(Context ctx) throws Exception {
    deadlines.clearAll(ctx.timerService());
    ctx.timerService().deleteEventTimeTimer(END_OF_INPUT);
    call.clear();
    utterances.clear();
    events.clear();
    reports.clear();
    alertCounts.clear();
    lastSummary.clear();
    episodes.clear();
  }
}
