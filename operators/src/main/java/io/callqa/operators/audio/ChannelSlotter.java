package io.callqa.operators.audio;

import io.callqa.operators.time.RunStart;
import io.callqa.schemas.CallAudioChunk;
import io.callqa.schemas.CallEvent;
import io.callqa.schemas.CallEventType;
import io.callqa.schemas.ChannelProgress;
import io.callqa.schemas.ChannelReport;
import io.callqa.schemas.Coverage;
import io.callqa.schemas.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The slotter's logic for one channel key, independent of Flink: {@link SlotterFunction} calls it
 * with a {@link ChannelStore} over keyed state and timers; the benchmark and unit tests call it
 * with memory. It keeps nothing between calls: all that evolves is in the store.
 *
 * <p>Per chunk: validate (reject → dead letter + counter), reorder by seq (bounded), drop
 * duplicates, decode, resample to 16 kHz, VAD + segment, emit slots. A gap in the seqs is waited
 * for {@code gapTimeoutMs}, then filled with silence as long as the offsets say it was. A channel
 * closes on its {@code last} chunk, its call's ENDED event (after a grace period), or an idle
 * timeout: the open slot is flushed, a {@link ChannelReport} emitted and all state cleared (a tiny
 * tombstone stays for {@code closedRetentionMs} so that stragglers are rejected, not re-opened).
 * While open, it emits {@link ChannelProgress} markers after processing (throttled).
 */
final class ChannelSlotter {

  static final String LAST_CHUNK = "LAST_CHUNK";
  static final String CALL_ENDED = "CALL_ENDED";
  static final String IDLE_TIMEOUT = "IDLE_TIMEOUT";

  private static final int SAMPLES_PER_MS = SpeechSlot.SAMPLE_RATE / 1000;

  /** Trim the kept audio once at least this much can go (or more than what stays). */
  private static final long TRIM_MIN_SAMPLES = SpeechSlot.SAMPLE_RATE;

  private static final int SILENCE_BLOCK_SAMPLES = SpeechSlot.SAMPLE_RATE;

  private final SlotterSettings settings;

  /** The idle, ENDED-grace and gap timeouts count only time the job was running. */
  private final RunStart run = new RunStart();

  private final SpeechSegmenter segmenter;
  private final long minSilenceFillMs;

  ChannelSlotter(SlotterSettings settings) {
    this.settings = settings;
    this.segmenter = new SpeechSegmenter(settings.segmenter());
    SegmenterSettings seg = settings.segmenter();
    // a gap always gets enough silence to close a slot that was open when it began
    this.minSilenceFillMs = seg.maxPauseMs() + seg.paddingMs() + 2L * EnergyVad.FRAME_MS;
  }

  SlotterSettings settings() {
    return settings;
  }

  // ---------------------------------------------------------------------------------------------
  // inputs

