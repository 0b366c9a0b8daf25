package io.callqa.operators.audio;

import io.callqa.schemas.AudioEncoding;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small RIFF/WAVE reader for the formats calls come in: 16-bit PCM, G.711 μ-law and A-law, mono
 * or multi-channel, any sample rate (javax.sound.sampled does not read μ-law WAV reliably).
 *
 * <p>Handles WAVE_FORMAT_EXTENSIBLE, unknown chunks (LIST, fact, ...) with their pad byte, and a
 * data chunk whose declared size runs past the end of the file (streamed recordings): the samples
 * that are there are read. Everything else is refused with a message that says what was found.
 */
public final class WavReader {

  static final int FORMAT_PCM = 0x0001;
  static final int FORMAT_ALAW = 0x0006;
  static final int FORMAT_MULAW = 0x0007;
  static final int FORMAT_EXTENSIBLE = 0xFFFE;

  private WavReader() {}

  /**
   * Decoded audio: {@code samples} interleaved by channel in 16-bit linear PCM.
   *
   * @param encoding how the file stored them
   */
  public record WavAudio(int sampleRate, int channels, AudioEncoding encoding, short[] samples) {

    public int frames() {
      return samples.length / channels;
    }

    public double durationSeconds() {
      return (double) frames() / sampleRate;
    }

    /** The channels averaged into one (a copy; mono audio is returned as is). */
    public short[] mono() {
      if (channels == 1) {
        return samples;
      }
      int n = frames();
      short[] out = new short[n];
      for (int i = 0; i < n; i++) {
        int sum = 0;
        for (int c = 0; c < channels; c++) {
          sum += samples[i * channels + c];
        }
        out[i] = (short) Math.round((double) sum / channels);
      }
      return out;
    }

    /** Mono, resampled to 16 kHz with {@link Resampler} (rejects rates it does not support). */
    public short[] mono16k() {
      return Resampler.to16k(sampleRate).processAll(mono());
    }
  }

  public static WavAudio read(Path file) throws IOException {
    return read(Files.readAllBytes(file), file.toString());
  }

  /** Parses WAV bytes; {@code source} names them in error messages. */
  public static WavAudio read(byte[] bytes, String source) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < 12 || !fourCc(bytes, 0).equals("RIFF") || !fourCc(bytes, 8).equals("WAVE")) {
      throw new IllegalArgumentException(source + ": not a RIFF/WAVE file");
    }
    int pos = 12;
    int format = -1;
    int channels = 0;
    int sampleRate = 0;
    int bitsPerSample = 0;
    int blockAlign = 0;
    while (pos + 8 <= bytes.length) {
      String id = fourCc(bytes, pos);
      long size = Integer.toUnsignedLong(b.getInt(pos + 4));
      int body = pos + 8;
      if (id.equals("fmt ")) {
        if (size < 16 || body + 16 > bytes.length) {
          throw new IllegalArgumentException(source + ": fmt chunk too short (" + size + ")");
        }
        format = Short.toUnsignedInt(b.getShort(body));
        channels = Short.toUnsignedInt(b.getShort(body + 2));
        sampleRate = b.getInt(body + 4);
        blockAlign = Short.toUnsignedInt(b.getShort(body + 12));
        bitsPerSample = Short.toUnsignedInt(b.getShort(body + 14));
        if (format == FORMAT_EXTENSIBLE) {
          if (size < 40 || body + 26 > bytes.length) {
            throw new IllegalArgumentException(source + ": WAVE_FORMAT_EXTENSIBLE fmt too short");
          }
          // the sub-format GUID starts with the format code
          format = Short.toUnsignedInt(b.getShort(body + 24));
        }
      } else if (id.equals("data")) {
        if (format < 0) {
          throw new IllegalArgumentException(source + ": data chunk before fmt chunk");
        }
        int available = (int) Math.min(size, bytes.length - body);
        return decode(
            bytes,
            body,
            available,
            format,
            channels,
            sampleRate,
            bitsPerSample,
            blockAlign,
            source);
      }
      long next = body + size + (size & 1);
      if (next > bytes.length) {
        break;
      }
      pos = (int) next;
    }
    throw new IllegalArgumentException(source + ": no data chunk");
  }

  private static WavAudio decode(
      byte[] bytes,
      int offset,
      int length,
      int format,
      int channels,
      int sampleRate,
      int bitsPerSample,
      int blockAlign,
      String source) {
    if (channels < 1) {
      throw new IllegalArgumentException(source + ": " + channels + " channels");
    }
    if (sampleRate <= 0) {
      throw new IllegalArgumentException(source + ": sample rate " + sampleRate);
    }
    AudioEncoding encoding;
    int bytesPerSample;
    if (format == FORMAT_PCM && bitsPerSample == 16) {
      encoding = AudioEncoding.PCM_S16LE;
      bytesPerSample = 2;
    } else if (format == FORMAT_MULAW && bitsPerSample == 8) {
      encoding = AudioEncoding.PCMU;
      bytesPerSample = 1;
    } else if (format == FORMAT_ALAW && bitsPerSample == 8) {
      encoding = AudioEncoding.PCMA;
      bytesPerSample = 1;
    } else {
      throw new IllegalArgumentException(
          source
              + ": unsupported WAV format 0x"
              + Integer.toHexString(format)
              + " with "
              + bitsPerSample
              + " bits per sample (supported: 16-bit PCM, 8-bit mu-law, 8-bit A-law)");
    }
    if (blockAlign != 0 && blockAlign != bytesPerSample * channels) {
      throw new IllegalArgumentException(
          source
              + ": block align "
              + blockAlign
              + " does not match "
              + channels
              + " x "
              + bytesPerSample
              + " bytes");
    }
    int frameBytes = bytesPerSample * channels;
    int usable = length - length % frameBytes; // a torn last frame is dropped
    short[] samples = AudioDecoder.decode(encoding, bytes, offset, usable);
    return new WavAudio(sampleRate, channels, encoding, samples);
  }

  private static String fourCc(byte[] bytes, int at) {
    return new String(bytes, at, 4, StandardCharsets.US_ASCII);
  }
}
