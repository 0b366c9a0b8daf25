package io.callqa.operators.rules;

import io.callqa.operators.redaction.PiiRedactionFunction;
import io.callqa.schemas.Alert;
import io.callqa.schemas.CallEvent;
import io.callqa.schemas.CallSummary;
import io.callqa.schemas.ChannelProgress;
import io.callqa.schemas.ChannelReport;
import io.callqa.schemas.DeadLetter;
import io.callqa.schemas.Utterance;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.PatternStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Wires every rule operator onto the job's streams; the job only calls {@link #wire}.
 *
 * <pre>
 * utterances ─ PII redaction ─┬──────────────────────────────────────────────► redactedUtterances
 *                             └ signal ┐
 * call events ─────────────── signal ──┤                                                  │
 * channel progress ────────── signal ──┼ union ─ keyBy(callId) ─ call sequencer ─┬─ stream rules ─┐
 * channel reports ─────────── signal ──┘   (per-channel order, intents, anger runs)│  (phrase, pii, │
 *                                                                                  │   overtalk)    │
 *        ┌ ordered (call time) ─ CEP clock ─┬ anger_escalation CEP ─┐              │                │
 *        │                                  └ forced_transfer CEP ──┤              │                │
 *        └───────────────────────────── tagged ─────────────────────┴ call analyzer ◄──────────────┤
 *                                                                   (summary, dead_air, greeting,   │
 *                                                                    closing, CEP episode numbers)  │
 *                                   alerts ◄── analyzer alerts ∪ stream-rule alerts ◄──────────────┘
 * </pre>
 *
 * Every operator has a stable uid ({@link RulesStreams}) and a readable name. The streams may carry
 * any watermarks; the rules keep their own per-call time (docs/rules.md, "Time").
 */
public final class RulesAssembly {
  private RulesAssembly() {}

  /**
   * What the rules produce.
   *
   * @param redactedUtterances the input utterances with PII masked: index these, never the input
   * @param alerts every alert, once per alert id (at-least-once across failures: alert ids are
   *     deterministic, sinks should upsert)
   * @param summaries one per call, re-emitted with {@code revision}+1 when a late alert updates it
   * @param deadLetters input without a call id, and CEP input that arrived late
   */
  public record Result(
      DataStream<Utterance> redactedUtterances,
      DataStream<Alert> alerts,
      DataStream<CallSummary> summaries,
      DataStream<DeadLetter> deadLetters) {}

