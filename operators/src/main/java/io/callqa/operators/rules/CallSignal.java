package io.callqa.operators.rules;

import io.callqa.schemas.Alert;
import io.callqa.schemas.CallEvent;
import io.callqa.schemas.Channel;
import io.callqa.schemas.ChannelProgress;
import io.callqa.schemas.ChannelReport;
import io.callqa.schemas.Utterance;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the rules operators exchange about one call, in one envelope keyed by {@code callId}:
 * an utterance (tagged with the intents found in it), a call event, a channel report, a channel
 * progress marker, an alert, or a CEP match that still needs its episode number.
 *
 * <p>A Flink POJO (public fields, no-arg constructor); the Avro records inside are serialized with
 * Flink's Avro serializer, nothing goes through Kryo.
 */
public class CallSignal {

  /** What the envelope holds. */
  public enum Kind {
    UTTERANCE,
    CALL_EVENT,
    CHANNEL_REPORT,
    /** A finished alert (id and episode assigned), sent to the analyzer to be counted. */
    ALERT,
    /** A CEP match: an alert draft without id/episode, plus its {@link #dedupeKey}. */
    MATCH,
    /**
     * The slotter's progress on one channel (consumed by the call sequencer, not passed on). Last,
     * so the ordinals of the kinds in existing state stay what they were.
     */
    CHANNEL_PROGRESS
  }

  public Kind kind;
  public String tenant;
  public String callId;

  public Utterance utterance;
  public CallEvent callEvent;
  public ChannelReport channelReport;
  public ChannelProgress channelProgress;
  public Alert alert;

  /** For MATCH: one alert per (rule, dedupeKey) per call; later matches with it are suppressed. */
  public String dedupeKey;

  /** Intents found in the utterance's text (sorted), and the phrase that matched each. */
  public List<String> intents = new ArrayList<>();

  public List<String> intentPhrases = new ArrayList<>();

  /**
   * For angry customer utterances (emotion ANGRY, or the words of one of anger_escalation's {@code
   * angerIntents}, explicit anger the emotion model may miss): the 0-based number of the run of
   * consecutive angry customer utterances it belongs to (an anger episode); -1 otherwise.
   */
  public int angerRun = -1;

  /** Whether the call sequencer tagged this utterance (intents, anger run). */
  public boolean sequenced;

  /** Call time of the signal: utterance end, event time, channel end, marker's cutUpToMs. */
  public long callTimeMs;

  /** Wall clock when the record entered the rules operators. */
  public long arrivedAtEpochMs;

  /** Sequencer bookkeeping: processing time when it started waiting in the sequencer. */
  public long heldSinceMs;

  /**
   * Sequencer bookkeeping: the Kafka record time it came with (Long.MIN_VALUE when none), to tell a
   * backlog still being read from a dead source.
   */
  public long recordTimeMs = Long.MIN_VALUE;

  /**
   * The sequencer's watermark when it passed the signal on: how far the Kafka sources had been read
   * (Long.MIN_VALUE when unknown). The call analyzer's own watermark cannot say: it also follows
   * the CEP clock, which runs behind the wall clock after an outage.
   */
  public long sourceWatermarkMs = Long.MIN_VALUE;

  public CallSignal() {}

  public static CallSignal ofUtterance(Utterance u, long arrivedAtEpochMs) {
    CallSignal s = base(Kind.UTTERANCE, u.getTenant(), u.getCallId(), arrivedAtEpochMs);
    s.utterance = u;
    s.callTimeMs = u.getEndMs();
    return s;
  }

  public static CallSignal ofCallEvent(CallEvent e, long arrivedAtEpochMs) {
    CallSignal s = base(Kind.CALL_EVENT, e.getTenant(), e.getCallId(), arrivedAtEpochMs);
    s.callEvent = e;
    s.callTimeMs = e.getAtMs();
    return s;
  }

