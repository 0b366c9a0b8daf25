package io.callqa.operators.audio;

import io.callqa.schemas.CallAudioChunk;
import io.callqa.schemas.CallEvent;
import io.callqa.schemas.ChannelProgress;
import io.callqa.schemas.ChannelReport;
import io.callqa.schemas.DeadLetter;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Emits {@link SpeechSlot}s cut from one channel of a call, plus a {@link ChannelReport} when the
 * channel closes, {@link ChannelProgress} markers while it is open and a {@link DeadLetter} for
 * every chunk it cannot use (side outputs in {@link SlotterOutputs}).
 *
 * <p>Keyed by {@link SlotterKeys} ({@code "callId/CHANNEL"}); input 1 is the call's audio, input 2
 * its call events fanned out to every channel key ({@link SlotterKeys#fanOut}). What it does per
 * chunk is {@link ChannelSlotter}'s; this class only binds it to Flink: keyed state ({@link
 * SlotterState}), processing-time timers (gap, idle, ENDED grace, tombstone retention; no threads)
 * and metrics (group {@code slotter}: chunks, bytes, audioMs, slots, slotMs, gaps, gapMs,
 * duplicates, lateChunks, rejectedChunks and {@code rejected.<REASON>}, burstsDiscarded,
 * channelsClosed and {@code closed.<HOW>}).
 *
 * <p>A restored job resumes every open channel mid-call: everything, including the resampler's
 * filter history and the VAD's noise floor, is in keyed state. After a channel closes, its key
 * holds nothing but a tombstone for {@link SlotterSettings#closedRetentionMs()} (none when 0), and
 * no timers but the tombstone's; so does a key whose call ENDED before any of its audio came.
 */
public class SlotterFunction
    extends KeyedCoProcessFunction<String, CallAudioChunk, CallEvent, SpeechSlot> {

  private static final long serialVersionUID = 1L;

  private final SlotterSettings settings;

  private transient ChannelSlotter slotter;
  private transient FlinkStore store;
  private transient FlinkOutput output;
  private transient SlotterMetrics metrics;

  public SlotterFunction(SlotterSettings settings) {
    this.settings = settings;
  }

  public SlotterFunction() {
    this(SlotterSettings.DEFAULTS);
  }

  @Override
  public void open(OpenContext openContext) {
    slotter = new ChannelSlotter(settings);
    store =
        new FlinkStore(
            getRuntimeContext().getState(SlotterState.channel()),
            getRuntimeContext().getMapState(SlotterState.reorderBuffer()),
            getRuntimeContext().getListState(SlotterState.audio()));
    output = new FlinkOutput();
    metrics = new FlinkMetrics(getRuntimeContext().getMetricGroup().addGroup("slotter"));
  }

  @Override
  public void processElement1(CallAudioChunk chunk, Context ctx, Collector<SpeechSlot> out)
      throws Exception {
    store.timers = ctx.timerService();
    output.bind(ctx, out);
    slotter.onChunk(chunk, ctx.timerService().currentProcessingTime(), store, output, metrics);
  }

  @Override
  public void processElement2(CallEvent event, Context ctx, Collector<SpeechSlot> out)
      throws Exception {
    store.timers = ctx.timerService();
    output.bind(ctx, out);
    slotter.onEvent(event, ctx.timerService().currentProcessingTime(), store, output, metrics);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<SpeechSlot> out)
      throws Exception {
    store.timers = ctx.timerService();
    output.bind(ctx, out);
    slotter.onTimer(timestamp, ctx.timerService().currentProcessingTime(), store, output, metrics);
  }

  /** {@link ChannelStore} over the current key's Flink state. */
  private static final class FlinkStore implements ChannelStore {
    private final ValueState<ChannelState> channel;
    private final MapState<Long, PendingChunk> reorder;
    private final ListState<short[]> audio;
    TimerService timers;

    FlinkStore(
        ValueState<ChannelState> channel,
        MapState<Long, PendingChunk> reorder,
        ListState<short[]> audio) {
      this.channel = channel;
      this.reorder = reorder;
      this.audio = audio;
    }

    @Override
    public ChannelState state() {
      return unchecked(channel::value);
    }

    @Override
    public void putState(ChannelState state) {
      run(() -> channel.update(state));
    }

    @Override
    public PendingChunk pending(long seq) {
      return unchecked(() -> reorder.get(seq));
    }

    @Override
    public void putPending(long seq, PendingChunk chunk) {
      run(() -> reorder.put(seq, chunk));
    }

    @Override
    public void removePending(long seq) {
      run(() -> reorder.remove(seq));
    }

    @Override
    public Iterable<Long> pendingSeqs() {
      return unchecked(reorder::keys);
    }

    @Override
    public void appendAudio(short[] samples) {
      run(() -> audio.add(samples));
    }

    @Override
    public Iterable<short[]> audio() {
      Iterable<short[]> pieces = unchecked(audio::get);
      return pieces == null ? List.of() : pieces;
    }

    @Override
    public void replaceAudio(short[] samples) {
      run(
          () -> {
            if (samples == null || samples.length == 0) {
              audio.clear();
            } else {
              audio.update(List.of(samples));
            }
          });
    }

    @Override
    public void registerTimer(long at) {
      timers.registerProcessingTimeTimer(at);
    }

    @Override
    public void deleteTimer(long at) {
      timers.deleteProcessingTimeTimer(at);
    }

    @Override
    public void clear() {
      channel.clear();
      reorder.clear();
      audio.clear();
    }

    private interface StateCall<T> {
      T call() throws Exception;
    }

    private interface StateRun {
      void run() throws Exception;
    }

    private static <T> T unchecked(StateCall<T> call) {
      try {
        return call.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException("slotter state access failed", e);
      }
    }

    private static void run(StateRun call) {
      unchecked(
          () -> {
            call.run();
            return null;
          });
    }
  }

  /** {@link SlotterOutput} over the collector and the side outputs of the current call. */
  private static final class FlinkOutput implements SlotterOutput {
    private Context ctx;
    private Collector<SpeechSlot> out;

    void bind(Context ctx, Collector<SpeechSlot> out) {
      this.ctx = ctx;
      this.out = out;
    }

    @Override
    public void slot(SpeechSlot slot) {
      out.collect(slot);
    }

    @Override
    public void report(ChannelReport report) {
      ctx.output(SlotterOutputs.CHANNEL_REPORTS, report);
    }

    @Override
    public void progress(ChannelProgress progress) {
      ctx.output(SlotterOutputs.CHANNEL_PROGRESS, progress);
    }

    @Override
    public void deadLetter(DeadLetter deadLetter) {
      ctx.output(SlotterOutputs.DEAD_LETTERS, deadLetter);
    }
  }

  /** Flink counters behind {@link SlotterMetrics}. */
  private static final class FlinkMetrics implements SlotterMetrics {
    private final Counter chunks;
    private final Counter bytes;
    private final Counter audioMs;
    private final Counter slots;
    private final Counter slotMs;
    private final Counter gaps;
    private final Counter gapMs;
    private final Counter duplicates;
    private final Counter late;
    private final Counter rejected;
    private final Counter bursts;
    private final Counter closed;
    private final Map<RejectReason, Counter> rejectedBy = new EnumMap<>(RejectReason.class);
    private final Map<String, Counter> closedBy = new HashMap<>();

    FlinkMetrics(MetricGroup group) {
      chunks = group.counter("chunks");
      bytes = group.counter("bytes");
      audioMs = group.counter("audioMs");
      slots = group.counter("slots");
      slotMs = group.counter("slotMs");
      gaps = group.counter("gaps");
      gapMs = group.counter("gapMs");
      duplicates = group.counter("duplicates");
      late = group.counter("lateChunks");
      rejected = group.counter("rejectedChunks");
      bursts = group.counter("burstsDiscarded");
      closed = group.counter("channelsClosed");
      MetricGroup byReason = group.addGroup("rejected");
      for (RejectReason r : RejectReason.values()) {
        rejectedBy.put(r, byReason.counter(r.name()));
      }
      MetricGroup byHow = group.addGroup("closed");
      for (String how :
          new String[] {
            ChannelSlotter.LAST_CHUNK, ChannelSlotter.CALL_ENDED, ChannelSlotter.IDLE_TIMEOUT
          }) {
        closedBy.put(how, byHow.counter(how));
      }
    }

    @Override
    public void chunkReceived(long payloadBytes) {
      chunks.inc();
      bytes.inc(payloadBytes);
    }

    @Override
    public void audioProcessed(long ms) {
      audioMs.inc(ms);
    }

    @Override
    public void slotEmitted(long ms) {
      slots.inc();
      slotMs.inc(ms);
    }

    @Override
    public void gapFilled(long ms) {
      gaps.inc();
      gapMs.inc(ms);
    }

    @Override
    public void duplicate() {
      duplicates.inc();
    }

    @Override
    public void late() {
      late.inc();
    }

    @Override
    public void rejected(RejectReason reason) {
      rejected.inc();
      rejectedBy.get(reason).inc();
    }

    @Override
    public void burstDiscarded() {
      bursts.inc();
    }

    @Override
    public void channelClosed(String how) {
      closed.inc();
      Counter c = closedBy.get(how);
      if (c != null) {
        c.inc();
      }
    }
  }
}
