package io.callqa.operators.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callqa.schemas.AudioEncoding;
import org.junit.jupiter.api.Test;

class AudioDecoderTest {

  @Test
  void pcm16IsLittleEndianSigned() {
    byte[] payload = {0x01, 0x00, (byte) 0xFF, (byte) 0xFF, 0x00, (byte) 0x80, (byte) 0xFF, 0x7F};
    assertThat(AudioDecoder.decode(AudioEncoding.PCM_S16LE, payload))
        .containsExactly((short) 1, (short) -1, Short.MIN_VALUE, Short.MAX_VALUE);
  }

  @Test
  void pcm16RoundTrips() {
    short[] x = TestSignals.speech(100, 1);
    assertThat(AudioDecoder.decode(AudioEncoding.PCM_S16LE, Pcm16.encode(x))).isEqualTo(x);
  }

  @Test
  void saysWhyAPayloadCannotBeDecoded() {
    assertThat(AudioDecoder.check(AudioEncoding.UNKNOWN, 10))
        .isEqualTo(RejectReason.UNKNOWN_ENCODING);
    assertThat(AudioDecoder.check(null, 10)).isEqualTo(RejectReason.UNKNOWN_ENCODING);
    assertThat(AudioDecoder.check(AudioEncoding.PCMU, 0)).isEqualTo(RejectReason.EMPTY_PAYLOAD);
    assertThat(AudioDecoder.check(AudioEncoding.PCM_S16LE, 3))
        .isEqualTo(RejectReason.ODD_PCM16_LENGTH);
    assertThat(AudioDecoder.check(AudioEncoding.PCMA, 3)).isNull();
    assertThatThrownBy(() -> AudioDecoder.decode(AudioEncoding.PCM_S16LE, new byte[3]))
        .hasMessageContaining("ODD_PCM16_LENGTH");
  }
}
