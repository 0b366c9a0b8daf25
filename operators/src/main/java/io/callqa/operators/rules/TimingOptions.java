package io.callqa.operators.rules;

import java.io.Serializable;

/**
 * The waits and timeouts of the rules operators (wall-clock milliseconds unless said otherwise).
 *
 * @param channelSkewWaitMs the bounded out-of-orderness between a call's event stream and its
 *     audio-derived input: dead_air waits this long for a HOLD_START that may still be on its way
 * @param channelProgressTimeoutMs the call sequencer's fallback for a dead source: an utterance or
 *     honoring event waiting for the other channel to be known up to its call time is released
 *     anyway once that channel has sent nothing (no utterance, no progress marker, no report) for
 *     this long while it waited. Markers normally arrive every 500 ms of call time, so this only
 *     has to be well above the inference lag between a call's channels
 * @param slotGapWaitMs how long later slots of a channel wait for a missing earlier slot
 * @param endGraceMs after ENDED (and every channel's report), how long late utterances and alerts
 *     may still arrive before the summary is emitted
 * @param channelReportWaitMs after ENDED, how long to wait for missing ChannelReports
 * @param idleTimeoutMs a call with no input for this long is closed (summary with IDLE_TIMEOUT)
 * @param lateRetentionMs after a call's summary, how long its small tombstone state is kept so late
 *     alerts still get the right episode number and update the summary
 * @param cepWindowSlackMs added to CEP windows on the CEP operators' wall clock: windows are exact
 *     in call time (checked in the pattern conditions); the slack only bounds partial-match state
 */
public record TimingOptions(
    long channelSkewWaitMs,
    long channelProgressTimeoutMs,
    long slotGapWaitMs,
    long endGraceMs,
    long channelReportWaitMs,
    long idleTimeoutMs,
    long lateRetentionMs,
    long cepWindowSlackMs)
    implements Serializable {

  public static final TimingOptions DEFAULTS =
      new TimingOptions(1_000, 20_000, 5_000, 3_000, 30_000, 600_000, 600_000, 60_000);
}
