package io.callqa.operators.rules;

import io.callqa.schemas.Alert;
import io.callqa.schemas.DeadLetter;
import org.apache.flink.util.OutputTag;

/**
 * Output tags and operator uids of the rules stage, shared by {@link RulesAssembly}, the functions
 * and their tests. The uids are part of savepoint compatibility: never change one.
 */
public final class RulesStreams {
  private RulesStreams() {}

  /** Sequencer side output: CEP-relevant signals of a call, in call-time order. */
  public static final OutputTag<CallSignal> ORDERED =
      new OutputTag<CallSignal>("rules-ordered-signals") {};

  /** Analyzer side output: alerts it numbers (CEP matches) and decides (call-level rules). */
  public static final OutputTag<Alert> ANALYZER_ALERTS =
      new OutputTag<Alert>("rules-analyzer-alerts") {};

  /** Input the rules could not use (no call id), and events the CEP operators got late. */
  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<DeadLetter>("rules-dead-letters") {};

  public static final String UID_REDACTION = "rules-pii-redaction";
  public static final String UID_UTTERANCE_SIGNALS = "rules-utterance-signals";
  public static final String UID_EVENT_SIGNALS = "rules-call-event-signals";
  public static final String UID_REPORT_SIGNALS = "rules-channel-report-signals";
  public static final String UID_PROGRESS_SIGNALS = "rules-channel-progress-signals";
  public static final String UID_SEQUENCER = "rules-call-sequencer";
  public static final String UID_STREAM_RULES = "rules-stream-rules";
  public static final String UID_STREAM_ALERT_SIGNALS = "rules-stream-alert-signals";
  public static final String UID_CEP_CLOCK = "rules-cep-clock";
  public static final String UID_ANGER_INPUT = "rules-cep-anger-input";
  public static final String UID_ANGER = "rules-cep-anger-escalation";
  public static final String UID_FORCED_INPUT = "rules-cep-forced-transfer-input";
  public static final String UID_FORCED = "rules-cep-forced-transfer";
  public static final String UID_CEP_LATE = "rules-cep-late-events";
  public static final String UID_ANALYZER = "rules-call-analyzer";
  public static final String UID_WEBHOOKS = "rules-webhooks";
}
