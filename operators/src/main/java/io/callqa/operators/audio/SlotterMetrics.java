package io.callqa.operators.audio;

/** What the slotter counts; {@link SlotterFunction} backs it with Flink counters. */
interface SlotterMetrics {

  /** A chunk arrived (before any validation). */
  void chunkReceived(long payloadBytes);

  /** A chunk's audio was decoded into the stream. */
  void audioProcessed(long audioMs);

  void slotEmitted(long slotMs);

  void gapFilled(long ms);

  void duplicate();

  void late();

  /** A chunk went to the dead letters (duplicates and late chunks included). */
  void rejected(RejectReason reason);

  void burstDiscarded();

  void channelClosed(String closedBy);

  SlotterMetrics NONE =
      new SlotterMetrics() {
        @Override
        public void chunkReceived(long payloadBytes) {}

        @Override
        public void audioProcessed(long audioMs) {}

        @Override
        public void slotEmitted(long slotMs) {}

        @Override
        public void gapFilled(long ms) {}

        @Override
        public void duplicate() {}

        @Override
        public void late() {}

        @Override
        public void rejected(RejectReason reason) {}

        @Override
        public void burstDiscarded() {}

        @Override
        public void channelClosed(String closedBy) {}
      };
}
