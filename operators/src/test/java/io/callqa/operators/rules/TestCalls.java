package io.callqa.operators.rules;

import io.callqa.schemas.CallEvent;
import io.callqa.schemas.CallEventType;
import io.callqa.schemas.Channel;
import io.callqa.schemas.ChannelProgress;
import io.callqa.schemas.ChannelReport;
import io.callqa.schemas.Coverage;
import io.callqa.schemas.Utterance;
import io.callqa.schemas.UtteranceStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/** Hand-built calls for the rules tests: utterances, events and reports of one call id. */
final class TestCalls {
  static final String TENANT = "acme";
  static final Instant STARTED_AT = Instant.parse("2026-11-21T09:00:00Z");

  static final RulesConfig RULES = RulesLoader.defaults();

  private TestCalls() {}

  /** A call being built; slot indexes count per channel. */
  static final class Call {
    final String id;
    private final int[] nextSlot = new int[3];
    final List<Utterance> utterances = new ArrayList<>();

    Call(String id) {
      this.id = id;
    }

    Utterance agent(long startMs, long endMs, String text) {
      return say(Channel.AGENT, startMs, endMs, text, "NEUTRAL", "zh");
    }

    Utterance customer(long startMs, long endMs, String text) {
      return say(Channel.CUSTOMER, startMs, endMs, text, "NEUTRAL", "zh");
    }

    Utterance angry(long startMs, long endMs, String text) {
      return say(Channel.CUSTOMER, startMs, endMs, text, "ANGRY", "zh");
    }

    Utterance say(Channel ch, long startMs, long endMs, String text, String emotion, String lang) {
      int slot = nextSlot[ch.ordinal()]++;
      Utterance u =
          Utterance.newBuilder()
              .setUtteranceId(id + "/" + ch + "/" + slot)
              .setTenant(TENANT)
              .setCallId(id)
              .setChannel(ch)
              .setSlotIndex(slot)
              .setStartMs(startMs)
              .setEndMs(endMs)
              .setText(text)
              .setLanguage(lang)
              .setEmotion(emotion)
              .setEvent(text.isEmpty() ? "BGM" : "Speech")
              .setConfidence(0.9f)
              .setStatus(UtteranceStatus.OK)
              .setAgentId("agent-7")
              .setStartedAt(STARTED_AT)
              .setProcessingLatencyMs(200)
              .build();
      utterances.add(u);
      return u;
    }

    Utterance failed(Channel ch, long startMs, long endMs) {
      Utterance u = say(ch, startMs, endMs, "", "", "");
      Utterance f =
          Utterance.newBuilder(u)
              .setStatus(UtteranceStatus.FAILED)
              .setError("boom")
              .setEvent("")
              .build();
      utterances.set(utterances.size() - 1, f);
      return f;
    }

    CallEvent event(CallEventType type, long atMs) {
      return CallEvent.newBuilder()
          .setTenant(TENANT)
          .setCallId(id)
          .setType(type)
          .setAtMs(atMs)
          .setAttributes(new HashMap<>())
          .build();
    }

    ChannelReport report(Channel ch, long endMs) {
      long slots = utterances.stream().filter(u -> u.getChannel() == ch).count();
      return ChannelReport.newBuilder()
          .setTenant(TENANT)
          .setCallId(id)
          .setChannel(ch)
          .setClosedBy("LAST_CHUNK")
          .setEndMs(endMs)
          .setCoverage(
              Coverage.newBuilder()
                  .setChunksReceived(endMs / 20)
                  .setAudioMsReceived(endMs)
                  .setSlotsCut(slots)
                  .build())
          .build();
    }
  }

  /**
   * A slotter progress marker: {@code slotsCut} slots emitted, all ending ≤ cutUpToMs among them.
   */
  static ChannelProgress progress(String callId, Channel ch, long slotsCut, long cutUpToMs) {
    return ChannelProgress.newBuilder()
        .setTenant(TENANT)
        .setCallId(callId)
        .setChannel(ch)
        .setSlotsCut(slotsCut)
        .setCutUpToMs(cutUpToMs)
        .build();
  }

  /**
   * Valid progress markers for the role channels of {@code utterances} (one call), every {@code
   * everyMs} of call time up to {@code endMs}: as the slotter would send them, every slot ending by
   * then counted.
   */
  static List<ChannelProgress> markers(List<Utterance> utterances, long everyMs, long endMs) {
    List<ChannelProgress> out = new ArrayList<>();
    for (Channel ch : List.of(Channel.AGENT, Channel.CUSTOMER)) {
      List<Utterance> mine = utterances.stream().filter(u -> u.getChannel() == ch).toList();
      if (mine.isEmpty()) {
        continue;
      }
      for (long t = everyMs; t <= endMs; t += everyMs) {
        long upTo = t;
        long cut = mine.stream().filter(u -> u.getEndMs() <= upTo).count();
        Utterance first = mine.get(0);
        out.add(
            ChannelProgress.newBuilder()
                .setTenant(first.getTenant())
                .setCallId(first.getCallId())
                .setChannel(ch)
                .setSlotsCut(cut)
                .setCutUpToMs(upTo)
                .build());
      }
    }
    return out;
  }

  static CallSignal signal(ChannelProgress p) {
    return CallSignal.ofChannelProgress(p, 1_000_000);
  }

  static CallSignal signal(Utterance u) {
    return CallSignal.ofUtterance(u, 1_000_000);
  }

  static CallSignal signal(CallEvent e) {
    return CallSignal.ofCallEvent(e, 1_000_000);
  }

  static CallSignal signal(ChannelReport r) {
    return CallSignal.ofChannelReport(r, 1_000_000);
  }

  /** An utterance as the sequencer emits it: intents tagged, anger run set by the caller. */
  static CallSignal tagged(Utterance u) {
    CallSignal s = signal(u);
    IntentMatcher m = IntentMatcher.of(RULES);
    for (IntentMatcher.Match x : m.match(u.getText())) {
      s.intents.add(x.intent());
      s.intentPhrases.add(x.phrase());
    }
    return s;
  }

  static CallSignal tagged(Utterance u, int angerRun) {
    CallSignal s = tagged(u);
    s.angerRun = angerRun;
    return s;
  }
}
