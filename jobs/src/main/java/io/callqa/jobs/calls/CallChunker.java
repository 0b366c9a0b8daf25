package io.callqa.jobs.calls;

import io.callqa.operators.audio.LocalSlotter;
import io.callqa.operators.audio.WavReader;
import io.callqa.schemas.AudioEncoding;
import io.callqa.schemas.CallAudioChunk;
import io.callqa.schemas.CallEvent;
import io.callqa.schemas.Channel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Turns a call folder into what a recorder would send: per channel, chunks of {@code chunkMs} in
 * the file's own encoding and rate, plus the call events — ordered by the call time at which each
 * becomes available (a chunk when its last sample has been recorded).
 */
public final class CallChunker {
  public static final int DEFAULT_CHUNK_MS = 200;

  private CallChunker() {}

  /** One record to send, at a call time. */
  public sealed interface Item permits ChunkItem, EventItem {
    long availableAtMs();

    String callId();
  }

  public record ChunkItem(long availableAtMs, CallAudioChunk chunk) implements Item {
    @Override
    public String callId() {
      return chunk.getCallId();
    }
  }

  public record EventItem(long availableAtMs, CallEvent event) implements Item {
    @Override
    public String callId() {
      return event.getCallId();
    }
  }

  /**
   * The timeline of one call.
   *
   * @param startedAt wall-clock call start stamped on the chunks (the call.yaml value if null)
   */
  public static List<Item> timeline(CallFolder call, int chunkMs, Instant startedAt) {
    Instant start = startedAt != null ? startedAt : call.meta().startedAt();
    List<Item> items = new ArrayList<>();
    for (Map.Entry<Channel, WavReader.WavAudio> e : call.channels().entrySet()) {
      WavReader.WavAudio audio = e.getValue();
      List<CallAudioChunk> chunks =
          LocalSlotter.chunks(
              call.meta().tenant(),
              call.callId(),
              e.getKey(),
              audio.samples(),
              audio.sampleRate(),
              audio.encoding(),
              chunkMs);
      for (CallAudioChunk c : chunks) {
        CallAudioChunk chunk =
            CallAudioChunk.newBuilder(c)
                .setAgentId(call.meta().agentId())
                .setQueue(call.meta().queue())
                .setStartedAt(start)
                .build();
        int samples =
            c.getPayload().remaining() / (audio.encoding() == AudioEncoding.PCM_S16LE ? 2 : 1);
        items.add(new ChunkItem(c.getOffsetMs() + samples * 1000L / audio.sampleRate(), chunk));
      }
    }
    for (CallFolder.Event ev : call.meta().events()) {
      items.add(
          new EventItem(
              ev.atMs(),
              CallEvent.newBuilder()
                  .setTenant(call.meta().tenant())
                  .setCallId(call.callId())
                  .setType(ev.type())
                  .setAtMs(ev.atMs())
                  .build()));
    }
    items.sort(Comparator.comparingLong(Item::availableAtMs));
    return items;
  }

  /** Several calls that run at the same time, merged into one timeline. */
  public static List<Item> timeline(List<CallFolder> calls, int chunkMs, Instant startedAt) {
    List<Item> all = new ArrayList<>();
    for (CallFolder c : calls) {
      all.addAll(timeline(c, chunkMs, startedAt));
    }
    all.sort(Comparator.comparingLong(Item::availableAtMs));
    return all;
  }
}
