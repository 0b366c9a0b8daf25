package io.callqa.operators.audio;

import io.callqa.schemas.ChannelProgress;
import io.callqa.schemas.ChannelReport;
import io.callqa.schemas.DeadLetter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/**
 * The slotter's side outputs, shared by the job, the function and the tests. The main output is
 * {@link SpeechSlot}.
 */
public final class SlotterOutputs {

  /** One report per channel when it closes: the coverage proof. */
  public static final OutputTag<ChannelReport> CHANNEL_REPORTS =
      new OutputTag<>("slotter-channel-reports", TypeInformation.of(ChannelReport.class));

  /**
   * While a channel is open: "every slot ending at or before {@code cutUpToMs} has been emitted,
   * and {@code slotsCut} in all", at most one per {@link SlotterSettings#progressIntervalMs()} of
   * call time unless a slot was cut. Lets the rules order a call's channels in call time
   * (docs/rules.md).
   */
  public static final OutputTag<ChannelProgress> CHANNEL_PROGRESS =
      new OutputTag<>("slotter-channel-progress", TypeInformation.of(ChannelProgress.class));

  /** Every chunk the slotter could not use, with a {@link RejectReason} code. */
  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("slotter-dead-letters", TypeInformation.of(DeadLetter.class));

  /** The {@link DeadLetter#getStage()} of the slotter's dead letters. */
  public static final String STAGE = "slotter";

  private SlotterOutputs() {}
}
