package io.callqa.operators.audio;

import io.callqa.schemas.CallAudioChunk;
import io.callqa.schemas.CallEvent;
import io.callqa.schemas.Channel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keys of the slotter: one key per channel of a call, {@code "callId/CHANNEL"}. Call events carry
 * no channel, so the job fans each one out to every channel key ({@link #fanOut}); a key that never
 * sees audio keeps only the copy of an ENDED, a few bytes for the tombstone retention (its audio
 * may still be behind it in a backlog), so the copies for absent channels cost next to nothing.
 */
public final class SlotterKeys {

  /** The attribute {@link #fanOut} sets on each copy of a call event. */
  public static final String CHANNEL_ATTRIBUTE = "channel";

  private SlotterKeys() {}

  public static String of(String callId, Channel channel) {
    return callId + "/" + channel;
  }

  public static String of(CallAudioChunk chunk) {
    return of(chunk.getCallId(), chunk.getChannel());
  }

  /** The key of a fanned-out event (see {@link #fanOut}). */
  public static String of(CallEvent event) {
    String channel = event.getAttributes().get(CHANNEL_ATTRIBUTE);
    if (channel == null) {
      throw new IllegalArgumentException(
          "call event for " + event.getCallId() + " was not fanned out (no channel attribute)");
    }
    return event.getCallId() + "/" + channel;
  }

  /** One copy of {@code event} per channel, each with the {@value #CHANNEL_ATTRIBUTE} attribute. */
  public static List<CallEvent> fanOut(CallEvent event) {
    List<CallEvent> copies = new ArrayList<>(Channel.values().length);
    for (Channel channel : Channel.values()) {
      Map<String, String> attributes = new HashMap<>(event.getAttributes());
      attributes.put(CHANNEL_ATTRIBUTE, channel.name());
      copies.add(CallEvent.newBuilder(event).setAttributes(attributes).build());
    }
    return copies;
  }
}
