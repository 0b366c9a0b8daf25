package io.callqa.operators.rules;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Timestamps and watermarks of the CEP operators: each record is stamped with the job's running
 * clock when it reaches this operator (strictly increasing per subtask), and the watermark follows
 * right behind, also while no records come. Records of one call arrive in the sequencer's call
 * order, so the CEP operators see them in that order without buffering, and partial matches time
 * out even when a call goes quiet. Call-time windows are checked in the pattern conditions; the
 * clock only bounds how long a partial match lives.
 *
 * <p>The running clock is the wall clock minus the time the job was down: its last value is part of
 * each checkpoint and a restored operator continues from it. On the bare wall clock, an outage
 * longer than a pattern's window + slack (2–4 minutes) would expire every partial match begun
 * before it, while the rest of those calls still waits in the backlog.
 */
public final class CepClockOperator extends AbstractStreamOperator<CallSignal>
    implements OneInputStreamOperator<CallSignal, CallSignal> {
  private static final long serialVersionUID = 1L;

  /** How often the watermark moves on while no records come. */
  static final long WATERMARK_INTERVAL_MS = 200;

  private transient ListState<Long> lastStampState;

  /** Subtracted from processing time: the time the job was down before this run. */
  private transient long downtime;

  private transient long lastStamp;
  private transient long lastWatermark;

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    // union: after a rescale every subtask continues from the latest clock of all of them
    lastStampState =
        context
            .getOperatorStateStore()
            .getUnionListState(new ListStateDescriptor<>("cep-clock-last-stamp", Types.LONG));
    long restored = Long.MIN_VALUE;
    for (Long stamp : lastStampState.get()) {
      restored = Math.max(restored, stamp);
    }
    long now = getProcessingTimeService().getCurrentProcessingTime();
    downtime = restored == Long.MIN_VALUE ? 0 : Math.max(0, now - restored);
    lastStamp = restored;
    lastWatermark = Long.MIN_VALUE;
  }

  @Override
  public void open() throws Exception {
    super.open();
    scheduleWatermark();
  }

  /** The running clock: processing time without the downtime before this run. */
  long clock() {
    return getProcessingTimeService().getCurrentProcessingTime() - downtime;
  }

  @Override
  public void processElement(StreamRecord<CallSignal> element) {
    lastStamp = Math.max(lastStamp + 1, clock());
    output.collect(element.replace(element.getValue(), lastStamp));
    // the next record gets a larger stamp, so this one can be processed right away
    emitWatermark(lastStamp);
  }

  private void scheduleWatermark() {
    long now = getProcessingTimeService().getCurrentProcessingTime();
    getProcessingTimeService()
        .registerTimer(
            now + WATERMARK_INTERVAL_MS,
            t -> {
              // any later record is stamped ≥ the clock: time moves on while the input is quiet
              emitWatermark(Math.max(lastStamp, clock() - 1));
              scheduleWatermark();
            });
  }

  private void emitWatermark(long at) {
    if (at > lastWatermark) {
      lastWatermark = at;
      output.emitWatermark(new Watermark(at));
    }
  }

  /** Upstream time means nothing here; only the end of input is passed on. */
  @Override
  public void processWatermark(Watermark mark) {
    if (mark.getTimestamp() == Long.MAX_VALUE && lastWatermark != Long.MAX_VALUE) {
      lastWatermark = Long.MAX_VALUE;
      output.emitWatermark(Watermark.MAX_WATERMARK);
    }
  }

  /** This clock always moves: upstream idleness does not make the CEP input idle. */
  @Override
  public void processWatermarkStatus(WatermarkStatus status) {}

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    // the end-of-input watermark is not a time to continue from
    long clock = Math.max(lastStamp, lastWatermark == Long.MAX_VALUE ? lastStamp : lastWatermark);
    lastStampState.update(clock == Long.MIN_VALUE ? java.util.List.of() : java.util.List.of(clock));
  }
}
