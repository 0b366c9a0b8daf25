package io.callqa.operators.rules;

import io.callqa.schemas.CallEvent;
import io.callqa.schemas.CallEventType;
import io.callqa.schemas.CallSummary;
import io.callqa.schemas.Channel;
import io.callqa.schemas.Utterance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The figures of a call summary, computed from all of a call's utterances and call events once the
 * call is over (definitions in docs/rules.md, "Call summary").
 */
public final class CallStatistics {
  /** Tie-break order for dominant emotions: the ones a supervisor should see first win ties. */
  static final List<String> EMOTION_ORDER =
      List.of("ANGRY", "DISGUSTED", "FEARFUL", "SAD", "SURPRISED", "HAPPY", "NEUTRAL");

  public static final String NO_EMOTION = "NONE";

  private final RulesConfig config;
  private final List<CallSignal> utterances;
  private final List<CallEvent> events;
  private final long durationMs;

  private final String requestIntent;
  private final String transferIntent;
  private final Set<CallEventType> transferEvents;
  private final long honorWithinMs;

  public CallStatistics(
      RulesConfig config, List<CallSignal> utterances, List<CallEvent> events, long durationMs) {
    this.config = config;
    this.utterances = new ArrayList<>(utterances);
    this.utterances.sort(
        Comparator.comparingLong((CallSignal s) -> s.utterance.getStartMs())
            .thenComparing(s -> s.utterance.getChannel())
            .thenComparingInt(s -> s.utterance.getSlotIndex()));
    this.events = new ArrayList<>(events);
    this.events.sort(Comparator.comparingLong(CallEvent::getAtMs));
    this.durationMs = Math.max(0, durationMs);
    RuleSpec forced = config.rule(BuiltInRule.FORCED_TRANSFER.id()).orElse(null);
    this.requestIntent = forced != null ? forced.string("requestIntent") : "customer_request_human";
    this.transferIntent = forced != null ? forced.string("transferIntent") : "agent_transfer";
    this.honorWithinMs = forced != null ? forced.millis("honorWithinMs") : 30_000;
    this.transferEvents = EnumSet.noneOf(CallEventType.class);
    if (forced != null) {
      forced.strings("honoringEvents").forEach(t -> transferEvents.add(CallEventType.valueOf(t)));
    } else {
      transferEvents.add(CallEventType.TRANSFERRED);
      transferEvents.add(CallEventType.BOT_TO_AGENT);
    }
  }

  /** The call's utterances in start-time order. */
  public List<CallSignal> utterances() {
    return utterances;
  }

  /** Fills the summary's figures (everything but identity, alerts, score and coverage). */
  public void fill(CallSummary.Builder b) {
    b.setDurationMs(durationMs);
    b.setUtterances(utterances.size());

    Map<String, Long> talk = new TreeMap<>();
    Map<String, Long> transcriptMs = new TreeMap<>();
    Map<String, Integer> tokens = new TreeMap<>();
    Map<String, Integer> counts = new TreeMap<>();
    Map<String, Long> languageMs = new HashMap<>();
    for (CallSignal s : utterances) {
      Utterance u = s.utterance;
      String ch = u.getChannel().name();
      long len = Math.max(0, u.getEndMs() - u.getStartMs());
      counts.merge(ch, 1, Integer::sum);
      if (Speech.isSpeech(u)) {
        talk.merge(ch, len, Long::sum);
      }
      if (Speech.hasTranscript(u)) {
        transcriptMs.merge(ch, len, Long::sum);
        tokens.merge(ch, TextTokens.count(u.getText()), Integer::sum);
        String lang = u.getLanguage() == null ? "" : u.getLanguage().toLowerCase(Locale.ROOT);
        if (!lang.isBlank() && !lang.equals("nospeech")) {
          languageMs.merge(lang, len, Long::sum);
        }
      }
    }
    b.setTalkMsByRole(new HashMap<>(talk));
    Map<String, Double> ratio = new HashMap<>();
    talk.forEach(
        (ch, ms) -> ratio.put(ch, durationMs > 0 ? round(ms / (double) durationMs, 3) : 0.0));
    b.setTalkRatioByRole(ratio);
    Map<String, Double> rate = new HashMap<>();
    transcriptMs.forEach(
        (ch, ms) -> rate.put(ch, ms > 0 ? round(tokens.get(ch) * 60_000.0 / ms, 1) : 0.0));
    b.setSpeechRateByRole(rate);
    b.setUtterancesByRole(new HashMap<>(counts));
    List<String> languages =
        languageMs.entrySet().stream()
            .sorted(
                Map.Entry.<String, Long>comparingByValue()
                    .reversed()
                    .thenComparing(Map.Entry.comparingByKey()))
            .map(Map.Entry::getKey)
            .toList();
    b.setLanguages(new ArrayList<>(languages));
    b.setLanguage(languages.isEmpty() ? "" : languages.get(0));

    List<long[]> holds = SpeechGaps.holds(events);
    long silence = 0;
    long longest = 0;
    for (SpeechGaps.Gap g : SpeechGaps.find(utterances, holds, Long.MAX_VALUE)) {
      silence += g.lengthMs();
      longest = Math.max(longest, g.lengthMs());
    }
    b.setSilenceMs(silence);
    b.setLongestSilenceMs(longest);
    long holdMs = 0;
    for (long[] h : holds) {
      holdMs += Math.max(0, Math.min(h[1], Math.max(durationMs, h[0])) - h[0]);
    }
    b.setHoldCount(holds.size());
    b.setHoldMs(holdMs);

    long[] overtalk = overtalk();
    b.setOvertalkCount((int) overtalk[0]);
    b.setOvertalkMs(overtalk[1]);
    b.setCustomerEmotionByQuarter(emotionByQuarter());

    List<CallEvent> transfers =
        events.stream().filter(e -> transferEvents.contains(e.getType())).toList();
    b.setTransferCount(transfers.size());
    Long firstTransfer = transfers.isEmpty() ? null : transfers.get(0).getAtMs();
    b.setFirstTransferAtMs(firstTransfer);
    List<CallSignal> requests = humanRequests();
    b.setHumanRequests(requests.size());
    b.setHumanRequestsBeforeTransfer(
        firstTransfer == null
            ? null
            : (int) requests.stream().filter(r -> r.utterance.getEndMs() <= firstTransfer).count());
    b.setUnhonoredHumanRequests((int) requests.stream().filter(r -> !honored(r)).count());
  }

