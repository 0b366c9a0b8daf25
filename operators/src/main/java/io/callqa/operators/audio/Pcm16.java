package io.callqa.operators.audio;

/** 16-bit signed little-endian PCM, the raw payload of {@code PCM_S16LE} chunks and WAV files. */
public final class Pcm16 {

  private Pcm16() {}

  /** Decodes {@code length} bytes (must be even) starting at {@code offset} into samples. */
  public static void decode(byte[] in, int offset, int length, short[] out, int outOffset) {
    if ((length & 1) != 0) {
      throw new IllegalArgumentException("PCM16 needs an even byte count, got " + length);
    }
    int n = length >> 1;
    for (int i = 0; i < n; i++) {
      int p = offset + 2 * i;
      out[outOffset + i] = (short) ((in[p] & 0xFF) | (in[p + 1] << 8));
    }
  }

  /** Encodes samples as little-endian bytes. */
  public static byte[] encode(short[] samples, int offset, int length) {
    byte[] out = new byte[2 * length];
    for (int i = 0; i < length; i++) {
      short s = samples[offset + i];
      out[2 * i] = (byte) s;
      out[2 * i + 1] = (byte) (s >> 8);
    }
    return out;
  }

  public static byte[] encode(short[] samples) {
    return encode(samples, 0, samples.length);
  }
}