  void onChunk(
      CallAudioChunk chunk, long now, ChannelStore store, SlotterOutput out, SlotterMetrics m) {
    run.mark(now);
    byte[] payload = bytes(chunk.getPayload());
    m.chunkReceived(payload.length);
    String callIdProblem = callIdProblem(chunk.getCallId());
    if (callIdProblem != null) {
      // no state for a key made of a bad call id
      reject(chunk, RejectReason.INVALID_CALL_ID, callIdProblem, now, out, m);
      return;
    }
    ChannelState st = store.state();
    if (st != null && st.isClosed()) {
      RejectReason reason =
          LAST_CHUNK.equals(st.closedBy)
              ? RejectReason.CHUNK_AFTER_LAST
              : RejectReason.CHANNEL_CLOSED;
      reject(chunk, reason, "channel already closed by " + st.closedBy, now, out, m);
      return;
    }
    if (st == null || st.endedBeforeAudio()) {
      st = open(chunk, st, now, store);
    }
    st.chunksReceived++;
    st.lastChunkAt = now;
    if (st.agentId == null && chunk.getAgentId() != null) {
      st.agentId = chunk.getAgentId();
    }
    if (st.startedAt == null && chunk.getStartedAt() != null) {
      st.startedAt = chunk.getStartedAt().toEpochMilli();
    }

    Rejection problem = inputProblem(chunk, payload);
    if (problem == null) {
      problem = sequenceProblem(st, chunk, store);
    }
    if (problem != null) {
      switch (problem.reason) {
        case DUPLICATE_CHUNK -> {
          st.duplicateChunks++;
          m.duplicate();
        }
        case LATE_CHUNK -> {
          st.chunksRejected++;
          m.late();
        }
        default -> st.chunksRejected++;
      }
      reject(chunk, problem.reason, problem.detail, now, out, m);
      store.putState(st);
      return;
    }

    long seq = chunk.getSeq();
    st.maxSeqSeen = Math.max(st.maxSeqSeen, seq);
    if (chunk.getLast()) {
      st.lastSeq = seq;
    }
    PendingChunk p = new PendingChunk();
    p.seq = seq;
    p.offsetMs = chunk.getOffsetMs();
    p.sampleRate = chunk.getSampleRate();
    p.encoding = chunk.getEncoding();
    p.payload = payload;
    p.last = chunk.getLast();
    p.arrivedAt = now;
    if (seq == st.nextSeq) {
      process(st, p, store, out, m);
      drain(st, store, out, m);
    } else {
      store.putPending(seq, p);
      st.pendingCount++;
      if (st.pendingCount > settings.reorderBufferChunks()) {
        fillGap(st, store, out, m);
        drain(st, store, out, m);
      }
    }
    afterProgress(st, now, store, out, m);
  }

  void onEvent(CallEvent event, long now, ChannelStore store, SlotterOutput out, SlotterMetrics m) {
    run.mark(now);
    if (event.getType() != CallEventType.ENDED) {
      return; // holds and transfers matter to the call analyzer, not to slot cutting
    }
    ChannelState st = store.state();
    if (st == null) {
      rememberEndBeforeAudio(event, now, store);
      return;
    }
    if (st.isClosed() || st.endedBeforeAudio()) {
      return; // a closed channel ignores late events; a remembered end needs no second copy
    }
    st.endedAtMs = event.getAtMs();
    if (settings.endedGraceMs() == 0) {
      close(st, CALL_ENDED, now, store, out, m);
    } else if (st.endTimerAt == 0) {
      st.endTimerAt = now + settings.endedGraceMs();
      store.registerTimer(st.endTimerAt);
      store.putState(st);
    }
  }

  /**
   * Keeps an ENDED that came before any of the channel's audio (a backlog read from two topics: the
   * events run ahead) as a few bytes for the tombstone retention, so that the channel closes at its
   * end once its audio comes, not on the idle timeout. A channel that never sends audio forgets it
   * when the retention expires; none is kept with no retention or no ENDED grace.
   */
  private void rememberEndBeforeAudio(CallEvent event, long now, ChannelStore store) {
    if (settings.closedRetentionMs() == 0 || settings.endedGraceMs() == 0) {
      return;
    }
    ChannelState marker = new ChannelState();
    marker.tenant = event.getTenant();
    marker.callId = event.getCallId();
    marker.endedAtMs = event.getAtMs();
    marker.retentionTimerAt = now + settings.closedRetentionMs();
    store.registerTimer(marker.retentionTimerAt);
    store.putState(marker);
  }

  /** Whether the processed stream has reached call time {@code atMs}, to within {@code slackMs}. */
  static boolean audioReached(ChannelState st, long atMs, long slackMs) {
    if (st.baseOffsetMs < 0) {
      return false;
    }
    long processedMs =
        st.baseOffsetMs
            + st.skippedMs
            + (st.audioStart + st.audioLength) * 1000 / SpeechSlot.SAMPLE_RATE;
    return processedMs >= atMs - slackMs;
  }

  /** Millisecond rounding of the end time against the samples received. */
  private static final long ROUNDING_SLACK_MS = 2;

