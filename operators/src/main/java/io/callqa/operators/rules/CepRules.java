package io.callqa.operators.rules;

import io.callqa.schemas.Alert;
import io.callqa.schemas.CallEventType;
import io.callqa.schemas.Channel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.functions.TimedOutPartialMatchHandler;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

/**
 * The two Flink CEP rules, {@code anger_escalation} and {@code forced_transfer}: their input
 * filters, patterns, match functions, and the clock the CEP operators run on.
 *
 * <p>Input: the sequencer's {@link RulesStreams#ORDERED} output, where each call's utterances and
 * honoring events come in call-time order (bounded out-of-orderness between channels is resolved
 * per call there). Windows are checked exactly in call time (utterance end times) inside the
 * conditions; the Flink {@code within} adds {@code cepWindowSlackMs} and only bounds how long a
 * partial match can hold state. Matches become {@link CallSignal.Kind#MATCH} signals; the call
 * analyzer numbers them and suppresses repeats (once per anger run, once per call for forced
 * transfers).
 */
public final class CepRules {
  private CepRules() {}

  // ------------------------------------------------------------------ anger_escalation

  /** Customer and agent utterances with text: what the anger pattern looks at. */
  public static boolean isAngerInput(CallSignal s) {
    return s.isUtterance()
        && Speech.hasTranscript(s.utterance)
        && s.utterance.getChannel() != Channel.MIXED;
  }

  /**
   * {@code consecutive} angry customer utterances, agent utterances allowed in between, no calm
   * customer utterance in between (strict contiguity), the last within {@code windowMs} of the
   * first.
   */
  public static Pattern<CallSignal, CallSignal> angerPattern(RuleSpec rule, long slackMs) {
    int n = rule.integer("consecutive");
    long window = rule.millis("windowMs");
    Pattern<CallSignal, CallSignal> p =
        Pattern.<CallSignal>begin("angry0", AfterMatchSkipStrategy.skipPastLastEvent())
            .where(new CustomerAngry());
    for (int i = 1; i < n; i++) {
      p =
          p.next("agent" + i)
              .where(new AgentUtterance())
              .oneOrMore()
              .consecutive()
              .optional()
              .next("angry" + i)
              .where(new CustomerAngryWithin(window));
    }
    return p.within(Duration.ofMillis(window + slackMs));
  }

  static final class CustomerAngry extends SimpleCondition<CallSignal> {
    @Override
    public boolean filter(CallSignal s) {
      return s.isUtterance()
          && s.utterance.getChannel() == Channel.CUSTOMER
          // the sequencer numbered its anger run (emotion or angry words, not polite ones);
          // ANGRY alone for input that did not pass the sequencer
          && (s.sequenced ? s.angerRun >= 0 : Speech.isAngry(s.utterance));
    }
  }

  static final class AgentUtterance extends SimpleCondition<CallSignal> {
    @Override
    public boolean filter(CallSignal s) {
      return s.isUtterance() && s.utterance.getChannel() == Channel.AGENT;
    }
  }

  static final class CustomerAngryWithin extends IterativeCondition<CallSignal> {
    private final long windowMs;

    CustomerAngryWithin(long windowMs) {
      this.windowMs = windowMs;
    }

    @Override
    public boolean filter(CallSignal s, Context<CallSignal> ctx) throws Exception {
      if (!new CustomerAngry().filter(s)) {
        return false;
      }
      CallSignal first = firstOf(ctx.getEventsForPattern("angry0"));
      return first != null && s.callTimeMs - first.callTimeMs <= windowMs;
    }
  }

