package io.callqa.operators.audio;

import io.callqa.schemas.ChannelProgress;
import io.callqa.schemas.ChannelReport;
import io.callqa.schemas.DeadLetter;

/** Where {@link ChannelSlotter} sends what it produces (Flink: the collector and side outputs). */
interface SlotterOutput {

  void slot(SpeechSlot slot);

  void report(ChannelReport report);

  /** How far the channel's slots are cut (throttled; none after the channel closed). */
  void progress(ChannelProgress progress);

  void deadLetter(DeadLetter deadLetter);
}
