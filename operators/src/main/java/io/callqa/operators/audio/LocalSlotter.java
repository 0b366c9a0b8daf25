package io.callqa.operators.audio;

import io.callqa.schemas.AudioEncoding;
import io.callqa.schemas.CallAudioChunk;
import io.callqa.schemas.CallEvent;
import io.callqa.schemas.Channel;
import io.callqa.schemas.ChannelProgress;
import io.callqa.schemas.ChannelReport;
import io.callqa.schemas.DeadLetter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The slotter without Flink: the same {@link ChannelSlotter} logic that {@link SlotterFunction}
 * runs, over in-memory state and a simulated processing-time clock. For offline use (slotting a
 * recording in a CLI command) and for the slotter benchmark; the Flink-specific parts (keyed state
 * backends, checkpoints) are tested with Flink's harnesses instead.
 *
 * <p>Not thread-safe. Time only moves when the caller says so ({@link #advanceTo}).
 */
public final class LocalSlotter {

  private final ChannelSlotter slotter;
  private final Map<String, MemoryStore> keys = new HashMap<>();
  private final TreeMap<Long, Set<String>> timers = new TreeMap<>();
  private final SlotterMetrics metrics;
  private final Collected collected = new Collected();
  private long now;

  public LocalSlotter(SlotterSettings settings) {
    this(settings, SlotterMetrics.NONE);
  }

  LocalSlotter(SlotterSettings settings, SlotterMetrics metrics) {
    this.slotter = new ChannelSlotter(settings);
    this.metrics = metrics;
  }

  /** Everything emitted so far. */
  public static final class Collected implements SlotterOutput {
    public final List<SpeechSlot> slots = new ArrayList<>();
    public final List<ChannelReport> reports = new ArrayList<>();
    public final List<ChannelProgress> progress = new ArrayList<>();
    public final List<DeadLetter> deadLetters = new ArrayList<>();

    @Override
    public void slot(SpeechSlot slot) {
      slots.add(slot);
    }

    @Override
    public void report(ChannelReport report) {
      reports.add(report);
    }

    @Override
    public void progress(ChannelProgress marker) {
      progress.add(marker);
    }

    @Override
    public void deadLetter(DeadLetter deadLetter) {
      deadLetters.add(deadLetter);
    }
  }

  public Collected output() {
    return collected;
  }

  public long now() {
    return now;
  }

  /** Fires every timer due up to {@code time} (in order), then sets the clock to it. */
  public void advanceTo(long time) {
    while (!timers.isEmpty() && timers.firstKey() <= time) {
      Map.Entry<Long, Set<String>> due = timers.pollFirstEntry();
      now = Math.max(now, due.getKey());
      for (String key : due.getValue()) {
        MemoryStore store = store(key);
        store.myTimers.remove(due.getKey());
        slotter.onTimer(due.getKey(), now, store, collected, metrics);
      }
    }
    now = Math.max(now, time);
  }

  public void chunk(CallAudioChunk chunk) {
    slotter.onChunk(chunk, now, store(SlotterKeys.of(chunk)), collected, metrics);
  }

  /** Delivers {@code event} to each of the call's channel keys, as the job's fan-out does. */
  public void event(CallEvent event) {
    for (CallEvent copy : SlotterKeys.fanOut(event)) {
      slotter.onEvent(copy, now, store(SlotterKeys.of(copy)), collected, metrics);
    }
  }

  /** Keys that hold any state. */
  public int keysWithState() {
    int n = 0;
    for (MemoryStore s : keys.values()) {
      if (s.state != null || !s.pending.isEmpty() || !s.audio.isEmpty()) {
        n++;
      }
    }
    return n;
  }

  public int pendingTimers() {
    int n = 0;
    for (Set<String> s : timers.values()) {
      n += s.size();
    }
    return n;
  }

  /**
   * Cuts a whole recording of one channel into slots: it is fed as 20 ms chunks of {@code encoding}
   * (the last one flagged), as a recorder would send it.
   */
  public static List<SpeechSlot> slotRecording(
      String callId,
      Channel channel,
      short[] samples,
      int sampleRate,
      AudioEncoding encoding,
      SlotterSettings settings) {
    LocalSlotter local = new LocalSlotter(settings);
    for (CallAudioChunk c : chunks("offline", callId, channel, samples, sampleRate, encoding, 20)) {
      local.chunk(c);
    }
    return local.output().slots;
  }

  /** Splits samples into chunks of {@code chunkMs} (the last one flagged), encoded. */
  public static List<CallAudioChunk> chunks(
      String tenant,
      String callId,
      Channel channel,
      short[] samples,
      int sampleRate,
      AudioEncoding encoding,
      int chunkMs) {
    int per = sampleRate * chunkMs / 1000;
    List<CallAudioChunk> out = new ArrayList<>();
    for (int start = 0, seq = 0; start < samples.length; start += per, seq++) {
      int n = Math.min(per, samples.length - start);
      byte[] payload;
      switch (encoding) {
        case PCM_S16LE -> payload = Pcm16.encode(samples, start, n);
        case PCMU -> {
          payload = new byte[n];
          for (int i = 0; i < n; i++) {
            payload[i] = G711.linearToUlaw(samples[start + i]);
          }
        }
        case PCMA -> {
          payload = new byte[n];
          for (int i = 0; i < n; i++) {
            payload[i] = G711.linearToAlaw(samples[start + i]);
          }
        }
        default -> throw new IllegalArgumentException("cannot encode " + encoding);
      }
      out.add(
          CallAudioChunk.newBuilder()
              .setTenant(tenant)
              .setCallId(callId)
              .setChannel(channel)
              .setSeq(seq)
              .setOffsetMs((long) start * 1000 / sampleRate)
              .setSampleRate(sampleRate)
              .setEncoding(encoding)
              .setPayload(ByteBuffer.wrap(payload))
              .setLast(start + n >= samples.length)
              .build());
    }
    return out;
  }

  private MemoryStore store(String key) {
    return keys.computeIfAbsent(key, MemoryStore::new);
  }

  private final class MemoryStore implements ChannelStore {
    private final String key;
    private ChannelState state;
    private final Map<Long, PendingChunk> pending = new HashMap<>();
    private final List<short[]> audio = new ArrayList<>();
    private final Set<Long> myTimers = new HashSet<>();

    MemoryStore(String key) {
      this.key = key;
    }

    @Override
    public ChannelState state() {
      return state;
    }

    @Override
    public void putState(ChannelState s) {
      state = s;
    }

    @Override
    public PendingChunk pending(long seq) {
      return pending.get(seq);
    }

    @Override
    public void putPending(long seq, PendingChunk chunk) {
      pending.put(seq, chunk);
    }

    @Override
    public void removePending(long seq) {
      pending.remove(seq);
    }

    @Override
    public Iterable<Long> pendingSeqs() {
      return new ArrayList<>(pending.keySet());
    }

    @Override
    public void appendAudio(short[] samples) {
      audio.add(samples);
    }

    @Override
    public Iterable<short[]> audio() {
      return audio;
    }

    @Override
    public void replaceAudio(short[] samples) {
      audio.clear();
      if (samples != null && samples.length > 0) {
        audio.add(samples);
      }
    }

    @Override
    public void registerTimer(long at) {
      if (myTimers.add(at)) {
        timers.computeIfAbsent(at, t -> new HashSet<>()).add(key);
      }
    }

    @Override
    public void deleteTimer(long at) {
      if (myTimers.remove(at)) {
        Set<String> s = timers.get(at);
        if (s != null) {
          s.remove(key);
          if (s.isEmpty()) {
            timers.remove(at);
          }
        }
      }
    }

    @Override
    public void clear() {
      state = null;
      pending.clear();
      audio.clear();
    }
  }
}