  /** Turns anger matches into alert drafts; counts timed-out partial matches. */
  public static final class AngerEscalationFunction
      extends PatternProcessFunction<CallSignal, CallSignal>
      implements TimedOutPartialMatchHandler<CallSignal> {
    private static final long serialVersionUID = 1L;

    private final RulesConfig config;
    private final RuleSpec rule;
    private transient Counter timedOut;

    public AngerEscalationFunction(RulesConfig config, RuleSpec rule) {
      this.config = config;
      this.rule = rule;
    }

    @Override
    public void open(OpenContext openContext) {
      timedOut = getRuntimeContext().getMetricGroup().counter("angerPartialMatchesTimedOut");
    }

    @Override
    public void processMatch(
        Map<String, List<CallSignal>> match, Context ctx, Collector<CallSignal> out) {
      int n = rule.integer("consecutive");
      List<CallSignal> angry = new ArrayList<>();
      List<CallSignal> agents = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        angry.addAll(match.getOrDefault("angry" + i, List.of()));
        agents.addAll(match.getOrDefault("agent" + i, List.of()));
      }
      CallSignal first = angry.get(0);
      CallSignal last = angry.get(angry.size() - 1);
      String banned = rule.string("bannedIntent");
      String empathy = rule.string("empathyIntent");
      boolean agentBanned = agents.stream().anyMatch(a -> a.hasIntent(banned));
      boolean agentEmpathy = agents.stream().anyMatch(a -> a.hasIntent(empathy));
      boolean escalated = agentBanned || !agentEmpathy;
      long seconds = Math.round((last.callTimeMs - first.callTimeMs) / 1000.0);
      String message =
          "Customer angry in "
              + n
              + " consecutive utterances within "
              + seconds
              + " s"
              + (agentBanned
                  ? "; the agent said a banned phrase in between"
                  : agentEmpathy ? "" : "; no agent empathy in between");
      Alert.Builder b =
          Alerts.draft(config, rule, last.tenant, last.callId, last.callTimeMs, message, last);
      if (escalated) {
        b.setSeverity(rule.severityParam("escalatedSeverity").wireName());
      }
      List<CallSignal> all = new ArrayList<>(angry);
      all.addAll(agents);
      b.setEvidence(Alerts.evidence(all));
      b.getDetails().put("firstAtMs", Long.toString(first.callTimeMs));
      b.getDetails().put("spanMs", Long.toString(last.callTimeMs - first.callTimeMs));
      b.getDetails().put("agentEmpathy", Boolean.toString(agentEmpathy));
      b.getDetails().put("agentBanned", Boolean.toString(agentBanned));
      b.getDetails().put("angerRun", Integer.toString(first.angerRun));
      out.collect(CallSignal.ofMatch(b.build(), "run-" + first.angerRun));
    }

