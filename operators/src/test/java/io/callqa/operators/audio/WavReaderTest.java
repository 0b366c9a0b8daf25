package io.callqa.operators.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callqa.operators.features.Features;
import io.callqa.operators.features.Npy;
import io.callqa.schemas.AudioEncoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WavReaderTest {

  @Test
  void readsSoxMuLawWavExactlyAsAudioopDecodesIt() throws Exception {
    WavReader.WavAudio wav = WavReader.read(G711Test.fixture("speech_en_8k_ulaw.wav"));
    Features expected = Npy.read(G711Test.fixture("speech_en_8k_ulaw.pcm.npy"));

    assertThat(wav.sampleRate()).isEqualTo(8_000);
    assertThat(wav.channels()).isEqualTo(1);
    assertThat(wav.encoding()).isEqualTo(AudioEncoding.PCMU);
    assertThat(wav.samples()).hasSize(expected.dim());
    for (int i = 0; i < expected.dim(); i++) {
      assertThat(wav.samples()[i]).isEqualTo((short) expected.get(0, i));
    }
  }

  @Test
  void readsSoxALawWavExactlyAsAudioopDecodesIt() throws Exception {
    WavReader.WavAudio wav = WavReader.read(G711Test.fixture("speech_en_8k_alaw.wav"));
    Features expected = Npy.read(G711Test.fixture("speech_en_8k_alaw.pcm.npy"));

    assertThat(wav.encoding()).isEqualTo(AudioEncoding.PCMA);
    short[] want = new short[expected.dim()];
    for (int i = 0; i < want.length; i++) {
      want[i] = (short) expected.get(0, i);
    }
    assertThat(wav.samples()).isEqualTo(want);
  }

  @Test
  void muLaw8kResamplesTo16kWithTheSameDuration() throws Exception {
    WavReader.WavAudio wav = WavReader.read(G711Test.fixture("speech_en_8k_ulaw.wav"));
    short[] pcm16k = wav.mono16k();
    assertThat(pcm16k).hasSize(2 * wav.frames());
  }

  @ParameterizedTest
  @EnumSource(
      value = AudioEncoding.class,
      names = {"PCM_S16LE", "PCMU", "PCMA"})
  void writerAndReaderRoundTrip(AudioEncoding encoding, @TempDir Path dir) throws Exception {
    short[] x = TestSignals.speech(300, 2);
    Path file = dir.resolve("x.wav");
    WavWriter.write(file, x, 8_000, encoding);

    WavReader.WavAudio wav = WavReader.read(file);

    assertThat(wav.sampleRate()).isEqualTo(8_000);
    assertThat(wav.encoding()).isEqualTo(encoding);
    short[] expected = x;
    if (encoding != AudioEncoding.PCM_S16LE) {
      expected = new short[x.length];
      for (int i = 0; i < x.length; i++) {
        expected[i] =
            encoding == AudioEncoding.PCMU
                ? G711.ulawToLinear(G711.linearToUlaw(x[i]))
                : G711.alawToLinear(G711.linearToAlaw(x[i]));
      }
    }
    assertThat(wav.samples()).isEqualTo(expected);
  }

  @Test
  void skipsUnknownChunksWithTheirPadByte() {
    short[] x = {1, -2, 3, -4};
    byte[] plain = WavWriter.toBytes(x, 16_000, AudioEncoding.PCM_S16LE);
    // insert an odd-sized LIST chunk (5 bytes + pad) between fmt and data
    byte[] list = {'L', 'I', 'S', 'T', 5, 0, 0, 0, 'h', 'e', 'l', 'l', 'o', 0};
    int dataAt = 12 + 8 + 16;
    byte[] withList = new byte[plain.length + list.length];
    System.arraycopy(plain, 0, withList, 0, dataAt);
    System.arraycopy(list, 0, withList, dataAt, list.length);
    System.arraycopy(plain, dataAt, withList, dataAt + list.length, plain.length - dataAt);

    assertThat(WavReader.read(withList, "list.wav").samples()).containsExactly(x);
  }

  @Test
  void readsWaveFormatExtensible() {
    short[] x = {100, -100, 200, -200};
    ByteBuffer b = ByteBuffer.allocate(12 + 8 + 40 + 8 + 8).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(b.capacity() - 8).put("WAVE".getBytes());
    b.put("fmt ".getBytes()).putInt(40);
    b.putShort((short) 0xFFFE).putShort((short) 1).putInt(16_000).putInt(32_000);
    b.putShort((short) 2).putShort((short) 16).putShort((short) 22).putShort((short) 16);
    b.putInt(4).putShort((short) 1).put(new byte[14]); // channel mask, sub-format GUID (PCM)
    b.put("data".getBytes()).putInt(8);
    for (short s : x) {
      b.putShort(s);
    }

    WavReader.WavAudio wav = WavReader.read(b.array(), "ext.wav");

    assertThat(wav.encoding()).isEqualTo(AudioEncoding.PCM_S16LE);
    assertThat(wav.samples()).containsExactly(x);
  }

  @Test
  void dataRunningPastTheEndOfTheFileIsReadAsFarAsItGoes() {
    byte[] full = WavWriter.toBytes(new short[] {5, 6, 7, 8}, 16_000, AudioEncoding.PCM_S16LE);
    byte[] cut = Arrays.copyOf(full, full.length - 3); // 2.5 samples missing
    assertThat(WavReader.read(cut, "cut.wav").samples()).containsExactly((short) 5, (short) 6);
  }

  @Test
  void stereoIsAveragedToMono() {
    short[] interleaved = {100, 300, -50, -150};
    byte[] bytes = WavWriter.toBytes(interleaved, 16_000, AudioEncoding.PCM_S16LE);
    ByteBuffer.wrap(bytes)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putShort(22, (short) 2)
        .putShort(32, (short) 4);
    WavReader.WavAudio wav = WavReader.read(bytes, "stereo.wav");
    assertThat(wav.channels()).isEqualTo(2);
    assertThat(wav.mono()).containsExactly((short) 200, (short) -100);
  }

  @Test
  void refusesWhatItCannotDecodeWithAClearMessage(@TempDir Path dir) throws Exception {
    byte[] pcm8 = WavWriter.toBytes(new short[] {1, 2}, 8_000, AudioEncoding.PCM_S16LE);
    ByteBuffer.wrap(pcm8).order(ByteOrder.LITTLE_ENDIAN).putShort(34, (short) 8);
    assertThatThrownBy(() -> WavReader.read(pcm8, "pcm8.wav"))
        .hasMessageContaining("pcm8.wav")
        .hasMessageContaining("8 bits");
    assertThatThrownBy(() -> WavReader.read("not a wav file".getBytes(), "text.wav"))
        .hasMessageContaining("not a RIFF/WAVE file");
    byte[] noData = Arrays.copyOf(pcm8, 12 + 8 + 16);
    assertThatThrownBy(() -> WavReader.read(noData, "nodata.wav"))
        .hasMessageContaining("no data chunk");
    Path file = dir.resolve("empty.wav");
    Files.write(file, new byte[0]);
    assertThatThrownBy(() -> WavReader.read(file)).hasMessageContaining("empty.wav");
  }
}
