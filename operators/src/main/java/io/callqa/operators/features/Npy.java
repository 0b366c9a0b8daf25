package io.callqa.operators.features;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files holding a 2-D little-endian float32 array in C order
 * (format versions 1.0 – 3.0 read, 1.0 written). A 1-D array reads as one row.
 */
public final class Npy {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  public static Features read(Path file) throws IOException {
    return read(Files.readAllBytes(file), file.toString());
  }

  /** Parses the bytes of a .npy file; {@code source} names it in error messages. */
  public static Features read(byte[] bytes, String source) {
    if (bytes.length < 10) {
      throw new IllegalArgumentException(source + ": too short for a .npy file");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[i] != MAGIC[i]) {
        throw new IllegalArgumentException(source + ": not a .npy file (bad magic)");
      }
    }
    int major = bytes[6];
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int headerLen;
    int headerStart;
    if (major == 1) {
      headerLen = Short.toUnsignedInt(buf.getShort(8));
      headerStart = 10;
    } else if (major == 2 || major == 3) {
      headerLen = buf.getInt(8);
      headerStart = 12;
    } else {
      throw new IllegalArgumentException(source + ": unsupported .npy version " + major);
    }
    if (headerStart + headerLen > bytes.length) {
      throw new IllegalArgumentException(source + ": truncated header");
    }
    String header =
        new String(
            bytes,
            headerStart,
            headerLen,
            major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    String descr = group(DESCR, header, "descr", source);
    if (!descr.equals("<f4")) {
      throw new IllegalArgumentException(
          source + ": dtype " + descr + " is not little-endian float32 ('<f4')");
    }
    if (group(FORTRAN, header, "fortran_order", source).equals("True")) {
      throw new IllegalArgumentException(source + ": Fortran order is not supported");
    }
    String[] dims = group(SHAPE, header, "shape", source).split(",");
    int rows;
    int cols;
    String d0 = dims.length > 0 ? dims[0].trim() : "";
    String d1 = dims.length > 1 ? dims[1].trim() : "";
    if (dims.length == 1 || (dims.length == 2 && d1.isEmpty())) {
      rows = 1;
      cols = Integer.parseInt(d0);
    } else if (dims.length == 2) {
      rows = Integer.parseInt(d0);
      cols = Integer.parseInt(d1);
    } else {
      throw new IllegalArgumentException(
          source + ": shape (" + String.join(",", dims) + ") is not 1-D or 2-D");
    }
    int dataStart = headerStart + headerLen;
    long n = (long) rows * cols;
    if (dataStart + 4 * n > bytes.length) {
      throw new IllegalArgumentException(
          source + ": header says " + rows + " x " + cols + " but the data is shorter");
    }
    float[] data = new float[(int) n];
    buf.position(dataStart);
    buf.asFloatBuffer().get(data);
    if (cols == 0) {
      throw new IllegalArgumentException(source + ": arrays with zero columns are not supported");
    }
    return new Features(rows, cols, data);
  }

  private static String group(Pattern p, String header, String key, String source) {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new IllegalArgumentException(source + ": header has no '" + key + "': " + header);
    }
    return m.group(1);
  }

  public static void write(Path file, Features f) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      write(out, f.frames(), f.dim(), f.data());
    }
  }

  /** Writes a [rows][cols] float32 array, version 1.0, header padded to 64 bytes. */
  public static void write(OutputStream out, int rows, int cols, float[] data) throws IOException {
    if (data.length != (long) rows * cols) {
      throw new IllegalArgumentException(
          rows + " x " + cols + " needs " + rows * cols + " values, got " + data.length);
    }
    String dict =
        "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
    int unpadded = 10 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    StringBuilder header = new StringBuilder(dict);
    header.append(" ".repeat(padding)).append('\n');
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    head.write(MAGIC);
    head.write(1);
    head.write(0);
    int len = header.length();
    head.write(len & 0xFF);
    head.write((len >> 8) & 0xFF);
    head.write(header.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(head.toByteArray());
    ByteBuffer body = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    body.asFloatBuffer().put(data);
    out.write(body.array());
  }

  public static byte[] toBytes(Features f) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(out, f.frames(), f.dim(), f.data());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }
}
