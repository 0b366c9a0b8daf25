package io.callqa.operators.audio;

/**
 * Stable reason codes for audio input the slotter cannot use; each becomes the {@code reason} of a
 * {@link io.callqa.schemas.DeadLetter} and a counted metric. Never rename a constant: dashboards
 * and alerts match on these strings.
 */
public enum RejectReason {
  /** The encoding is not PCM_S16LE, PCMU or PCMA (e.g. UNKNOWN from a newer producer). */
  UNKNOWN_ENCODING,
  /** The sample rate is not one the resampler handles (see {@link Resampler#SUPPORTED_RATES}). */
  UNSUPPORTED_SAMPLE_RATE,
  /** PCM16 payload with an odd number of bytes: a torn sample. */
  ODD_PCM16_LENGTH,
  /** The payload holds no audio. */
  EMPTY_PAYLOAD,
  /** seq is negative or beyond {@link SlotterSettings#maxSeq()}. */
  INVALID_SEQ,
  /** offsetMs is negative or beyond {@link SlotterSettings#maxOffsetMs()}. */
  INVALID_OFFSET,
  /** One chunk carries more than {@link SlotterSettings#maxChunkMs()} of audio. */
  CHUNK_TOO_LONG,
  /** callId is empty or longer than {@link SlotterSettings#MAX_CALL_ID_BYTES} UTF-8 bytes. */
  INVALID_CALL_ID,
  /** A seq that was already received (the copy is dropped, the first one kept). */
  DUPLICATE_CHUNK,
  /** A seq whose place was already filled with silence because it came after the gap timeout. */
  LATE_CHUNK,
  /** A seq beyond the one flagged {@code last}, or arriving after the channel closed on it. */
  CHUNK_AFTER_LAST,
  /** A chunk for a channel that was already closed by the call's end or an idle timeout. */
  CHANNEL_CLOSED,
  /** A second {@code last} flag that disagrees with the first, or arrives below a seen seq. */
  CONFLICTING_LAST
}