  /**
   * Wires the rules of {@code rules} onto the input streams.
   *
   * @param channelProgress the slotter's progress markers: without them the call sequencer can only
   *     order a call's channels by their utterances and reports, and an utterance facing a silent
   *     channel waits {@code channelProgressTimeoutMs}
   */
  public static Result wire(
      RulesConfig rules,
      DataStream<Utterance> utterances,
      DataStream<CallEvent> callEvents,
      DataStream<ChannelReport> channelReports,
      DataStream<ChannelProgress> channelProgress) {
    SingleOutputStreamOperator<Utterance> redacted =
        utterances
            .map(new PiiRedactionFunction())
            .uid(RulesStreams.UID_REDACTION)
            .name("PII redaction");

    SingleOutputStreamOperator<CallSignal> utteranceSignals =
        redacted
            .process(new UtteranceSignals())
            .uid(RulesStreams.UID_UTTERANCE_SIGNALS)
            .name("Utterances to call signals");
    SingleOutputStreamOperator<CallSignal> eventSignals =
        callEvents
            .process(new CallEventSignals())
            .uid(RulesStreams.UID_EVENT_SIGNALS)
            .name("Call events to call signals");
    SingleOutputStreamOperator<CallSignal> reportSignals =
        channelReports
            .process(new ChannelReportSignals())
            .uid(RulesStreams.UID_REPORT_SIGNALS)
            .name("Channel reports to call signals");

    SingleOutputStreamOperator<CallSignal> progressSignals =
        channelProgress
            .process(new ChannelProgressSignals())
            .uid(RulesStreams.UID_PROGRESS_SIGNALS)
            .name("Channel progress to call signals");

    SingleOutputStreamOperator<CallSignal> tagged =
        utteranceSignals
            .union(eventSignals, reportSignals, progressSignals)
            .keyBy(new CallIdKey(), Types.STRING)
            .process(new CallSequencerFunction(rules))
            .uid(RulesStreams.UID_SEQUENCER)
            .name("Call sequencer (order, intents)");

    // same key, same parallelism: chained to the sequencer, no shuffle on the real-time path
    SingleOutputStreamOperator<Alert> streamAlerts =
        DataStreamUtils.reinterpretAsKeyedStream(tagged, new CallIdKey(), Types.STRING)
            .process(new StreamRulesFunction(rules))
            .uid(RulesStreams.UID_STREAM_RULES)
            .name("Stream rules (phrases, PII, overtalk)");

    DataStream<CallSignal> ordered =
        tagged
            .getSideOutput(RulesStreams.ORDERED)
            .transform("CEP clock", TypeInformation.of(CallSignal.class), new CepClockOperator())
            .uid(RulesStreams.UID_CEP_CLOCK)
            .name("CEP clock");

    OutputTag<CallSignal> late =
        new OutputTag<>("rules-cep-late", TypeInformation.of(CallSignal.class));
    List<DataStream<CallSignal>> analyzerInputs = new ArrayList<>();
    analyzerInputs.add(
        streamAlerts
            .map(new AlertSignals())
            .uid(RulesStreams.UID_STREAM_ALERT_SIGNALS)
            .name("Stream alerts to call signals"));
    List<DataStream<CallSignal>> lateStreams = new ArrayList<>();

    Optional<RuleSpec> anger = rules.enabled(BuiltInRule.ANGER_ESCALATION);
    if (anger.isPresent()) {
      KeyedStream<CallSignal, String> input =
          ordered
              .filter(CepRules::isAngerInput)
              .uid(RulesStreams.UID_ANGER_INPUT)
              .name("anger_escalation input")
              .keyBy(new CallIdKey(), Types.STRING);
      PatternStream<CallSignal> ps =
          CEP.pattern(input, CepRules.angerPattern(anger.get(), rules.timing().cepWindowSlackMs()))
              .inEventTime()
              .sideOutputLateData(late);
      SingleOutputStreamOperator<CallSignal> matches =
          ps.process(
                  new CepRules.AngerEscalationFunction(rules, anger.get()),
                  TypeInformation.of(CallSignal.class))
              .uid(RulesStreams.UID_ANGER)
              .name("CEP anger_escalation");
      analyzerInputs.add(matches);
      lateStreams.add(matches.getSideOutput(late));
    }

    Optional<RuleSpec> forced = rules.enabled(BuiltInRule.FORCED_TRANSFER);
    if (forced.isPresent()) {
      RuleSpec rule = forced.get();
      KeyedStream<CallSignal, String> input =
          ordered
              .filter(s -> CepRules.isForcedTransferInput(s, rule))
              .uid(RulesStreams.UID_FORCED_INPUT)
              .name("forced_transfer input")
              .keyBy(new CallIdKey(), Types.STRING);
      PatternStream<CallSignal> ps =
          CEP.pattern(
                  input, CepRules.forcedTransferPattern(rule, rules.timing().cepWindowSlackMs()))
              .inEventTime()
              .sideOutputLateData(late);
      SingleOutputStreamOperator<CallSignal> matches =
          ps.process(
                  new CepRules.ForcedTransferFunction(rules, rule),
                  TypeInformation.of(CallSignal.class))
              .uid(RulesStreams.UID_FORCED)
              .name("CEP forced_transfer");
      analyzerInputs.add(matches);
      lateStreams.add(matches.getSideOutput(late));
    }

    DataStream<CallSignal> analyzerInput = tagged;
    for (DataStream<CallSignal> s : analyzerInputs) {
      analyzerInput = analyzerInput.union(s);
    }
    SingleOutputStreamOperator<CallSummary> summaries =
        analyzerInput
            .keyBy(new CallIdKey(), Types.STRING)
            .process(new CallAnalyzerFunction(rules))
            .uid(RulesStreams.UID_ANALYZER)
            .name("Call analyzer (summary, call-level rules)");

    DataStream<Alert> alerts =
        streamAlerts.union(summaries.getSideOutput(RulesStreams.ANALYZER_ALERTS));

    DataStream<DeadLetter> deadLetters =
        utteranceSignals
            .getSideOutput(RulesStreams.DEAD_LETTERS)
            .union(
                eventSignals.getSideOutput(RulesStreams.DEAD_LETTERS),
                reportSignals.getSideOutput(RulesStreams.DEAD_LETTERS),
                progressSignals.getSideOutput(RulesStreams.DEAD_LETTERS));
    if (!lateStreams.isEmpty()) {
      DataStream<CallSignal> allLate = lateStreams.get(0);
      for (int i = 1; i < lateStreams.size(); i++) {
        allLate = allLate.union(lateStreams.get(i));
      }
      deadLetters =
          deadLetters.union(
              allLate
                  .map(new LateCepDeadLetter())
                  .uid(RulesStreams.UID_CEP_LATE)
                  .name("Late CEP input"));
    }
    return new Result(redacted, alerts, summaries, deadLetters);
  }

