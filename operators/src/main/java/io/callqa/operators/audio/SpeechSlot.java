package io.callqa.operators.audio;

import io.callqa.schemas.Channel;
import java.util.Objects;

/**
 * One run of speech on one channel of a call, cut by the slotter and handed to inference: 16 kHz
 * mono samples in int16 range plus where they sit in the call.
 *
 * <p>A Flink POJO (public fields, no-arg constructor) so that in-flight slots of the async
 * inference operator are checkpointed without Kryo.
 */
public class SpeechSlot {
  public static final int SAMPLE_RATE = 16_000;

  public String tenant;
  public String callId;
  public Channel channel;

  /** 0-based, per (callId, channel), in order of startMs. */
  public int slotIndex;

  /** Call time of the first / one past the last sample, padding included. */
  public long startMs;

  public long endMs;

  /** 16 kHz mono PCM. */
  public short[] samples;

  public String agentId;

  /** Wall-clock call start (epoch ms), or null when the source did not send one. */
  public Long startedAt;

  /** Wall clock (epoch ms) when the slot's last audio arrived: the start of alert latency. */
  public long lastAudioArrivedAtEpochMs;

  public SpeechSlot() {}

  /**
   * {@code callId/channel/slotIndex}: the deterministic id of the utterance made from this slot.
   */
  public String utteranceId() {
    return callId + "/" + channel + "/" + slotIndex;
  }

  public long durationMs() {
    return endMs - startMs;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SpeechSlot)) {
      return false;
    }
    SpeechSlot s = (SpeechSlot) o;
    return slotIndex == s.slotIndex
        && startMs == s.startMs
        && endMs == s.endMs
        && Objects.equals(callId, s.callId)
        && channel == s.channel
        && java.util.Arrays.equals(samples, s.samples);
  }

  @Override
  public int hashCode() {
    return Objects.hash(callId, channel, slotIndex, startMs, endMs);
  }

  @Override
  public String toString() {
    return "SpeechSlot{" + utteranceId() + " " + startMs + ".." + endMs + " ms}";
  }
}
