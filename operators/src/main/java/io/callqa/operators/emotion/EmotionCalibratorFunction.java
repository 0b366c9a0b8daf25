package io.callqa.operators.emotion;

import io.callqa.operators.inference.ModelDescriptor;
import io.callqa.operators.time.RunStart;
import io.callqa.schemas.Utterance;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets each utterance's emotion by {@link EmotionCalibration}, keyed by call and channel. The
 * inference operator emits a channel's utterances in any order; they are released here in slot
 * order, each calibrated with exactly the channel's earlier slots, so a replay or a restore gives
 * every utterance the same emotion again. Slot indexes are dense (every slot becomes an utterance,
 * FAILED ones too); should one still be missing after {@code maxWaitMs} of running time, the
 * utterances behind it go on without it, counted ({@code emotion.gapsSkipped}) and logged.
 *
 * <p>A model without a calibration passes every utterance straight through, holding no state. State
 * lives {@link #STATE_TTL} after its last write (a channel's end is not seen here).
 */
public final class EmotionCalibratorFunction
    extends KeyedProcessFunction<String, Utterance, Utterance> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(EmotionCalibratorFunction.class);

  public static final Duration STATE_TTL = Duration.ofHours(12);

  private final String modelDir;
  private final long maxWaitMs;
  private EmotionCalibration calibration;

  private transient ValueState<Integer> nextIndex;
  private transient ValueState<Long> waitingSince;
  private transient MapState<Integer, float[]> logScores;
  private transient MapState<Integer, Utterance> pending;
  private transient RunStart run;
  private transient Counter recalibrated;
  private transient Counter gapsSkipped;

  /** With the calibration in {@code modelDir}'s model.json, read when the operator opens. */
  public EmotionCalibratorFunction(String modelDir, long maxWaitMs) {
    this.modelDir = modelDir;
    this.maxWaitMs = maxWaitMs;
  }

  /** With the given calibration (tests). */
  EmotionCalibratorFunction(EmotionCalibration calibration, long maxWaitMs) {
    this.modelDir = null;
    this.calibration = calibration;
    this.maxWaitMs = maxWaitMs;
  }

  /** The key: one channel of one call. */
  public static final class ChannelKey implements KeySelector<Utterance, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(Utterance u) {
      return u.getCallId() + "/" + u.getChannel();
    }
  }

  @Override
  public void open(OpenContext context) throws Exception {
    if (calibration == null) {
      calibration =
          EmotionCalibration.of(ModelDescriptor.load(Paths.get(modelDir)).emotionCalibration());
    }
    StateTtlConfig ttl = StateTtlConfig.newBuilder(STATE_TTL).build();
    nextIndex =
        getRuntimeContext()
            .getState(withTtl(new ValueStateDescriptor<>("next-slot", Types.INT), ttl));
    waitingSince =
        getRuntimeContext()
            .getState(withTtl(new ValueStateDescriptor<>("waiting-since", Types.LONG), ttl));
    logScores =
        getRuntimeContext()
            .getMapState(
                withTtl(
                    new MapStateDescriptor<>(
                        "log-scores",
                        Types.INT,
                        PrimitiveArrayTypeInfo.FLOAT_PRIMITIVE_ARRAY_TYPE_INFO),
                    ttl));
    pending =
        getRuntimeContext()
            .getMapState(
                withTtl(
                    new MapStateDescriptor<>(
                        "pending", Types.INT, new AvroTypeInfo<>(Utterance.class)),
                    ttl));
    run = new RunStart();
    var metrics = getRuntimeContext().getMetricGroup().addGroup("emotion");
    recalibrated = metrics.counter("recalibrated");
    gapsSkipped = metrics.counter("gapsSkipped");
  }

  private static <D extends StateDescriptor<?, ?>> D withTtl(D descriptor, StateTtlConfig ttl) {
    descriptor.enableTimeToLive(ttl);
    return descriptor;
  }

  @Override
  public void processElement(Utterance u, Context ctx, Collector<Utterance> out) throws Exception {
    long now = ctx.timerService().currentProcessingTime();
    run.mark(now);
    if (!calibration.enabled()) {
      out.collect(u);
      return;
    }
    int index = u.getSlotIndex();
    logScores.put(index, calibration.logScores(u.getEmotionScores()));
    if (index < next()) {
      out.collect(calibrated(u)); // a replay: the slots before it are all known
      return;
    }
    pending.put(index, u);
    release(ctx, out, now);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Utterance> out)
      throws Exception {
    long now = ctx.timerService().currentProcessingTime(); // an overdue timer fires late
    run.mark(now);
    Long since = waitingSince.value();
    if (since == null || pending.isEmpty()) {
      return;
    }
    long due = run.notBefore(since) + maxWaitMs;
    if (now < due) {
      ctx.timerService().registerProcessingTimeTimer(due);
      return;
    }
    int first = Integer.MAX_VALUE;
    for (Integer i : pending.keys()) {
      first = Math.min(first, i);
    }
    gapsSkipped.inc();
    LOG.warn(
        "{}: slots {}..{} did not arrive within {} ms; calibrating the later ones without them",
        ctx.getCurrentKey(),
        next(),
        first - 1,
        maxWaitMs);
    nextIndex.update(first);
    waitingSince.clear();
    release(ctx, out, now);
  }

  /** Emits the pending utterances that are next in slot order; waits (a timer) for a gap. */
  private void release(Context ctx, Collector<Utterance> out, long now) throws Exception {
    int next = next();
    Utterance u;
    while ((u = pending.get(next)) != null) {
      out.collect(calibrated(u));
      pending.remove(next);
      next++;
    }
    nextIndex.update(next);
    if (pending.isEmpty()) {
      waitingSince.clear();
    } else if (waitingSince.value() == null) {
      waitingSince.update(now);
      ctx.timerService().registerProcessingTimeTimer(now + maxWaitMs);
    }
  }

  private int next() throws Exception {
    Integer n = nextIndex.value();
    return n == null ? 0 : n;
  }

  /** {@code u} with its emotion calibrated; its own log scores are already in state. */
  private Utterance calibrated(Utterance u) throws Exception {
    int index = u.getSlotIndex();
    List<float[]> earlier = new ArrayList<>();
    for (Map.Entry<Integer, float[]> e : logScores.entries()) {
      if (e.getKey() < index) {
        earlier.add(e.getValue());
      }
    }
    String model = u.getModelEmotion().isEmpty() ? u.getEmotion() : u.getModelEmotion();
    String emotion = calibration.calibrate(model, logScores.get(index), earlier);
    if (emotion.equals(u.getEmotion())) {
      return u;
    }
    recalibrated.inc();
    return Utterance.newBuilder(u).setEmotion(emotion).build();
  }
}