  /** A recorder's audio may stop up to one 100 ms step before the ENDED it sends. */
  private static final long RECORDER_SLACK_MS = 100;

  /**
   * Whether a channel whose call ENDED at {@code st.endedAtMs} has all its audio: up to the end, or
   * up to one step before it once no chunk came for a grace period — not sooner, or a short last
   * chunk still behind the ENDED in a backlog would arrive after the close and go uncounted.
   */
  private boolean audioComplete(ChannelState st, long quietMs) {
    return audioReached(st, st.endedAtMs, ROUNDING_SLACK_MS)
        || (audioReached(st, st.endedAtMs, RECORDER_SLACK_MS)
            && quietMs >= settings.endedGraceMs());
  }

  void onTimer(long timestamp, long now, ChannelStore store, SlotterOutput out, SlotterMetrics m) {
    run.mark(now);
    ChannelState st = store.state();
    if (st == null) {
      return;
    }
    if (st.isClosed() || st.endedBeforeAudio()) {
      if (st.retentionTimerAt != 0 && timestamp >= st.retentionTimerAt) {
        store.clear();
      }
      return;
    }
    if (st.endTimerAt != 0 && timestamp >= st.endTimerAt) {
      st.endTimerAt = 0;
      // ENDED may overtake the call's audio (another topic, a backlog under backpressure): close
      // once the audio up to the end has been processed, or when the channel has been idle for
      // the idle timeout; until then look again every grace period
      long quietMs = now - run.notBefore(st.lastChunkAt);
      if (!audioComplete(st, quietMs) && quietMs < settings.idleTimeoutMs()) {
        st.endTimerAt = now + settings.endedGraceMs();
        store.registerTimer(st.endTimerAt);
        store.putState(st);
        return;
      }
      close(st, CALL_ENDED, now, store, out, m);
      return;
    }
    if (st.idleTimerAt != 0 && timestamp >= st.idleTimerAt) {
      st.idleTimerAt = 0;
      long idleSince = run.notBefore(st.lastChunkAt);
      if (now - idleSince >= settings.idleTimeoutMs()) {
        close(st, IDLE_TIMEOUT, now, store, out, m);
        return;
      }
      // chunks came in since the timer was set: look again one timeout after the last one
      st.idleTimerAt = idleSince + settings.idleTimeoutMs();
      store.registerTimer(st.idleTimerAt);
    }
    if (st.gapTimerAt != 0 && timestamp >= st.gapTimerAt) {
      if (now - run.at() < settings.gapTimeoutMs()) {
        // just restored: the missing chunk may be in the backlog, give it the full timeout
        st.gapTimerAt = run.at() + settings.gapTimeoutMs();
        store.registerTimer(st.gapTimerAt);
        store.putState(st);
        return;
      }
      st.gapTimerAt = 0;
      if (st.pendingCount > 0) {
        fillGap(st, store, out, m);
        drain(st, store, out, m);
      }
      afterProgress(st, now, store, out, m);
      return;
    }
    store.putState(st);
  }

  // ---------------------------------------------------------------------------------------------
  // validation

  private record Rejection(RejectReason reason, String detail) {}

