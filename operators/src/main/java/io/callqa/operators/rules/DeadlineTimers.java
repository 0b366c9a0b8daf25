package io.callqa.operators.rules;

import io.callqa.operators.time.RunStart;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * Named processing-time deadlines of one call (idle, grace, …), each backed by one Flink timer.
 * Moving a deadline deletes its old timer unless another deadline shares it, and {@link #clearAll}
 * deletes them all, so a finished call leaves no timer behind.
 *
 * <p>A wait counts only time the job was running: a deadline set before a restore (its timer is
 * overdue as soon as the job is back after an outage, while the call's input still sits in the
 * backlog) is moved to one full wait after this run started, instead of firing.
 */
final class DeadlineTimers {
  private final MapState<String, Long> deadlines;

  /** The wait each deadline was set with (absent in state written before waits were kept). */
  private final MapState<String, Long> waits;

  /** The start of this run: marked by the owning function in every callback. */
  final RunStart run = new RunStart();

  DeadlineTimers(RuntimeContext ctx, String prefix) {
    deadlines =
        ctx.getMapState(new MapStateDescriptor<>(prefix + "-deadlines", Types.STRING, Types.LONG));
    waits =
        ctx.getMapState(
            new MapStateDescriptor<>(prefix + "-deadline-waits", Types.STRING, Types.LONG));
  }

  void set(String name, long at, TimerService timers) throws Exception {
    waits.put(name, Math.max(0, at - timers.currentProcessingTime()));
    Long old = deadlines.get(name);
    if (old != null && old == at) {
      return;
    }
    deadlines.put(name, at);
    if (old != null && !inUse(old)) {
      timers.deleteProcessingTimeTimer(old);
    }
    timers.registerProcessingTimeTimer(at);
  }

  /** Sets the deadline unless an earlier one with this name is pending. */
  void setIfEarlier(String name, long at, TimerService timers) throws Exception {
    Long old = deadlines.get(name);
    if (old == null || at < old) {
      set(name, at, timers);
    }
  }

  void cancel(String name, TimerService timers) throws Exception {
    Long old = deadlines.get(name);
    if (old == null) {
      return;
    }
    deadlines.remove(name);
    waits.remove(name);
    if (!inUse(old)) {
      timers.deleteProcessingTimeTimer(old);
    }
  }

  /**
   * Whether the deadline is set and has passed; a due deadline is removed. One set before this run
   * started and not yet a full wait into it is moved instead (see the class comment).
   */
  boolean takeIfDue(String name, long now, TimerService timers) throws Exception {
    Long at = deadlines.get(name);
    if (at == null || at > now) {
      return false;
    }
    Long wait = waits.get(name);
    if (wait != null && run.at() != Long.MIN_VALUE && at < run.at() + wait) {
      set(name, run.at() + wait, timers);
      waits.put(name, wait);
      return false;
    }
    deadlines.remove(name);
    waits.remove(name);
    return true;
  }

  boolean isSet(String name) throws Exception {
    return deadlines.contains(name);
  }

  void clearAll(TimerService timers) throws Exception {
    for (Long at : deadlines.values()) {
      timers.deleteProcessingTimeTimer(at);
    }
    deadlines.clear();
    waits.clear();
  }

  private boolean inUse(long at) throws Exception {
    for (Long v : deadlines.values()) {
      if (v == at) {
        return true;
      }
    }
    return false;
  }
}
