package io.callqa.operators.audio;

/**
 * ITU-T G.711 μ-law and A-law codecs, table driven: decoding is one array lookup per byte.
 *
 * <p>Decoded values are 16-bit linear PCM as in the ITU-T G.191 reference software (μ-law 0x00
 * decodes to -32124, A-law 0x2A to -32256); the tables are built once from the bit-level
 * definitions in G.711 §2 and checked against those reference values in the tests.
 */
public final class G711 {

  private static final short[] ULAW_TO_LINEAR = new short[256];
  private static final short[] ALAW_TO_LINEAR = new short[256];

  /** μ-law bias added before segment search (0x84 = 132). */
  private static final int ULAW_BIAS = 0x84;

  static {
    for (int code = 0; code < 256; code++) {
      ULAW_TO_LINEAR[code] = (short) ulawDecodeBits(code);
      ALAW_TO_LINEAR[code] = (short) alawDecodeBits(code);
    }
  }

  private G711() {}

  private static int ulawDecodeBits(int code) {
    int u = ~code & 0xFF;
    int exponent = (u >> 4) & 0x07;
    int mantissa = u & 0x0F;
    int magnitude = (((mantissa << 3) + ULAW_BIAS) << exponent) - ULAW_BIAS;
    return (u & 0x80) != 0 ? -magnitude : magnitude;
  }

  private static int alawDecodeBits(int code) {
    int a = (code ^ 0x55) & 0xFF;
    int exponent = (a >> 4) & 0x07;
    int mantissa = a & 0x0F;
    int magnitude =
        exponent == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
    return (a & 0x80) != 0 ? magnitude : -magnitude;
  }

  /** The 16-bit linear value of one μ-law byte. */
  public static short ulawToLinear(int code) {
    return ULAW_TO_LINEAR[code & 0xFF];
  }

  /** The 16-bit linear value of one A-law byte. */
  public static short alawToLinear(int code) {
    return ALAW_TO_LINEAR[code & 0xFF];
  }

  /** Decodes {@code length} μ-law bytes from {@code in[offset]} into {@code out[outOffset]}. */
  public static void decodeUlaw(byte[] in, int offset, int length, short[] out, int outOffset) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = ULAW_TO_LINEAR[in[offset + i] & 0xFF];
    }
  }

  /** Decodes {@code length} A-law bytes from {@code in[offset]} into {@code out[outOffset]}. */
  public static void decodeAlaw(byte[] in, int offset, int length, short[] out, int outOffset) {
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = ALAW_TO_LINEAR[in[offset + i] & 0xFF];
    }
  }

  private static final int[] ULAW_SEGMENT_END = {
    0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF
  };
  private static final int[] ALAW_SEGMENT_END = {
    0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF
  };

  private static int segment(int value, int[] ends) {
    for (int i = 0; i < ends.length; i++) {
      if (value <= ends[i]) {
        return i;
      }
    }
    return ends.length;
  }

  /**
   * Encodes one 16-bit sample to μ-law: the classic Sun / CCITT reference algorithm on the 14-bit
   * value (the same as CPython's audioop), clipping at 8159.
   */
  public static byte linearToUlaw(int sample) {
    int v = sample >> 2;
    int mask;
    if (v < 0) {
      v = -v;
      mask = 0x7F;
    } else {
      mask = 0xFF;
    }
    if (v > 8159) {
      v = 8159;
    }
    v += ULAW_BIAS >> 2;
    int seg = segment(v, ULAW_SEGMENT_END);
    int code = seg >= 8 ? 0x7F : (seg << 4) | ((v >> (seg + 1)) & 0x0F);
    return (byte) (code ^ mask);
  }

  /** Encodes one 16-bit sample to A-law (Sun / CCITT reference algorithm on 13 bits). */
  public static byte linearToAlaw(int sample) {
    int v = sample >> 3;
    int mask;
    if (v >= 0) {
      mask = 0xD5;
    } else {
      mask = 0x55;
      v = -v - 1;
    }
    int seg = segment(v, ALAW_SEGMENT_END);
    int code;
    if (seg >= 8) {
      code = 0x7F;
    } else {
      code = seg << 4;
      code |= seg < 2 ? (v >> 1) & 0x0F : (v >> seg) & 0x0F;
    }
    return (byte) (code ^ mask);
  }
}
