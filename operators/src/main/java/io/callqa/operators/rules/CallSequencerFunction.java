package io.callqa.operators.rules;

import io.callqa.operators.time.WatermarkProgress;
import io.callqa.schemas.CallEventType;
import io.callqa.schemas.Channel;
import io.callqa.schemas.ChannelProgress;
import io.callqa.schemas.Utterance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 * Emits every signal of a call tagged and in per-channel order, and (side output {@link
 * RulesStreams#ORDERED}) the CEP-relevant ones merged across channels in call-time order.
 *
 * <p>Keyed by callId. Per channel, utterances are released in {@code slotIndex} order: a slot that
 * arrives before an earlier one waits up to {@code slotGapWaitMs} for it, then the gap is skipped
 * (a skipped slot that still comes is let through late, a slot seen twice is dropped and counted).
 * Released utterances are tagged with the lexicon intents found in their text and, for angry
 * customer utterances, their anger run, then emitted on the main output at once: the real-time
 * stream rules and the call analyzer need no more order than this.
 *
 * <p>The CEP rules need the two channels interleaved in call time. An utterance ending at t is
 * released to {@link RulesStreams#ORDERED} once the other channel is known up to t. A channel is
 * known up to the end of its last utterance (they come in slot order), up to a slotter progress
 * marker's {@code cutUpToMs} once the {@code slotsCut} utterances it counts have arrived (inference
 * is asynchronous, so markers overtake utterances; the unsatisfied ones wait in state), and
 * completely once it reported and all its slots arrived. That makes the order a function of call
 * time only, however fast a call is replayed and however far one channel's inference lags. Honoring
 * call events (TRANSFERRED, BOT_TO_AGENT) wait for both channels the same way. The one wall-clock
 * wait left is for a dead source: whatever waits on a channel that sent nothing for {@code
 * channelProgressTimeoutMs} while it waited is released anyway (counted in {@code
 * channelProgressTimeouts}), unless the sources are still being read up to the waiting signal's
 * Kafka record time (a backlog: the channel's audio is not read yet). ENDED releases nothing by
 * itself: when a backlog is read from Kafka the small call-events topic runs far ahead of the
 * audio, so an ENDED can arrive long before the utterances it ends.
 *
 * <p>State: cleared {@code lateRetentionMs} after ENDED, after {@code idleTimeoutMs} without input,
 * or at end of input (an event-time timer at {@code Long.MAX_VALUE}, which only the final watermark
 * of a bounded input reaches). Metrics: {@code duplicateUtterances}, {@code skippedSlots}, {@code
 * lateUtterances}, {@code outOfOrderReleases}, {@code channelProgressTimeouts}, {@code
 * channelWaitsForBacklog} (a dead-source wait extended because the sources were still being read up
 * to the waiting signal's record time: see {@link WatermarkProgress}).
 */
public class CallSequencerFunction extends KeyedProcessFunction<String, CallSignal, CallSignal> {
  private static final long serialVersionUID = 1L;

  private static final long END_OF_INPUT = Long.MAX_VALUE;

  private final RulesConfig config;

  private transient IntentMatcher matcher;
  private transient Set<CallEventType> orderedEventTypes;
  private transient Set<String> angerIntents;
  private transient Set<String> calmIntents;
  private transient ValueState<SequencerState> state;
  private transient MapState<Long, CallSignal> held;
  private transient MapState<Long, Boolean> skipped;
  private transient ListState<CallSignal> pending;
  private transient MapState<Long, Long> markers;
  private transient DeadlineTimers deadlines;
  private transient Counter duplicates;
  private transient Counter skippedSlots;
  private transient Counter lateUtterances;
  private transient Counter outOfOrderReleases;
  private transient Counter progressTimeouts;
  private transient Counter backlogWaits;
  private transient WatermarkProgress sources;

  public CallSequencerFunction(RulesConfig config) {
    this.config = config;
  }

  /** Per-call bookkeeping (a Flink POJO). Arrays are indexed by {@link Channel#ordinal()}. */
  public static class SequencerState {
    public int[] nextSlot = new int[3];

    /** Call time up to which the channel is known: its utterances and satisfied markers. */
    public long[] progressMs = {Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE};

    /** Processing time the channel last sent anything (utterance, marker, report). */
    public long[] heardAtMs = {Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE};

    /** Progress markers of the channel waiting in state for their utterances. */
    public int[] markersWaiting = new int[3];

    public boolean[] closed = new boolean[3];

    /** Slots the slotter cut per channel (from its ChannelReport), -1 until it reported. */
    public long[] slotsCut = {-1, -1, -1};

    public boolean[] seen = new boolean[3];
    public boolean lastCustomerAngry;
    public int angerRuns;
    public long releasedUpToMs = Long.MIN_VALUE;
    public long endedAtMs = -1;
    public boolean endOfInputTimer;

    public SequencerState() {}
  }

  @Override
  public void open(OpenContext openContext) {
    matcher = IntentMatcher.of(config);
    angerIntents = new HashSet<>();
    calmIntents = new HashSet<>();
    config
        .enabled(BuiltInRule.ANGER_ESCALATION)
        .ifPresent(
            r -> {
              angerIntents.addAll(r.strings("angerIntents"));
              calmIntents.addAll(r.strings("calmIntents"));
            });
    orderedEventTypes = EnumSet.noneOf(CallEventType.class);
    config
        .enabled(BuiltInRule.FORCED_TRANSFER)
        .ifPresent(
            r ->
                r.strings("honoringEvents")
                    .forEach(t -> orderedEventTypes.add(CallEventType.valueOf(t))));
    var ctx = getRuntimeContext();
    state =
        ctx.getState(
            new ValueStateDescriptor<>("sequencer", TypeInformation.of(SequencerState.class)));
    held =
        ctx.getMapState(
            new MapStateDescriptor<>(
                "sequencer-held-slots", Types.LONG, TypeInformation.of(CallSignal.class)));
    skipped =
        ctx.getMapState(
            new MapStateDescriptor<>("sequencer-skipped-slots", Types.LONG, Types.BOOLEAN));
    pending =
        ctx.getListState(
            new ListStateDescriptor<>("sequencer-pending", TypeInformation.of(CallSignal.class)));
    // slotKey(channel, slotsCut) -> cutUpToMs, the highest one seen for that count
    markers =
        ctx.getMapState(
            new MapStateDescriptor<>("sequencer-progress-markers", Types.LONG, Types.LONG));
    deadlines = new DeadlineTimers(ctx, "sequencer");
    var metrics = ctx.getMetricGroup();
    duplicates = metrics.counter("duplicateUtterances");
    skippedSlots = metrics.counter("skippedSlots");
    lateUtterances = metrics.counter("lateUtterances");
    outOfOrderReleases = metrics.counter("outOfOrderReleases");
    progressTimeouts = metrics.counter("channelProgressTimeouts");
    backlogWaits = metrics.counter("channelWaitsForBacklog");
    sources = new WatermarkProgress();
  }

  @Override
  public void processElement(CallSignal signal, Context ctx, Collector<CallSignal> out)
      throws Exception {
    long now = ctx.timerService().currentProcessingTime();
    deadlines.run.mark(now);
    sources.observe(ctx.timerService().currentWatermark(), now);
    SequencerState s = state.value();
    if (s == null) {
      s = new SequencerState();
    }
    if (ctx.timestamp() != null) {
      signal.recordTimeMs = ctx.timestamp();
    }
    if (!s.endOfInputTimer) {
      ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
      s.endOfInputTimer = true;
    }
    switch (signal.kind) {
      case UTTERANCE:
        onUtterance(signal, s, now, ctx, out);
        break;
      case CALL_EVENT:
        emit(signal, ctx, out);
        if (signal.callEvent.getType() == CallEventType.ENDED && s.endedAtMs < 0) {
          s.endedAtMs = now;
          deadlines.set(
              "retention",
              now + config.timing().endGraceMs() + config.timing().lateRetentionMs(),
              ctx.timerService());
        }
        if (orderedEventTypes.contains(signal.callEvent.getType())) {
          signal.heldSinceMs = now;
          pending.add(signal);
        }
        break;
      case CHANNEL_REPORT:
        {
          int ch = signal.channelReport.getChannel().ordinal();
          s.closed[ch] = true;
          s.seen[ch] = true;
          s.heardAtMs[ch] = now;
          s.slotsCut[ch] = signal.channelReport.getCoverage().getSlotsCut();
          emit(signal, ctx, out);
          break;
        }
      case CHANNEL_PROGRESS:
        onProgress(signal.channelProgress, s, now); // the sequencer's own input, not passed on
        break;
      default:
        emit(signal, ctx, out);
    }
    satisfyMarkers(s);
    release(s, now, ctx);
    deadlines.set("idle", now + config.timing().idleTimeoutMs(), ctx.timerService());
    state.update(s);
  }

  private void onUtterance(
      CallSignal signal, SequencerState s, long now, Context ctx, Collector<CallSignal> out)
      throws Exception {
    Utterance u = signal.utterance;
    int ch = u.getChannel().ordinal();
    s.heardAtMs[ch] = now;
    int slot = u.getSlotIndex();
    long key = slotKey(ch, slot);
    if (slot < s.nextSlot[ch]) {
      if (skipped.contains(key)) {
        skipped.remove(key);
        lateUtterances.inc();
        accept(signal, s, now, ctx, out);
      } else {
        duplicates.inc();
      }
    } else if (slot > s.nextSlot[ch]) {
      if (held.contains(key)) {
        duplicates.inc();
        return;
      }
      signal.heldSinceMs = now;
      held.put(key, signal);
      deadlines.setIfEarlier("slot-gap", now + config.timing().slotGapWaitMs(), ctx.timerService());
    } else {
      accept(signal, s, now, ctx, out);
      s.nextSlot[ch]++;
      drainHeld(ch, s, now, ctx, out);
    }
  }

  /**
   * A marker whose utterances are all here moves the channel's known time on at once; the others
   * wait in state until they are.
   */
  private void onProgress(ChannelProgress p, SequencerState s, long now) throws Exception {
    Channel c = p.getChannel();
    if (c != Channel.AGENT && c != Channel.CUSTOMER) {
      return; // a mono recording has nothing to merge
    }
    int ch = c.ordinal();
    s.heardAtMs[ch] = now;
    long count = p.getSlotsCut();
    if (count <= s.nextSlot[ch]) {
      s.progressMs[ch] = Math.max(s.progressMs[ch], p.getCutUpToMs());
      return;
    }
    long key = slotKey(ch, (int) Math.min(count, Integer.MAX_VALUE));
    Long known = markers.get(key);
    if (known == null) {
      s.markersWaiting[ch]++;
    }
    if (known == null || known < p.getCutUpToMs()) {
      markers.put(key, p.getCutUpToMs());
    }
  }

  /** Applies and drops the waiting markers whose utterances have all arrived (or were skipped). */
  private void satisfyMarkers(SequencerState s) throws Exception {
    if (s.markersWaiting[Channel.AGENT.ordinal()] + s.markersWaiting[Channel.CUSTOMER.ordinal()]
        == 0) {
      return;
    }
    List<Long> done = new ArrayList<>();
    for (var e : markers.entries()) {
      int ch = channelOf(e.getKey());
      if (slotOf(e.getKey()) <= s.nextSlot[ch]) {
        s.progressMs[ch] = Math.max(s.progressMs[ch], e.getValue());
        done.add(e.getKey());
      }
    }
    for (Long k : done) {
      markers.remove(k);
      s.markersWaiting[channelOf(k)]--;
    }
  }

  private void drainHeld(int ch, SequencerState s, long now, Context ctx, Collector<CallSignal> out)
      throws Exception {
    long key = slotKey(ch, s.nextSlot[ch]);
    while (held.contains(key)) {
      CallSignal next = held.get(key);
      held.remove(key);
      accept(next, s, now, ctx, out);
      s.nextSlot[ch]++;
      key = slotKey(ch, s.nextSlot[ch]);
    }
  }

  /**
   * Passes a signal on, stamped with this operator's watermark: how far the Kafka sources have been
   * read, which the call analyzer cannot see itself (its input also follows the CEP clock).
   */
  private static void emit(CallSignal signal, Context ctx, Collector<CallSignal> out) {
    signal.sourceWatermarkMs = ctx.timerService().currentWatermark();
    out.collect(signal);
  }

  /** Tags one utterance that is next in its channel, emits it, queues it for the CEP order. */
  private void accept(
      CallSignal signal, SequencerState s, long now, Context ctx, Collector<CallSignal> out)
      throws Exception {
    Utterance u = signal.utterance;
    signal.callTimeMs = u.getEndMs();
    signal.intents = new ArrayList<>();
    signal.intentPhrases = new ArrayList<>();
    signal.sequenced = true;
    if (Speech.hasTranscript(u)) {
      List<IntentMatcher.Match> found = new ArrayList<>(matcher.match(u.getText()));
      found.sort(Comparator.comparing(IntentMatcher.Match::intent));
      for (IntentMatcher.Match m : found) {
        signal.intents.add(m.intent());
        signal.intentPhrases.add(m.phrase());
      }
      if (u.getChannel() == Channel.CUSTOMER) {
        // words outweigh the voice both ways: the emotion model misses some anger, and hears
        // some in short polite replies of a fast talker
        boolean angryWords = signal.intents.stream().anyMatch(angerIntents::contains);
        boolean calmWords = signal.intents.stream().anyMatch(calmIntents::contains);
        if (angryWords || (Speech.isAngry(u) && !calmWords)) {
          if (!s.lastCustomerAngry) {
            s.angerRuns++;
          }
          signal.angerRun = s.angerRuns - 1;
          s.lastCustomerAngry = true;
        } else {
          s.lastCustomerAngry = false;
        }
      }
    }
    int ch = u.getChannel().ordinal();
    s.progressMs[ch] = Math.max(s.progressMs[ch], u.getEndMs());
    s.seen[ch] = true;
    emit(signal, ctx, out);
    if (u.getChannel() != Channel.MIXED && Speech.hasTranscript(u)) {
      signal.heldSinceMs = now;
      pending.add(signal);
    }
  }

  /**
   * Releases pending signals to the ordered output: those the channels' progress vouches for, those
   * that waited long enough (with everything before them).
   */
  private void release(SequencerState s, long now, Context ctx) throws Exception {
    release(s, now, ctx, false);
  }

  private void release(SequencerState s, long now, Context ctx, boolean all) throws Exception {
    List<CallSignal> items = new ArrayList<>();
    for (CallSignal c : pending.get()) {
      items.add(c);
    }
    if (items.isEmpty()) {
      deadlines.cancel("skew", ctx.timerService());
      return;
    }
    items.sort(ORDER);
    long vouched = Math.max(safeTime(s), s.releasedUpToMs);
    long limit = all ? Long.MAX_VALUE : vouched;
    if (!all) {
      for (CallSignal c : items) {
        if (c.callTimeMs > limit && giveUpAt(c, s) <= now && !stillReadingUpTo(c, now)) {
          limit = c.callTimeMs;
        }
      }
    }
    List<CallSignal> rest = new ArrayList<>();
    for (CallSignal c : items) {
      if (c.callTimeMs <= limit) {
        if (c.callTimeMs < s.releasedUpToMs) {
          outOfOrderReleases.inc();
        }
        if (c.callTimeMs > vouched && !all) {
          progressTimeouts.inc();
        }
        ctx.output(RulesStreams.ORDERED, c);
        s.releasedUpToMs = Math.max(s.releasedUpToMs, c.callTimeMs);
      } else {
        rest.add(c);
      }
    }
    pending.update(rest);
    long next = Long.MAX_VALUE;
    boolean waitedForBacklog = false;
    for (CallSignal c : rest) {
      long at = giveUpAt(c, s);
      if (at <= now) {
        // overdue yet kept above: the sources are still being read up to it, look again later
        waitedForBacklog = true;
        at = now + config.timing().channelProgressTimeoutMs();
      }
      next = Math.min(next, at);
    }
    if (waitedForBacklog) {
      backlogWaits.inc();
    }
    if (next == Long.MAX_VALUE) {
      deadlines.cancel("skew", ctx.timerService());
    } else {
      // the deadline name predates the markers; kept so that restored timers still match
      deadlines.set("skew", Math.max(next, now + 1), ctx.timerService());
    }
  }

  /**
   * When a pending signal stops waiting for the role channels not yet known up to its call time:
   * once each has sent nothing for {@code channelProgressTimeoutMs} while it waited (a dead source;
   * a live channel sends markers, so its lag only delays). Long.MAX_VALUE when no such channel is
   * left.
   */
  private long giveUpAt(CallSignal c, SequencerState s) {
    long at = Long.MIN_VALUE;
    for (Channel ch : List.of(Channel.AGENT, Channel.CUSTOMER)) {
      if (knownUpTo(s, ch.ordinal()) < c.callTimeMs) {
        long quietSince = Math.max(heldSince(c), s.heardAtMs[ch.ordinal()]);
        at = Math.max(at, quietSince + config.timing().channelProgressTimeoutMs());
      }
    }
    return at == Long.MIN_VALUE ? Long.MAX_VALUE : at;
  }

  /**
   * Whether the sources are still being read up to the signal's own record time: then a quiet
   * channel's audio is in the backlog (the small events topic runs ahead of it), not lost.
   */
  private boolean stillReadingUpTo(CallSignal c, long now) {
    return sources.stillReading(c.recordTimeMs, now, config.timing().channelProgressTimeoutMs());
  }

  /**
   * Call time up to which both role channels have delivered everything: +∞ for a channel that
   * reported and whose every slot arrived (a report alone is not enough: its last slots may still
   * be in inference).
   */
  private static long safeTime(SequencerState s) {
    long safe = Long.MAX_VALUE;
    for (Channel c : List.of(Channel.AGENT, Channel.CUSTOMER)) {
      safe = Math.min(safe, knownUpTo(s, c.ordinal()));
    }
    return safe;
  }

  private static long knownUpTo(SequencerState s, int channel) {
    boolean complete = s.closed[channel] && s.nextSlot[channel] >= s.slotsCut[channel];
    return complete ? Long.MAX_VALUE : s.progressMs[channel];
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<CallSignal> out)
      throws Exception {
    long wallNow = ctx.timerService().currentProcessingTime();
    deadlines.run.mark(wallNow);
    sources.observe(ctx.timerService().currentWatermark(), wallNow);
    SequencerState s = state.value();
    if (s == null) {
      return;
    }
    if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
      // the final watermark of a bounded input: nothing more will come
      flushAll(s, ctx, out);
      clearAll(ctx);
      return;
    }
    long now = timestamp;
    if (deadlines.takeIfDue("idle", now, ctx.timerService())
        || deadlines.takeIfDue("retention", now, ctx.timerService())) {
      flushAll(s, ctx, out);
      clearAll(ctx);
      return;
    }
    if (deadlines.takeIfDue("slot-gap", now, ctx.timerService())) {
      skipGaps(s, now, ctx, out);
      satisfyMarkers(s);
    }
    // set by earlier versions: may be in restored state
    deadlines.takeIfDue("end-grace", now, ctx.timerService());
    deadlines.takeIfDue("skew", now, ctx.timerService());
    release(s, now, ctx);
    state.update(s);
  }

  /**
   * Since when a signal waits in this run: the time before a restore does not count (the input it
   * waits for may sit in the backlog).
   */
  private long heldSince(CallSignal signal) {
    return deadlines.run.notBefore(signal.heldSinceMs);
  }

  /** Skips the missing slots in front of held slots that waited long enough. */
  private void skipGaps(SequencerState s, long now, Context ctx, Collector<CallSignal> out)
      throws Exception {
    long wait = config.timing().slotGapWaitMs();
    long nextDeadline = Long.MAX_VALUE;
    for (Channel c : Channel.values()) {
      int ch = c.ordinal();
      int minHeld = Integer.MAX_VALUE;
      long oldest = Long.MAX_VALUE;
      for (var e : held.entries()) {
        if (channelOf(e.getKey()) == ch) {
          minHeld = Math.min(minHeld, slotOf(e.getKey()));
          oldest = Math.min(oldest, heldSince(e.getValue()));
        }
      }
      if (minHeld == Integer.MAX_VALUE) {
        continue;
      }
      if (now - oldest >= wait) {
        for (int slot = s.nextSlot[ch]; slot < minHeld; slot++) {
          skipped.put(slotKey(ch, slot), true);
          skippedSlots.inc();
        }
        s.nextSlot[ch] = minHeld;
        drainHeld(ch, s, now, ctx, out);
      }
    }
    for (var e : held.entries()) {
      nextDeadline = Math.min(nextDeadline, heldSince(e.getValue()) + wait);
    }
    if (nextDeadline != Long.MAX_VALUE) {
      deadlines.set("slot-gap", nextDeadline, ctx.timerService());
    }
  }

  /** Lets everything held or pending through, in order (end of the call's input). */
  private void flushAll(SequencerState s, Context ctx, Collector<CallSignal> out) throws Exception {
    long now = ctx.timerService().currentProcessingTime();
    for (Channel c : Channel.values()) {
      int ch = c.ordinal();
      List<Long> keys = new ArrayList<>();
      for (Long k : held.keys()) {
        if (channelOf(k) == ch) {
          keys.add(k);
        }
      }
      keys.sort(Comparator.naturalOrder());
      for (Long k : keys) {
        CallSignal next = held.get(k);
        held.remove(k);
        s.nextSlot[ch] = slotOf(k);
        accept(next, s, now, ctx, out);
        s.nextSlot[ch]++;
      }
    }
    release(s, now, ctx, true);
  }

  private void clearAll(Context ctx) throws Exception {
    deadlines.clearAll(ctx.timerService());
    ctx.timerService().deleteEventTimeTimer(END_OF_INPUT);
    state.clear();
    held.clear();
    skipped.clear();
    pending.clear();
    markers.clear();
  }

  private static long slotKey(int channel, int slot) {
    return ((long) channel << 32) | (slot & 0xffffffffL);
  }

  private static int channelOf(long key) {
    return (int) (key >>> 32);
  }

  private static int slotOf(long key) {
    return (int) key;
  }

  /** Call time, then utterances before events at the same ms, then channel and slot. */
  static final Comparator<CallSignal> ORDER =
      Comparator.comparingLong((CallSignal c) -> c.callTimeMs)
          .thenComparingInt(c -> c.isUtterance() ? 0 : 1)
          .thenComparingInt(c -> c.utterance == null ? 0 : c.utterance.getChannel().ordinal())
          .thenComparingInt(c -> c.utterance == null ? 0 : c.utterance.getSlotIndex());
}