  static String callIdProblem(String callId) {
    if (callId == null || callId.isEmpty()) {
      return "empty call id";
    }
    int bytes = callId.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > SlotterSettings.MAX_CALL_ID_BYTES) {
      return "call id is " + bytes + " bytes (max " + SlotterSettings.MAX_CALL_ID_BYTES + ")";
    }
    return null;
  }

  private Rejection inputProblem(CallAudioChunk c, byte[] payload) {
    if (AudioDecoder.bytesPerSample(c.getEncoding()) == 0) {
      return new Rejection(RejectReason.UNKNOWN_ENCODING, "encoding " + c.getEncoding());
    }
    if (!Resampler.isSupported(c.getSampleRate())) {
      return new Rejection(
          RejectReason.UNSUPPORTED_SAMPLE_RATE,
          c.getSampleRate() + " Hz (supported: " + Resampler.SUPPORTED_RATES + ")");
    }
    RejectReason payloadProblem = AudioDecoder.check(c.getEncoding(), payload.length);
    if (payloadProblem != null) {
      return new Rejection(payloadProblem, payload.length + " bytes of " + c.getEncoding());
    }
    if (c.getSeq() < 0 || c.getSeq() > settings.maxSeq()) {
      return new Rejection(
          RejectReason.INVALID_SEQ,
          "seq " + c.getSeq() + " outside [0, " + settings.maxSeq() + "]");
    }
    if (c.getOffsetMs() < 0 || c.getOffsetMs() > settings.maxOffsetMs()) {
      return new Rejection(
          RejectReason.INVALID_OFFSET,
          "offsetMs " + c.getOffsetMs() + " outside [0, " + settings.maxOffsetMs() + "]");
    }
    long samples = payload.length / AudioDecoder.bytesPerSample(c.getEncoding());
    long ms = samples * 1000 / c.getSampleRate();
    if (ms > settings.maxChunkMs()) {
      return new Rejection(
          RejectReason.CHUNK_TOO_LONG, ms + " ms in one chunk (max " + settings.maxChunkMs() + ")");
    }
    return null;
  }

  private Rejection sequenceProblem(ChannelState st, CallAudioChunk c, ChannelStore store) {
    long seq = c.getSeq();
    if (seq < st.nextSeq) {
      return inFilledRange(st, seq)
          ? new Rejection(RejectReason.LATE_CHUNK, "seq " + seq + " was filled with silence")
          : new Rejection(RejectReason.DUPLICATE_CHUNK, "seq " + seq + " already processed");
    }
    if (store.pending(seq) != null) {
      return new Rejection(RejectReason.DUPLICATE_CHUNK, "seq " + seq + " already buffered");
    }
    if (st.lastSeq >= 0 && seq > st.lastSeq) {
      return new Rejection(
          RejectReason.CHUNK_AFTER_LAST, "seq " + seq + " after last seq " + st.lastSeq);
    }
    if (c.getLast() && (st.lastSeq >= 0 || seq < st.maxSeqSeen)) {
      return new Rejection(
          RejectReason.CONFLICTING_LAST,
          "last flag on seq "
              + seq
              + " but seq "
              + Math.max(st.lastSeq, st.maxSeqSeen)
              + " was seen");
    }
    return null;
  }

  private static boolean inFilledRange(ChannelState st, long seq) {
    for (int i = 0; i + 1 < st.filledRanges.length; i += 2) {
      if (seq >= st.filledRanges[i] && seq < st.filledRanges[i + 1]) {
        return true;
      }
    }
    return false;
  }

  private void reject(
      CallAudioChunk c,
      RejectReason reason,
      String detail,
      long now,
      SlotterOutput out,
      SlotterMetrics m) {
    m.rejected(reason);
    out.deadLetter(
        DeadLetter.newBuilder()
            .setStage(SlotterOutputs.STAGE)
            .setReason(reason.name())
            .setDetail(detail)
            .setTenant(c.getTenant())
            .setCallId(truncated(c.getCallId()))
            .setChannel(c.getChannel() == null ? null : c.getChannel().name())
            .setSeq(c.getSeq())
            .setAtEpochMs(now)
            .build());
  }

  /** A call id as evidence in a dead letter, cut short if it is absurdly long. */
  private static String truncated(String callId) {
    int max = 2 * SlotterSettings.MAX_CALL_ID_BYTES;
    if (callId == null || callId.length() <= max) {
      return callId;
    }
    return callId.substring(0, max) + "...(" + callId.length() + " chars)";
  }

  // ---------------------------------------------------------------------------------------------
  // the stream

  /** Opens the channel on its first chunk, taking over an ENDED that came before it, if any. */
  private ChannelState open(
      CallAudioChunk c, ChannelState endedBeforeAudio, long now, ChannelStore store) {
    ChannelState st = new ChannelState();
    st.tenant = c.getTenant();
    st.callId = c.getCallId();
    st.channel = c.getChannel();
    st.segmenter = segmenter.newState();
    st.idleTimerAt = now + settings.idleTimeoutMs();
    store.registerTimer(st.idleTimerAt);
    if (endedBeforeAudio != null) {
      store.deleteTimer(endedBeforeAudio.retentionTimerAt);
      st.endedAtMs = endedBeforeAudio.endedAtMs;
      st.endTimerAt = now + settings.endedGraceMs();
      store.registerTimer(st.endTimerAt);
    }
    return st;
  }

  private void process(
      ChannelState st, PendingChunk p, ChannelStore store, SlotterOutput out, SlotterMetrics m) {
    short[] pcm = AudioDecoder.decode(p.encoding, p.payload);
    if (st.baseOffsetMs < 0) {
      st.baseOffsetMs = p.offsetMs;
    }
    st.audioMicrosReceived += pcm.length * 1_000_000L / p.sampleRate;
    m.audioProcessed(pcm.length * 1000L / p.sampleRate);
    Resampler resampler = Resampler.to16k(p.sampleRate);
    if (st.resampler == null || st.resampler.inputRate != p.sampleRate) {
      st.resampler = resampler.newState();
    }
    short[] samples = resampler.process(pcm, st.resampler);
    st.lastArrivedAt = p.arrivedAt;
    feed(st, samples, store, out, m);
    st.nextSeq = p.seq + 1;
  }

  private void drain(ChannelState st, ChannelStore store, SlotterOutput out, SlotterMetrics m) {
    PendingChunk next;
    while (st.pendingCount > 0 && (next = store.pending(st.nextSeq)) != null) {
      store.removePending(next.seq);
      st.pendingCount--;
      process(st, next, store, out, m);
    }
  }

  /** Gives up on the seqs before the oldest buffered chunk and puts silence in their place. */
  private void fillGap(ChannelState st, ChannelStore store, SlotterOutput out, SlotterMetrics m) {
    long first = Long.MAX_VALUE;
    for (long seq : store.pendingSeqs()) {
      first = Math.min(first, seq);
    }
    if (first == Long.MAX_VALUE) {
      st.pendingCount = 0; // nothing buffered after all: never loop on a stale count
      return;
    }
    PendingChunk p = store.pending(first);
    long gapMs = 0;
    if (st.baseOffsetMs >= 0) {
      gapMs = Math.max(0, p.offsetMs - callTimeMs(st, st.segmenter.cursor));
    }
    // with no audio yet, the stream simply starts at the first chunk we have
    addFilledRange(st, st.nextSeq, first);
    st.nextSeq = first;
    st.gapMsFilled += gapMs;
    m.gapFilled(gapMs);
    if (gapMs > 0) {
      insertSilence(st, gapMs, store, out, m);
    }
  }

  private static void addFilledRange(ChannelState st, long from, long to) {
    long[] r = st.filledRanges;
    if (r.length >= 2 * ChannelState.MAX_FILLED_RANGES) {
      r = Arrays.copyOfRange(r, 2, r.length);
    }
    r = Arrays.copyOf(r, r.length + 2);
    r[r.length - 2] = from;
    r[r.length - 1] = to;
    st.filledRanges = r;
  }

  private void insertSilence(
      ChannelState st, long gapMs, ChannelStore store, SlotterOutput out, SlotterMetrics m) {
    long fillMs = Math.min(gapMs, Math.max(settings.maxGapFillMs(), minSilenceFillMs));
    long remaining = fillMs * SAMPLES_PER_MS;
    short[] block = new short[(int) Math.min(remaining, SILENCE_BLOCK_SAMPLES)];
    while (remaining > 0) {
      int n = (int) Math.min(remaining, block.length);
      feed(st, n == block.length ? block : new short[n], store, out, m);
      remaining -= n;
    }
    st.skippedMs += gapMs - fillMs;
    st.resampler = null; // the filter history is silence now
  }

  private void feed(
      ChannelState st, short[] samples, ChannelStore store, SlotterOutput out, SlotterMetrics m) {
    if (samples.length == 0) {
      return;
    }
    store.appendAudio(samples);
    st.audioLength += samples.length;
    AudioWindow window = (from, to) -> readAudio(st, store, from, to);
    long discarded = st.segmenter.discardedBursts;
    segmenter.accept(st.segmenter, samples, window, cut -> emit(st, cut, window, out, m));
    for (long i = discarded; i < st.segmenter.discardedBursts; i++) {
      m.burstDiscarded();
    }
    trim(st, store);
  }

  private void emit(
      ChannelState st, SlotCut cut, AudioWindow window, SlotterOutput out, SlotterMetrics m) {
    SpeechSlot slot = new SpeechSlot();
    slot.tenant = st.tenant;
    slot.callId = st.callId;
    slot.channel = st.channel;
    slot.slotIndex = st.nextSlotIndex++;
    slot.startMs = callTimeMs(st, cut.start());
    slot.endMs = st.baseOffsetMs + st.skippedMs + ceilDiv(cut.end(), SAMPLES_PER_MS);
    slot.samples = window.read(cut.start(), cut.end());
    slot.agentId = st.agentId;
    slot.startedAt = st.startedAt;
    slot.lastAudioArrivedAtEpochMs = st.lastArrivedAt;
    st.slotsCut++;
    m.slotEmitted(slot.durationMs());
    out.slot(slot);
  }

  private static long callTimeMs(ChannelState st, long samplePosition) {
    return st.baseOffsetMs + st.skippedMs + samplePosition / SAMPLES_PER_MS;
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  private static short[] readAudio(ChannelState st, ChannelStore store, long from, long to) {
    if (from < st.audioStart || to > st.audioStart + st.audioLength || from > to) {
      throw new IllegalStateException(
          "audio ["
              + from
              + ", "
              + to
              + ") requested, ["
              + st.audioStart
              + ", "
              + (st.audioStart + st.audioLength)
              + ") kept");
    }
    short[] out = new short[(int) (to - from)];
    long pos = st.audioStart;
    for (short[] piece : store.audio()) {
      long pieceEnd = pos + piece.length;
      long a = Math.max(pos, from);
      long b = Math.min(pieceEnd, to);
      if (a < b) {
        System.arraycopy(piece, (int) (a - pos), out, (int) (a - from), (int) (b - a));
      }
      pos = pieceEnd;
      if (pos >= to) {
        break;
      }
    }
    return out;
  }

  /** Drops kept audio the segmenter no longer needs, amortised (not on every chunk). */
  private void trim(ChannelState st, ChannelStore store) {
    long keep = segmenter.keepFrom(st.segmenter);
    long drop = keep - st.audioStart;
    if (drop <= 0) {
      return;
    }
    long stays = st.audioLength - drop;
    if (drop < TRIM_MIN_SAMPLES && drop < stays) {
      return;
    }
    short[] kept = readAudio(st, store, keep, st.audioStart + st.audioLength);
    store.replaceAudio(kept);
    st.audioStart = keep;
    st.audioLength = kept.length;
  }

  // ---------------------------------------------------------------------------------------------
  // closing

  /** After a chunk or a gap timer: close on the last seq, keep the gap timer in step, save. */
  private void afterProgress(
      ChannelState st, long now, ChannelStore store, SlotterOutput out, SlotterMetrics m) {
    if (st.lastSeq >= 0 && st.nextSeq > st.lastSeq) {
      close(st, LAST_CHUNK, now, store, out, m);
      return;
    }
    if (st.pendingCount > 0 && st.gapTimerAt == 0) {
      st.gapTimerAt = now + settings.gapTimeoutMs();
      store.registerTimer(st.gapTimerAt);
    } else if (st.pendingCount == 0 && st.gapTimerAt != 0) {
      long t = st.gapTimerAt;
      st.gapTimerAt = 0;
      deleteTimerIfUnused(st, t, store);
    }
    progress(st, out);
    store.putState(st);
  }

  /**
   * Emits a {@link ChannelProgress} marker when a slot was cut since the last one, or the call time
   * it vouches for moved on by {@link SlotterSettings#progressIntervalMs()}. Its {@code cutUpToMs}
   * is one ms before the earliest end any slot not yet emitted can have ({@link
   * SpeechSegmenter#unemittedSlotsEndFrom}); a later jump over a long gap only moves ends later.
   */
  private void progress(ChannelState st, SlotterOutput out) {
    if (st.baseOffsetMs < 0) {
      return; // no audio processed yet: nothing to vouch for
    }
    long endFrom = segmenter.unemittedSlotsEndFrom(st.segmenter);
    long upToMs = st.baseOffsetMs + st.skippedMs + ceilDiv(endFrom, SAMPLES_PER_MS) - 1;
    boolean newSlots = st.slotsCut != st.progressSlots;
    if (!newSlots && upToMs < st.progressUpToMs + settings.progressIntervalMs()) {
      return;
    }
    st.progressSlots = st.slotsCut;
    // a promise once true stays true (later slots were bound by it), so markers never go back
    st.progressUpToMs = Math.max(st.progressUpToMs, upToMs);
    out.progress(
        ChannelProgress.newBuilder()
            .setTenant(st.tenant)
            .setCallId(st.callId)
            .setChannel(st.channel)
            .setSlotsCut(st.slotsCut)
            .setCutUpToMs(st.progressUpToMs)
            .build());
  }

  private static void deleteTimerIfUnused(ChannelState st, long t, ChannelStore store) {
    if (t != st.idleTimerAt && t != st.gapTimerAt && t != st.endTimerAt) {
      store.deleteTimer(t);
    }
  }

  private void close(
      ChannelState st,
      String closedBy,
      long now,
      ChannelStore store,
      SlotterOutput out,
      SlotterMetrics m) {
    while (st.pendingCount > 0) {
      fillGap(st, store, out, m);
      drain(st, store, out, m);
    }
    AudioWindow window = (from, to) -> readAudio(st, store, from, to);
    segmenter.finish(st.segmenter, window, cut -> emit(st, cut, window, out, m));
    long endMs =
        st.baseOffsetMs < 0
            ? 0
            : st.baseOffsetMs + st.skippedMs + ceilDiv(st.segmenter.cursor, SAMPLES_PER_MS);
    out.report(
        ChannelReport.newBuilder()
            .setTenant(st.tenant)
            .setCallId(st.callId)
            .setChannel(st.channel)
            .setClosedBy(closedBy)
            .setEndMs(endMs)
            .setCoverage(
                Coverage.newBuilder()
                    .setChunksReceived(st.chunksReceived)
                    .setChunksRejected(st.chunksRejected)
                    .setDuplicateChunks(st.duplicateChunks)
                    .setAudioMsReceived(st.audioMicrosReceived / 1000)
                    .setGapMsFilled(st.gapMsFilled)
                    .setSlotsCut(st.slotsCut)
                    .build())
            .build());
    m.channelClosed(closedBy);
    for (long t : new long[] {st.idleTimerAt, st.gapTimerAt, st.endTimerAt}) {
      if (t != 0) {
        store.deleteTimer(t);
      }
    }
    store.clear();
    if (settings.closedRetentionMs() > 0) {
      ChannelState tombstone = new ChannelState();
      tombstone.tenant = st.tenant;
      tombstone.callId = st.callId;
      tombstone.channel = st.channel;
      tombstone.closedBy = closedBy;
      tombstone.lastSeq = st.lastSeq;
      tombstone.retentionTimerAt = now + settings.closedRetentionMs();
      store.registerTimer(tombstone.retentionTimerAt);
      store.putState(tombstone);
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return new byte[0];
    }
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
