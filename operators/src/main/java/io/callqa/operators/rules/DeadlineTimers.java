package io.callqa.operators.rules;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * Named processing-time deadlines of one call (idle, grace, …), each backed by one Flink timer.
 * Moving a deadline deletes its old timer unless another deadline shares it, and {@link #clearAll}
 * deletes them all, so a finished call leaves no timer behind.
 */
final class DeadlineTimers {
  private final MapState<String, Long> deadlines;

  DeadlineTimers(RuntimeContext ctx, String prefix) {
    deadlines =
        ctx.getMapState(new MapStateDescriptor<>(prefix + "-deadlines", Types.STRING, Types.LONG));
  }

  void set(String name, long at, TimerService timers) throws Exception {
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
    if (!inUse(old)) {
      timers.deleteProcessingTimeTimer(old);
    }
  }

  /** Whether the deadline is set and has passed; a due deadline is removed. */
  boolean takeIfDue(String name, long now) throws Exception {
    Long at = deadlines.get(name);
    if (at != null && at <= now) {
      deadlines.remove(name);
      return true;
    }
    return false;
  }

  boolean isSet(String name) throws Exception {
    return deadlines.contains(name);
  }

  void clearAll(TimerService timers) throws Exception {
    for (Long at : deadlines.values()) {
      timers.deleteProcessingTimeTimer(at);
    }
    deadlines.clear();
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