    @Override
    public void processTimedOutMatch(Map<String, List<CallSignal>> match, Context ctx) {
      // a lone angry utterance (or a run that never had two within the window): no alert; the
      // partial match's state is freed by the timeout
      if (timedOut != null) {
        timedOut.inc();
      }
    }
  }

  // ------------------------------------------------------------------ forced_transfer

  /** Requests for a human, deflections and honoring events: what the pattern looks at. */
  public static boolean isForcedTransferInput(CallSignal s, RuleSpec rule) {
    return Request.of(rule).filter(s) || Deflection.of(rule).filter(s) || Honor.of(rule).filter(s);
  }

  /**
   * A customer request for a human, then only repeated requests or agent deflections (strict
   * contiguity: an honoring event in between breaks the match), then a request within {@code
   * windowMs} of the first that proves the first was not honored: a deflection came in between, or
   * more than {@code honorWithinMs} passed.
   */
  public static Pattern<CallSignal, CallSignal> forcedTransferPattern(RuleSpec rule, long slackMs) {
    long window = rule.millis("windowMs");
    return Pattern.<CallSignal>begin("first", AfterMatchSkipStrategy.skipPastLastEvent())
        .where(Request.of(rule))
        .next("between")
        .where(new NotHonored(rule))
        .oneOrMore()
        .consecutive()
        .optional()
        .next("second")
        .where(new SecondRequest(rule))
        .within(Duration.ofMillis(window + slackMs));
  }

  static final class Request extends SimpleCondition<CallSignal> {
    private final String intent;

    Request(String intent) {
      this.intent = intent;
    }

    static Request of(RuleSpec rule) {
      return new Request(rule.string("requestIntent"));
    }

    @Override
    public boolean filter(CallSignal s) {
      return s.isUtterance() && s.utterance.getChannel() == Channel.CUSTOMER && s.hasIntent(intent);
    }
  }

  static final class Deflection extends SimpleCondition<CallSignal> {
    private final String deflect;
    private final String transfer;

    Deflection(String deflect, String transfer) {
      this.deflect = deflect;
      this.transfer = transfer;
    }

    static Deflection of(RuleSpec rule) {
      return new Deflection(rule.string("deflectIntent"), rule.string("transferIntent"));
    }

    @Override
    public boolean filter(CallSignal s) {
      return s.isUtterance()
          && s.utterance.getChannel() == Channel.AGENT
          && s.hasIntent(deflect)
          && !s.hasIntent(transfer);
    }
  }

  static final class Honor extends SimpleCondition<CallSignal> {
    private final String transfer;
    private final Set<CallEventType> events;

    Honor(String transfer, Set<CallEventType> events) {
      this.transfer = transfer;
      this.events = events;
    }

    static Honor of(RuleSpec rule) {
      Set<CallEventType> events = new HashSet<>();
      rule.strings("honoringEvents").forEach(t -> events.add(CallEventType.valueOf(t)));
      return new Honor(rule.string("transferIntent"), events);
    }

    @Override
    public boolean filter(CallSignal s) {
      if (s.isCallEvent()) {
        return events.contains(s.callEvent.getType());
      }
      return s.isUtterance() && s.utterance.getChannel() == Channel.AGENT && s.hasIntent(transfer);
    }
  }

  static final class NotHonored extends SimpleCondition<CallSignal> {
    private final Request request;
    private final Deflection deflection;

    NotHonored(RuleSpec rule) {
      this.request = Request.of(rule);
      this.deflection = Deflection.of(rule);
    }

    @Override
    public boolean filter(CallSignal s) {
      return request.filter(s) || deflection.filter(s);
    }
  }

  static final class SecondRequest extends IterativeCondition<CallSignal> {
    private final Request request;
    private final Deflection deflection;
    private final long windowMs;
    private final long honorWithinMs;

    SecondRequest(RuleSpec rule) {
      this.request = Request.of(rule);
      this.deflection = Deflection.of(rule);
      this.windowMs = rule.millis("windowMs");
      this.honorWithinMs = rule.millis("honorWithinMs");
    }

    @Override
    public boolean filter(CallSignal s, Context<CallSignal> ctx) throws Exception {
      if (!request.filter(s)) {
        return false;
      }
      CallSignal first = firstOf(ctx.getEventsForPattern("first"));
      if (first == null) {
        return false;
      }
      long since = s.callTimeMs - first.callTimeMs;
      if (since > windowMs) {
        return false;
      }
      if (since > honorWithinMs) {
        return true; // the agent had the honor window and did not transfer
      }
      for (CallSignal b : ctx.getEventsForPattern("between")) {
        if (deflection.filter(b)) {
          return true; // the agent deflected the request
        }
      }
      return false;
    }
  }

  /** Turns forced-transfer matches into alert drafts; counts timed-out partial matches. */
  public static final class ForcedTransferFunction
      extends PatternProcessFunction<CallSignal, CallSignal>
      implements TimedOutPartialMatchHandler<CallSignal> {
    private static final long serialVersionUID = 1L;

    private final RulesConfig config;
    private final RuleSpec rule;
    private transient Counter timedOut;

    public ForcedTransferFunction(RulesConfig config, RuleSpec rule) {
      this.config = config;
      this.rule = rule;
    }

    @Override
    public void open(OpenContext openContext) {
      timedOut =
          getRuntimeContext().getMetricGroup().counter("forcedTransferPartialMatchesTimedOut");
    }

    @Override
    public void processMatch(
        Map<String, List<CallSignal>> match, Context ctx, Collector<CallSignal> out) {
      CallSignal first = match.get("first").get(0);
      CallSignal second = match.get("second").get(0);
      List<CallSignal> between = match.getOrDefault("between", List.of());
      Deflection deflection = Deflection.of(rule);
      boolean deflected = between.stream().anyMatch(deflection::filter);
      long since = second.callTimeMs - first.callTimeMs;
      String message =
          "Customer asked for a human again after "
              + Math.round(since / 1000.0)
              + " s: the first request was "
              + (deflected
                  ? "deflected"
                  : "not honored within " + rule.millis("honorWithinMs") / 1000 + " s");
      Alert.Builder b =
          Alerts.draft(
              config, rule, second.tenant, second.callId, second.callTimeMs, message, second);
      List<CallSignal> all = new ArrayList<>();
      all.add(first);
      all.addAll(between);
      all.add(second);
      b.setEvidence(Alerts.evidence(all));
      b.getDetails().put("firstRequestAtMs", Long.toString(first.callTimeMs));
      b.getDetails().put("sinceFirstRequestMs", Long.toString(since));
      b.getDetails().put("deflected", Boolean.toString(deflected));
      b.getDetails()
          .put(
              "requests",
              Long.toString(2 + between.stream().filter(x -> Request.of(rule).filter(x)).count()));
      out.collect(CallSignal.ofMatch(b.build(), "call"));
    }

    @Override
    public void processTimedOutMatch(Map<String, List<CallSignal>> match, Context ctx) {
      // e.g. a request that was deflected and then dropped by the customer: not a forced
      // transfer; the unhonored request is counted in the call summary (unhonoredHumanRequests)
      if (timedOut != null) {
        timedOut.inc();
      }
    }
  }

  private static CallSignal firstOf(Iterable<CallSignal> events) {
    Iterator<CallSignal> it = events.iterator();
    return it.hasNext() ? it.next() : null;
  }
}