  public static CallSignal ofChannelReport(ChannelReport r, long arrivedAtEpochMs) {
    CallSignal s = base(Kind.CHANNEL_REPORT, r.getTenant(), r.getCallId(), arrivedAtEpochMs);
    s.channelReport = r;
    s.callTimeMs = r.getEndMs();
    return s;
  }

  public static CallSignal ofChannelProgress(ChannelProgress p, long arrivedAtEpochMs) {
    CallSignal s = base(Kind.CHANNEL_PROGRESS, p.getTenant(), p.getCallId(), arrivedAtEpochMs);
    s.channelProgress = p;
    s.callTimeMs = p.getCutUpToMs();
    return s;
  }

  public static CallSignal ofAlert(Alert a) {
    CallSignal s = base(Kind.ALERT, a.getTenant(), a.getCallId(), a.getEmittedAtEpochMs());
    s.alert = a;
    s.callTimeMs = a.getAtMs();
    return s;
  }

  public static CallSignal ofMatch(Alert draft, String dedupeKey) {
    CallSignal s = base(Kind.MATCH, draft.getTenant(), draft.getCallId(), 0);
    s.alert = draft;
    s.dedupeKey = dedupeKey;
    s.callTimeMs = draft.getAtMs();
    return s;
  }

  private static CallSignal base(Kind kind, String tenant, String callId, long arrivedAt) {
    CallSignal s = new CallSignal();
    s.kind = kind;
    s.tenant = tenant;
    s.callId = callId;
    s.arrivedAtEpochMs = arrivedAt;
    return s;
  }

  /** The channel of an utterance, channel report or progress marker, else null. */
  public Channel channel() {
    if (utterance != null) {
      return utterance.getChannel();
    }
    if (channelProgress != null) {
      return channelProgress.getChannel();
    }
    return channelReport != null ? channelReport.getChannel() : null;
  }

  public boolean isUtterance() {
    return kind == Kind.UTTERANCE;
  }

  public boolean isCallEvent() {
    return kind == Kind.CALL_EVENT;
  }

  public boolean hasIntent(String intent) {
    return intents != null && intents.contains(intent);
  }

  /** The phrase that matched {@code intent}, or "". */
  public String phraseOf(String intent) {
    int i = intents == null ? -1 : intents.indexOf(intent);
    return i >= 0 && intentPhrases != null && i < intentPhrases.size() ? intentPhrases.get(i) : "";
  }

  /**
   * Wall clock when the utterance's audio finished arriving: when it entered the rules minus the
   * time the pipeline spent on it before ({@code processingLatencyMs}). 0 when unknown.
   */
  public long triggerArrivedAtEpochMs() {
    if (arrivedAtEpochMs <= 0) {
      return 0;
    }
    long latency = utterance != null ? Math.max(0, utterance.getProcessingLatencyMs()) : 0;
    return arrivedAtEpochMs - latency;
  }

  @Override
  public String toString() {
    String what;
    switch (kind) {
      case UTTERANCE:
        what =
            utterance.getUtteranceId()
                + " "
                + utterance.getStartMs()
                + ".."
                + utterance.getEndMs()
                + " "
                + utterance.getEmotion()
                + " \""
                + utterance.getText()
                + "\" "
                + intents;
        break;
      case CALL_EVENT:
        what = callEvent.getType() + "@" + callEvent.getAtMs();
        break;
      case CHANNEL_REPORT:
        what = channelReport.getChannel() + " closed@" + channelReport.getEndMs();
        break;
      case CHANNEL_PROGRESS:
        what =
            channelProgress.getChannel()
                + " "
                + channelProgress.getSlotsCut()
                + " slots, cut up to "
                + channelProgress.getCutUpToMs();
        break;
      default:
        what = alert == null ? "" : alert.getRule() + "@" + alert.getAtMs() + " " + dedupeKey;
    }
    return "CallSignal{" + kind + " " + callId + " " + what + "}";
  }
}
