package io.callqa.operators.audio;

import io.callqa.schemas.AudioEncoding;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes mono WAV files: 16-bit PCM, μ-law or A-law (used by tests, fixtures and tools). */
public final class WavWriter {

  private WavWriter() {}

  public static byte[] toBytes(short[] samples, int sampleRate, AudioEncoding encoding) {
    byte[] data;
    int format;
    int bits;
    switch (encoding) {
      case PCM_S16LE -> {
        data = Pcm16.encode(samples);
        format = WavReader.FORMAT_PCM;
        bits = 16;
      }
      case PCMU -> {
        data = new byte[samples.length];
        for (int i = 0; i < samples.length; i++) {
          data[i] = G711.linearToUlaw(samples[i]);
        }
        format = WavReader.FORMAT_MULAW;
        bits = 8;
      }
      case PCMA -> {
        data = new byte[samples.length];
        for (int i = 0; i < samples.length; i++) {
          data[i] = G711.linearToAlaw(samples[i]);
        }
        format = WavReader.FORMAT_ALAW;
        bits = 8;
      }
      default -> throw new IllegalArgumentException("cannot write " + encoding);
    }
    int blockAlign = bits / 8;
    int fmtSize = format == WavReader.FORMAT_PCM ? 16 : 18; // non-PCM fmt carries cbSize
    int padded = data.length + (data.length & 1);
    ByteBuffer b =
        ByteBuffer.allocate(12 + 8 + fmtSize + 8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(4 + 8 + fmtSize + 8 + padded).put("WAVE".getBytes());
    b.put("fmt ".getBytes()).putInt(fmtSize);
    b.putShort((short) format).putShort((short) 1).putInt(sampleRate);
    b.putInt(sampleRate * blockAlign).putShort((short) blockAlign).putShort((short) bits);
    if (fmtSize == 18) {
      b.putShort((short) 0);
    }
    b.put("data".getBytes()).putInt(data.length).put(data);
    return b.array();
  }

  public static void write(Path file, short[] samples, int sampleRate, AudioEncoding encoding)
      throws IOException {
    Files.write(file, toBytes(samples, sampleRate, encoding));
  }
}
