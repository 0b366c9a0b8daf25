package io.callqa.operators.audio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Cuts a channel's 16 kHz stream into speech slots ({@link SlotCut}s) from {@link EnergyVad}
 * decisions on 10 ms frames; streaming, fed chunk by chunk, all state in a {@link SegmenterState}.
 *
 * <p>Rules, in the order they apply:
 *
 * <ul>
 *   <li>A slot opens at the first speech frame, {@code paddingMs} earlier (never before the end of
 *       the previous slot).
 *   <li>Pauses shorter than {@code maxPauseMs} stay inside the slot, so words and short breaths are
 *       never cut apart. After a longer pause the slot closes {@code paddingMs} after its last
 *       speech frame.
 *   <li>A run whose speech (first to last speech frame) is shorter than {@code minSpeechMs} is
 *       discarded and counted in {@link SegmenterState#discardedBursts}.
 *   <li>A slot never exceeds {@code maxSlotMs}: before it would, it is split in the middle of its
 *       quietest 10 ms frame of the second half, and the next slot continues from exactly there (no
 *       gap, no overlap, no padding, no minimum length).
 * </ul>
 *
 * <p>The caller owns the audio: it must keep samples from {@link #keepFrom} up to the cursor and
 * hand them out through an {@link AudioWindow}. Stateless and thread-safe.
 */
public final class SpeechSegmenter {

  private static final int F = EnergyVad.FRAME_SAMPLES;

  /**
   * A run in which more than this fraction of the loud frames had a stationary spectrum is music or
   * a tone (the start of hold music, before the VAD's tonal score has caught up), not speech.
   */
  static final double TONAL_RUN_FRACTION = 0.5;

  private final EnergyVad vad;
  private final long pad;
  private final long minSpeech;
  private final long maxSlot;
  private final long maxPause;
  private final long primeSamples = msToSamples(PRIME_MS);

  /** How much of a stream's start is held back to start the noise floor ({@link #endPriming}). */
  public static final long PRIME_MS = 2_000;

  public SpeechSegmenter(SegmenterSettings settings) {
    this.vad = new EnergyVad(settings.vad());
    this.pad = msToSamples(settings.paddingMs());
    this.minSpeech = msToSamples(settings.minSpeechMs());
    this.maxSlot = msToSamples(settings.maxSlotMs());
    this.maxPause = msToSamples(settings.maxPauseMs());
  }

  private static long msToSamples(long ms) {
    return ms * SpeechSlot.SAMPLE_RATE / 1000;
  }

  public SegmenterState newState() {
    SegmenterState s = new SegmenterState();
    s.partial = new short[F];
    s.vad = vad.newState();
    s.priming = true;
    return s;
  }

  /** Feeds the next samples of the stream (already readable through {@code audio}). */
  public void accept(
      SegmenterState st,
      short[] samples,
      int offset,
      int length,
      AudioWindow audio,
      Consumer<SlotCut> out) {
    if (st.priming) {
      st.cursor += length;
      if (st.cursor >= primeSamples) {
        endPriming(st, audio, out);
      }
      return;
    }
    int i = offset;
    int end = offset + length;
    if (st.partialLength > 0) {
      int take = Math.min(F - st.partialLength, length);
      System.arraycopy(samples, i, st.partial, st.partialLength, take);
      st.partialLength += take;
      st.cursor += take;
      i += take;
      if (st.partialLength == F) {
        st.partialLength = 0;
        frame(st, st.partial, 0, st.cursor - F, audio, out);
      }
    }
    while (end - i >= F) {
      st.cursor += F;
      frame(st, samples, i, st.cursor - F, audio, out);
      i += F;
    }
    if (i < end) {
      System.arraycopy(samples, i, st.partial, st.partialLength, end - i);
      st.partialLength += end - i;
      st.cursor += end - i;
    }
  }

  public void accept(SegmenterState st, short[] samples, AudioWindow audio, Consumer<SlotCut> out) {
    accept(st, samples, 0, samples.length, audio, out);
  }

  /**
   * The first {@link #PRIME_MS} of a stream (or all of it, when shorter) are held back until they
   * are all there: the VAD's noise floor then starts as their quietest 100 ms, and they are
   * segmented with it. A trailing floor has nothing to go on at the start: a clip or channel that
   * starts with speech set its floor from that speech, lost the first words until the first long
   * pause, and a short sad clip with no pause at all was never speech.
   */
  private void endPriming(SegmenterState st, AudioWindow audio, Consumer<SlotCut> out) {
    st.priming = false;
    short[] head = audio.read(0, st.cursor);
    vad.prime(st.vad, head, head.length / F);
    st.cursor = 0; // and back to where it was, now segmented
    accept(st, head, 0, head.length, audio, out);
  }

  /** End of the stream: closes the open slot, if any, at the last sample received. */
  public void finish(SegmenterState st, AudioWindow audio, Consumer<SlotCut> out) {
    if (st.priming) {
      endPriming(st, audio, out);
    }
    if (st.inSpeech) {
      closeRun(st, Math.min(st.lastSpeechEnd + pad, st.cursor), out);
    }
  }

  /**
   * A lower bound on the end of every slot this stream has yet to emit: each later cut ends at or
   * after the returned sample position (a progress marker must never promise past it).
   *
   * <ul>
   *   <li>No slot open: a later slot needs a speech frame not yet processed, so it ends at least
   *       one frame after the processed whole frames (start padding reaches back, the end cannot).
   *   <li>A slot open: it may still close {@code paddingMs} after its last speech frame (hangover
   *       included) once the pause reaches {@code maxPauseMs}, at the end of the stream (not before
   *       what is processed now), or at a split point, which is after the middle of the maximum
   *       slot length. If it turns out shorter than {@code minSpeechMs} it is dropped, and what
   *       comes next again needs unprocessed frames.
   * </ul>
   */
  public long unemittedSlotsEndFrom(SegmenterState st) {
    if (st.priming) {
      return 0; // nothing processed yet: a slot may still start at the first sample
    }
    long processedFrames = st.cursor - st.partialLength;
    if (!st.inSpeech) {
      return processedFrames;
    }
    long splitFrom = st.slotStart + maxSlot / 2;
    return Math.min(processedFrames, Math.min(st.lastSpeechEnd + pad, splitFrom));
  }

  /** The first sample the caller must still keep; everything before it is no longer needed. */
  public long keepFrom(SegmenterState st) {
    if (st.priming) {
      return 0;
    }
    if (st.inSpeech) {
      return st.slotStart;
    }
    long frameBoundary = st.cursor - st.partialLength;
    return Math.max(0, Math.max(st.prevSlotEnd, frameBoundary - pad));
  }

  private void frame(
      SegmenterState st,
      short[] buf,
      int off,
      long frameStart,
      AudioWindow audio,
      Consumer<SlotCut> out) {
    boolean speech = vad.accept(st.vad, buf, off);
    long frameEnd = frameStart + F;
    if (!st.inSpeech) {
      if (speech) {
        st.inSpeech = true;
        st.continuation = false;
        st.firstSpeech = frameStart;
        st.lastSpeechEnd = frameEnd;
        st.slotStart = Math.max(0, Math.max(frameStart - pad, st.prevSlotEnd));
        st.runLoudFrames = 0;
        st.runTonalFrames = 0;
      }
    }
    if (st.inSpeech && st.vad.lastLoud) {
      st.runLoudFrames++;
      if (st.vad.lastTonal) {
        st.runTonalFrames++;
      }
    }
    if (!st.inSpeech) {
      // nothing open
    } else if (speech) {
      st.lastSpeechEnd = frameEnd;
    } else if (frameEnd - st.lastSpeechEnd >= maxPause) {
      closeRun(st, Math.min(st.lastSpeechEnd + pad, frameEnd), out);
    }
    if (st.inSpeech && frameEnd + F - st.slotStart > maxSlot) {
      split(st, frameEnd, audio, out);
    }
  }

  private void closeRun(SegmenterState st, long end, Consumer<SlotCut> out) {
    boolean tonal = st.runTonalFrames > TONAL_RUN_FRACTION * st.runLoudFrames;
    if (st.continuation || (st.lastSpeechEnd - st.firstSpeech >= minSpeech && !tonal)) {
      out.accept(new SlotCut(st.slotStart, end, false));
      st.prevSlotEnd = end;
    } else {
      st.discardedBursts++;
    }
    st.inSpeech = false;
    st.continuation = false;
  }

  /** Splits the open slot in the middle of its quietest frame in the second half. */
  private void split(SegmenterState st, long frameEnd, AudioWindow audio, Consumer<SlotCut> out) {
    long from = st.slotStart + maxSlot / 2;
    from = Math.floorDiv(from + F - 1, F) * F; // VAD frame grid
    long cut;
    if (from >= frameEnd - F) {
      cut = frameEnd - F / 2;
    } else {
      short[] window = audio.read(from, frameEnd);
      int frames = window.length / F;
      int quietest = 0;
      double quietestDb = Double.POSITIVE_INFINITY;
      for (int f = 0; f < frames; f++) {
        double e = EnergyVad.frameEnergyDb(window, f * F, F);
        if (e < quietestDb) {
          quietestDb = e;
          quietest = f;
        }
      }
      cut = from + (long) quietest * F + F / 2;
    }
    out.accept(new SlotCut(st.slotStart, cut, true));
    st.prevSlotEnd = cut;
    st.slotStart = cut;
    st.firstSpeech = cut;
    st.lastSpeechEnd = Math.max(st.lastSpeechEnd, cut);
    st.continuation = true;
  }

  /** Segments a whole in-memory 16 kHz signal (offline use: files, tests, benchmarks). */
  public List<SlotCut> segmentAll(short[] samples) {
    List<SlotCut> cuts = new ArrayList<>();
    SegmenterState st = newState();
    AudioWindow window = (from, to) -> Arrays.copyOfRange(samples, (int) from, (int) to);
    accept(st, samples, 0, samples.length, window, cuts::add);
    finish(st, window, cuts::add);
    return cuts;
  }
}
