package io.callqa.jobs.calls;

import io.callqa.operators.audio.G711;
import io.callqa.operators.audio.Pcm16;
import io.callqa.operators.audio.WavReader;
import io.callqa.schemas.AudioEncoding;
import io.callqa.schemas.CallAudioChunk;
import io.callqa.schemas.CallEvent;
import io.callqa.schemas.Channel;
import java.nio.ByteBuffer;
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
      int samplesPerChunk = audio.sampleRate() * chunkMs / 1000;
      short[] samples = audio.samples();
      int chunks = Math.max(1, (samples.length + samplesPerChunk - 1) / samplesPerChunk);
      for (int seq = 0; seq < chunks; seq++) {
        int from = seq * samplesPerChunk;
        int to = Math.min(samples.length, from + samplesPerChunk);
        long offsetMs = (long) seq * chunkMs;
        CallAudioChunk chunk =
            CallAudioChunk.newBuilder()
                .setTenant(call.meta().tenant())
                .setCallId(call.callId())
                .setChannel(e.getKey())
                .setSeq(seq)
                .setOffsetMs(offsetMs)
                .setSampleRate(audio.sampleRate())
                .setEncoding(audio.encoding())
                .setPayload(ByteBuffer.wrap(encode(samples, from, to, audio.encoding())))
                .setLast(seq == chunks - 1)
                .setAgentId(call.meta().agentId())
                .setQueue(call.meta().queue())
                .setStartedAt(start)
                .build();
        long available = offsetMs + (long) (to - from) * 1000 / audio.sampleRate();
        items.add(new ChunkItem(available, chunk));
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

  private static byte[] encode(short[] samples, int from, int to, AudioEncoding encoding) {
    return switch (encoding) {
      case PCM_S16LE -> Pcm16.encode(samples, from, to - from);
      case PCMU -> {
        byte[] out = new byte[to - from];
        for (int i = from; i < to; i++) {
          out[i - from] = G711.linearToUlaw(samples[i]);
        }
        yield out;
      }
      case PCMA -> {
        byte[] out = new byte[to - from];
        for (int i = from; i < to; i++) {
          out[i - from] = G711.linearToAlaw(samples[i]);
        }
        yield out;
      }
      case UNKNOWN -> throw new IllegalArgumentException("unknown encoding");
    };
  }
}
