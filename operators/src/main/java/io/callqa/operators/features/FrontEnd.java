package io.callqa.operators.features;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The SenseVoice front end: 16 kHz int16 samples → Kaldi fbank (80) → LFR (7, 6) → CMVN, giving ⌈T
 * / 6⌉ × 560 float32 features (T = fbank frames). Each stage is also available on its own ({@link
 * #fbank}, {@link #lfr}) for debugging and parity checks.
 *
 * <p>Thread-safety: NOT thread-safe (it owns the fbank's FFT scratch buffers). Create one per
 * thread (e.g. one per inference operator subtask or per {@code ThreadLocal}); creation is cheap,
 * and the {@link Cmvn} it holds is immutable and may be shared.
 */
public final class FrontEnd {

  public static final int LFR_DIM = KaldiFbank.NUM_MEL_BINS * Lfr.SENSEVOICE_M;

  private final KaldiFbank fbank = new KaldiFbank();
  private final Cmvn cmvn;

  /** A front end normalising with {@code cmvn}, which must have {@value #LFR_DIM} dimensions. */
  public FrontEnd(Cmvn cmvn) {
    if (cmvn != null && cmvn.dim() != LFR_DIM) {
      throw new IllegalArgumentException(
          "CMVN has " + cmvn.dim() + " dimensions, the front end produces " + LFR_DIM);
    }
    this.cmvn = cmvn;
  }

  public static FrontEnd load(Path amMvn) throws IOException {
    return new FrontEnd(Cmvn.load(amMvn));
  }

  /** Output frames (T_lfr) for {@code numSamples} input samples. */
  public static int outputFrames(int numSamples) {
    return Lfr.outputFrames(KaldiFbank.numFrames(numSamples), Lfr.SENSEVOICE_N);
  }

  /** Log-mel fbank, T × 80. */
  public Features fbank(short[] samples) {
    return new Features(
        KaldiFbank.numFrames(samples.length), KaldiFbank.NUM_MEL_BINS, fbank.compute(samples));
  }

  /** Fbank then LFR, ⌈T / 6⌉ × 560. */
  public Features lfr(short[] samples) {
    Features fb = fbank(samples);
    return new Features(
        Lfr.outputFrames(fb.frames(), Lfr.SENSEVOICE_N),
        LFR_DIM,
        Lfr.apply(fb.data(), fb.frames(), fb.dim()));
  }

  /** The full front end, ⌈T / 6⌉ × 560; requires a CMVN. */
  public Features compute(short[] samples) {
    if (cmvn == null) {
      throw new IllegalStateException("this front end has no CMVN (am.mvn)");
    }
    Features stacked = lfr(samples);
    cmvn.applyInPlace(stacked.data(), stacked.frames());
    return stacked;
  }
}
