package io.callqa.operators.audio;

import static org.assertj.core.api.Assertions.assertThat;

import io.callqa.operators.features.Features;
import io.callqa.operators.features.Npy;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class G711Test {

  @Test
  void muLawDecodesToTheItuReferenceValues() {
    // ITU-T G.711 / G.191 reference decoder, 16-bit scaled
    assertThat(G711.ulawToLinear(0x00)).isEqualTo((short) -32124);
    assertThat(G711.ulawToLinear(0x80)).isEqualTo((short) 32124);
    assertThat(G711.ulawToLinear(0xFF)).isEqualTo((short) 0);
    assertThat(G711.ulawToLinear(0x7F)).isEqualTo((short) 0);
    assertThat(G711.ulawToLinear(0x0F)).isEqualTo((short) -16764);
    assertThat(G711.ulawToLinear(0x70)).isEqualTo((short) -120);
    assertThat(G711.ulawToLinear(0xFE)).isEqualTo((short) 8);
  }

  @Test
  void aLawDecodesToTheItuReferenceValues() {
    assertThat(G711.alawToLinear(0xD5)).isEqualTo((short) 8);
    assertThat(G711.alawToLinear(0x55)).isEqualTo((short) -8);
    assertThat(G711.alawToLinear(0x2A)).isEqualTo((short) -32256);
    assertThat(G711.alawToLinear(0xAA)).isEqualTo((short) 32256);
    assertThat(G711.alawToLinear(0x00)).isEqualTo((short) -5504);
    assertThat(G711.alawToLinear(0x80)).isEqualTo((short) 5504);
  }

  @Test
  void everyCodeDecodesLikeCPythonsAudioop() throws Exception {
    Features table = Npy.read(fixture("g711_decode.npy"));
    for (int code = 0; code < 256; code++) {
      assertThat(G711.ulawToLinear(code))
          .as("mu-law %02x", code)
          .isEqualTo((short) table.get(0, code));
      assertThat(G711.alawToLinear(code))
          .as("A-law %02x", code)
          .isEqualTo((short) table.get(1, code));
    }
  }

  @Test
  void encodingMatchesCPythonsAudioop() throws Exception {
    Features grid = Npy.read(fixture("g711_encode.npy"));
    for (int i = 0; i < grid.dim(); i++) {
      int value = (int) grid.get(0, i);
      assertThat(G711.linearToUlaw(value) & 0xFF)
          .as("mu-law of %d", value)
          .isEqualTo((int) grid.get(1, i));
      assertThat(G711.linearToAlaw(value) & 0xFF)
          .as("A-law of %d", value)
          .isEqualTo((int) grid.get(2, i));
    }
  }

  @Test
  void decodedValuesEncodeBackToThemselves() {
    for (int code = 0; code < 256; code++) {
      short u = G711.ulawToLinear(code);
      assertThat(G711.ulawToLinear(G711.linearToUlaw(u))).isEqualTo(u);
      short a = G711.alawToLinear(code);
      assertThat(G711.alawToLinear(G711.linearToAlaw(a))).isEqualTo(a);
    }
  }

  @Test
  void decodesWholeBuffers() {
    byte[] in = {(byte) 0xFF, 0x00, (byte) 0x80, 0x55};
    short[] out = new short[5];
    G711.decodeUlaw(in, 1, 2, out, 3);
    assertThat(out).containsExactly(0, 0, 0, -32124, 32124);
    G711.decodeAlaw(in, 3, 1, out, 0);
    assertThat(out[0]).isEqualTo((short) -8);
  }

  static Path fixture(String name) throws URISyntaxException {
    return Path.of(G711Test.class.getResource("/frontend/" + name).toURI());
  }
}
