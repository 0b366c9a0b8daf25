package io.callqa.operators.rules;

import io.callqa.schemas.CallEvent;
import io.callqa.schemas.CallEventType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Silences of a call: stretches with no speech on any channel between two pieces of speech, minus
 * the time the call was on hold. Shared by {@code dead_air} and the summary's silence figures.
 * Leading silence (before the first speech) and trailing silence (after the last) are not counted:
 * ringing, IVR prompts and hang-up are not the agent's silence.
 */
public final class SpeechGaps {
  private SpeechGaps() {}

  /** A silence [startMs, endMs) with the speech right before and right after it. */
  public record Gap(long startMs, long endMs, CallSignal before, CallSignal after) {
    public long lengthMs() {
      return endMs - startMs;
    }
  }

  /** [start, end) intervals the call was on hold; a hold never ended lasts to {@code Long.MAX}. */
  public static List<long[]> holds(List<CallEvent> events) {
    List<CallEvent> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparingLong(CallEvent::getAtMs));
    List<long[]> out = new ArrayList<>();
    long openedAt = -1;
    for (CallEvent e : sorted) {
      if (e.getType() == CallEventType.HOLD_START && openedAt < 0) {
        openedAt = e.getAtMs();
      } else if (e.getType() == CallEventType.HOLD_END && openedAt >= 0) {
        out.add(new long[] {openedAt, e.getAtMs()});
        openedAt = -1;
      }
    }
    if (openedAt >= 0) {
      out.add(new long[] {openedAt, Long.MAX_VALUE});
    }
    return out;
  }

  /**
   * The silences that end at or before {@code confirmedUntil} (call time up to which every
   * channel's speech is known), split around holds, in call-time order.
   */
  public static List<Gap> find(
      List<CallSignal> utterances, List<long[]> holds, long confirmedUntil) {
    List<CallSignal> speech = new ArrayList<>();
    for (CallSignal s : utterances) {
      if (s.utterance != null && Speech.isSpeech(s.utterance)) {
        speech.add(s);
      }
    }
    speech.sort(
        Comparator.comparingLong((CallSignal s) -> s.utterance.getStartMs())
            .thenComparingLong(s -> s.utterance.getEndMs()));
    List<Gap> out = new ArrayList<>();
    if (speech.isEmpty()) {
      return out;
    }
    CallSignal last = speech.get(0);
    long coveredTo = last.utterance.getEndMs();
    for (int i = 1; i < speech.size(); i++) {
      CallSignal next = speech.get(i);
      long start = next.utterance.getStartMs();
      if (start > confirmedUntil) {
        break;
      }
      if (start > coveredTo) {
        for (long[] piece : minus(coveredTo, start, holds)) {
          out.add(new Gap(piece[0], piece[1], last, next));
        }
      }
      if (next.utterance.getEndMs() > coveredTo) {
        coveredTo = next.utterance.getEndMs();
        last = next;
      }
    }
    return out;
  }

  /** The parts of [from, to) not covered by any of {@code holds}. */
  static List<long[]> minus(long from, long to, List<long[]> holds) {
    List<long[]> pieces = new ArrayList<>();
    pieces.add(new long[] {from, to});
    for (long[] h : holds) {
      List<long[]> next = new ArrayList<>();
      for (long[] p : pieces) {
        if (h[1] <= p[0] || h[0] >= p[1]) {
          next.add(p);
          continue;
        }
        if (h[0] > p[0]) {
          next.add(new long[] {p[0], h[0]});
        }
        if (h[1] < p[1]) {
          next.add(new long[] {h[1], p[1]});
        }
      }
      pieces = next;
    }
    return pieces;
  }
}
