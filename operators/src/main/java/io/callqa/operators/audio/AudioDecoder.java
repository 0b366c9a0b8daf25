package io.callqa.operators.audio;

import io.callqa.schemas.AudioEncoding;

/**
 * Turns a chunk payload into 16-bit linear samples, or says why it cannot.
 *
 * <p>Stateless and thread-safe: every supported encoding is sample-by-sample (no codec state
 * crosses a chunk boundary).
 */
public final class AudioDecoder {

  private AudioDecoder() {}

  /** Bytes per sample of an encoding, or 0 when the encoding is not supported. */
  public static int bytesPerSample(AudioEncoding encoding) {
    if (encoding == null) {
      return 0;
    }
    return switch (encoding) {
      case PCM_S16LE -> 2;
      case PCMU, PCMA -> 1;
      default -> 0;
    };
  }

  /**
   * Why {@code length} bytes of {@code encoding} cannot be decoded, as a {@link RejectReason}, or
   * null when they can.
   */
  public static RejectReason check(AudioEncoding encoding, int length) {
    int bytesPerSample = bytesPerSample(encoding);
    if (bytesPerSample == 0) {
      return RejectReason.UNKNOWN_ENCODING;
    }
    if (length == 0) {
      return RejectReason.EMPTY_PAYLOAD;
    }
    if (length % bytesPerSample != 0) {
      return RejectReason.ODD_PCM16_LENGTH;
    }
    return null;
  }

  /** Decodes a whole payload; call {@link #check} first. */
  public static short[] decode(AudioEncoding encoding, byte[] payload, int offset, int length) {
    RejectReason problem = check(encoding, length);
    if (problem != null) {
      throw new IllegalArgumentException(problem + ": cannot decode " + length + " bytes");
    }
    short[] out = new short[length / bytesPerSample(encoding)];
    switch (encoding) {
      case PCM_S16LE -> Pcm16.decode(payload, offset, length, out, 0);
      case PCMU -> G711.decodeUlaw(payload, offset, length, out, 0);
      case PCMA -> G711.decodeAlaw(payload, offset, length, out, 0);
      default -> throw new AssertionError(encoding);
    }
    return out;
  }

  public static short[] decode(AudioEncoding encoding, byte[] payload) {
    return decode(encoding, payload, 0, payload.length);
  }
}