  /** The key of every rules operator. */
  public static final class CallIdKey implements KeySelector<CallSignal, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(CallSignal s) {
      return s.callId;
    }
  }

  static DeadLetter missingCallId(String what, String tenant, String detail) {
    return DeadLetter.newBuilder()
        .setStage("rules-input")
        .setReason("MISSING_CALL_ID")
        .setDetail(what + ": " + detail)
        .setTenant(tenant)
        .setAtEpochMs(System.currentTimeMillis())
        .build();
  }

  static boolean hasCallId(String callId) {
    return callId != null && !callId.isBlank();
  }

  /** Wraps utterances; ones without a call id go to the dead letters. */
  static final class UtteranceSignals extends ProcessFunction<Utterance, CallSignal> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(Utterance u, Context ctx, Collector<CallSignal> out) {
      if (hasCallId(u.getCallId())) {
        out.collect(CallSignal.ofUtterance(u, System.currentTimeMillis()));
      } else {
        ctx.output(
            RulesStreams.DEAD_LETTERS,
            missingCallId("utterance", u.getTenant(), u.getUtteranceId()));
      }
    }
  }

  static final class CallEventSignals extends ProcessFunction<CallEvent, CallSignal> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(CallEvent e, Context ctx, Collector<CallSignal> out) {
      if (hasCallId(e.getCallId())) {
        out.collect(CallSignal.ofCallEvent(e, System.currentTimeMillis()));
      } else {
        ctx.output(
            RulesStreams.DEAD_LETTERS,
            missingCallId("call event", e.getTenant(), e.getType() + "@" + e.getAtMs()));
      }
    }
  }

  static final class ChannelReportSignals extends ProcessFunction<ChannelReport, CallSignal> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(ChannelReport r, Context ctx, Collector<CallSignal> out) {
      if (hasCallId(r.getCallId())) {
        out.collect(CallSignal.ofChannelReport(r, System.currentTimeMillis()));
      } else {
        ctx.output(
            RulesStreams.DEAD_LETTERS,
            missingCallId("channel report", r.getTenant(), String.valueOf(r.getChannel())));
      }
    }
  }

  static final class ChannelProgressSignals extends ProcessFunction<ChannelProgress, CallSignal> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(ChannelProgress p, Context ctx, Collector<CallSignal> out) {
      if (hasCallId(p.getCallId())) {
        out.collect(CallSignal.ofChannelProgress(p, System.currentTimeMillis()));
      } else {
        ctx.output(
            RulesStreams.DEAD_LETTERS,
            missingCallId("channel progress", p.getTenant(), String.valueOf(p.getChannel())));
      }
    }
  }

  static final class AlertSignals implements MapFunction<Alert, CallSignal> {
    private static final long serialVersionUID = 1L;

    @Override
    public CallSignal map(Alert a) {
      return CallSignal.ofAlert(a);
    }
  }

  static final class LateCepDeadLetter implements MapFunction<CallSignal, DeadLetter> {
    private static final long serialVersionUID = 1L;

    @Override
    public DeadLetter map(CallSignal s) {
      return DeadLetter.newBuilder()
          .setStage("rules-cep")
          .setReason("CEP_LATE_EVENT")
          .setDetail(s.toString())
          .setTenant(s.tenant)
          .setCallId(s.callId)
          .setChannel(s.channel() == null ? null : s.channel().name())
          .setAtEpochMs(System.currentTimeMillis())
          .build();
    }
  }
}