  private List<CallSignal> humanRequests() {
    return utterances.stream()
        .filter(s -> s.utterance.getChannel() == Channel.CUSTOMER && s.hasIntent(requestIntent))
        .toList();
  }

  /** A transfer event or an agent transfer phrase after the request, within the honor window. */
  private boolean honored(CallSignal request) {
    long from = request.utterance.getStartMs();
    long to = request.utterance.getEndMs() + honorWithinMs;
    for (CallEvent e : events) {
      if (transferEvents.contains(e.getType()) && e.getAtMs() > from && e.getAtMs() <= to) {
        return true;
      }
    }
    for (CallSignal s : utterances) {
      Utterance u = s.utterance;
      if (u.getChannel() == Channel.AGENT
          && s.hasIntent(transferIntent)
          && u.getEndMs() > from
          && u.getEndMs() <= to) {
        return true;
      }
    }
    return false;
  }

  /** [count, total overlap ms] of agent utterances that talked over the customer. */
  long[] overtalk() {
    RuleSpec rule = config.rule(BuiltInRule.OVERTALK.id()).orElse(null);
    long speaking = rule != null ? rule.millis("customerSpeakingMs") : 1_000;
    long minOverlap = rule != null ? rule.millis("minOverlapMs") : 1_000;
    long count = 0;
    long ms = 0;
    for (CallSignal a : utterances) {
      Utterance au = a.utterance;
      if (au.getChannel() != Channel.AGENT || !Speech.isSpeech(au)) {
        continue;
      }
      long best = -1;
      for (CallSignal c : utterances) {
        Utterance cu = c.utterance;
        if (cu.getChannel() == Channel.CUSTOMER && Speech.isSpeech(cu)) {
          best =
              Math.max(
                  best,
                  Overtalk.overlap(
                      au.getStartMs(),
                      au.getEndMs(),
                      cu.getStartMs(),
                      cu.getEndMs(),
                      speaking,
                      minOverlap));
        }
      }
      if (best >= 0) {
        count++;
        ms += best;
      }
    }
    return new long[] {count, ms};
  }

  /** The customer's dominant emotion per quarter of the call (MIXED recordings: the speaker's). */
  List<String> emotionByQuarter() {
    boolean hasCustomer =
        utterances.stream().anyMatch(s -> s.utterance.getChannel() == Channel.CUSTOMER);
    Channel who = hasCustomer ? Channel.CUSTOMER : Channel.MIXED;
    List<String> out = new ArrayList<>();
    for (int q = 0; q < 4; q++) {
      long qs = durationMs * q / 4;
      long qe = durationMs * (q + 1) / 4;
      Map<String, Long> ms = new LinkedHashMap<>();
      for (CallSignal s : utterances) {
        Utterance u = s.utterance;
        String emotion = u.getEmotion() == null ? "" : u.getEmotion().toUpperCase(Locale.ROOT);
        if (u.getChannel() != who
            || !Speech.hasTranscript(u)
            || emotion.isBlank()
            || emotion.equals("EMO_UNKNOWN")) {
          continue;
        }
        long overlap = Math.min(qe, u.getEndMs()) - Math.max(qs, u.getStartMs());
        if (overlap > 0) {
          ms.merge(emotion, overlap, Long::sum);
        }
      }
      out.add(
          ms.entrySet().stream()
              .max(
                  Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue)
                      .thenComparing(e -> -emotionRank(e.getKey())))
              .map(Map.Entry::getKey)
              .orElse(NO_EMOTION));
    }
    return out;
  }

  private static int emotionRank(String e) {
    int i = EMOTION_ORDER.indexOf(e);
    return i >= 0 ? i : EMOTION_ORDER.size();
  }

  /** Whether a rule could have fired on this call: scorecard items that cannot are NA. */
  public boolean applies(RuleSpec rule) {
    BuiltInRule b = rule.builtIn();
    if (b == null || b.kind() == RuleKind.PHRASE) {
      return utterances.stream()
          .anyMatch(
              s -> Speech.hasTranscript(s.utterance) && rule.covers(s.utterance.getChannel()));
    }
    switch (b) {
      case ANGER_ESCALATION:
        return hasTranscript(Channel.CUSTOMER);
      case FORCED_TRANSFER:
        return !humanRequests().isEmpty();
      case MISSING_GREETING:
      case MISSING_CLOSING:
        return hasTranscript(Channel.AGENT);
      case OVERTALK:
        return hasSpeech(Channel.AGENT) && hasSpeech(Channel.CUSTOMER);
      case DEAD_AIR:
      case PII_SPOKEN:
      default:
        return utterances.stream().anyMatch(s -> Speech.isSpeech(s.utterance));
    }
  }

  private boolean hasTranscript(Channel c) {
    return utterances.stream()
        .anyMatch(s -> s.utterance.getChannel() == c && Speech.hasTranscript(s.utterance));
  }

  private boolean hasSpeech(Channel c) {
    return utterances.stream()
        .anyMatch(s -> s.utterance.getChannel() == c && Speech.isSpeech(s.utterance));
  }

  static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }
}
