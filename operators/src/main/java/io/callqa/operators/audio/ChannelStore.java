package io.callqa.operators.audio;

/**
 * The state of one channel key as {@link ChannelSlotter} needs it. {@link SlotterFunction} backs it
 * with Flink keyed state and timers; the benchmark and unit tests with plain memory.
 */
interface ChannelStore {

  /** The channel's state, or null when the key has none. */
  ChannelState state();

  void putState(ChannelState state);

  PendingChunk pending(long seq);

  void putPending(long seq, PendingChunk chunk);

  void removePending(long seq);

  /** Seqs in the reorder buffer (any order). */
  Iterable<Long> pendingSeqs();

  /** Appends 16 kHz samples to the channel's kept audio. */
  void appendAudio(short[] samples);

  /** The kept audio, in order, as the pieces it was appended in. */
  Iterable<short[]> audio();

  /** Replaces the kept audio by one piece (null or empty: none). */
  void replaceAudio(short[] samples);

  void registerTimer(long at);

  void deleteTimer(long at);

  /** Removes the state, the reorder buffer and the audio (timers are deleted by the caller). */
  void clear();
}
