package io.callqa.operators.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

  @Test
  void roundTrips(@TempDir Path dir) throws Exception {
    Features f = new Features(2, 3, new float[] {1, -2.5f, 3, Float.MIN_VALUE, 5e30f, -0f});
    Path file = dir.resolve("x.npy");
    Npy.write(file, f);

    Features back = Npy.read(file);

    assertThat(back.frames()).isEqualTo(2);
    assertThat(back.dim()).isEqualTo(3);
    assertThat(back.data()).containsExactly(f.data());
  }

  @Test
  void headerIsAlignedTo64BytesAsNumpyWritesIt() {
    byte[] bytes = Npy.toBytes(new Features(1, 1, new float[] {1}));
    int headerLen = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
    assertThat((10 + headerLen) % 64).isZero();
    assertThat(new String(bytes, 10, headerLen, StandardCharsets.ISO_8859_1))
        .startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }")
        .endsWith("\n");
  }

  @Test
  void readsNumpyWrittenFixtures() {
    Features f = Fixtures.npy("speech_en.fbank.npy");
    assertThat(f.dim()).isEqualTo(80);
    assertThat(f.frames()).isGreaterThan(100);
    Features empty = Fixtures.npy("short_20ms.fbank.npy");
    assertThat(empty.frames()).isZero();
    Features row = Fixtures.npy("g711_decode.npy");
    assertThat(row.frames()).isEqualTo(2);
  }

  @Test
  void refusesOtherDtypesAndLayouts(@TempDir Path dir) throws Exception {
    byte[] ok = Npy.toBytes(new Features(1, 2, new float[] {1, 2}));
    byte[] f8 =
        new String(ok, StandardCharsets.ISO_8859_1)
            .replace("<f4", "<f8")
            .getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> Npy.read(f8, "f8.npy")).hasMessageContaining("'<f4'");
    byte[] fortran =
        new String(ok, StandardCharsets.ISO_8859_1)
            .replace("False", "True ")
            .getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> Npy.read(fortran, "f.npy")).hasMessageContaining("Fortran");
    assertThatThrownBy(() -> Npy.read("hello world".getBytes(), "t.npy"))
        .hasMessageContaining("bad magic");
    Path truncated = dir.resolve("t.npy");
    Files.write(truncated, java.util.Arrays.copyOf(ok, ok.length - 1));
    assertThatThrownBy(() -> Npy.read(truncated)).hasMessageContaining("shorter");
  }
}
