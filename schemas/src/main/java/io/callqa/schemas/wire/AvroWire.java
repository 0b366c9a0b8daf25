package io.callqa.schemas.wire;

import io.callqa.schemas.wire.WireFormatException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Kafka wire format of callqa: Avro single-object encoding (marker C3 01, the writer schema's
 * 8-byte CRC-64-AVRO fingerprint, then the binary body). The fingerprint lets a reader tell a
 * record of an unknown schema from a corrupt one without a schema registry.
 *
 * <p>A reader knows its own schema and every older writer schema it was given (see {@link Wire});
 * records of older writers are resolved to the current schema, so every field added later needs a
 * default. Thread-safe.
 */
public final class AvroWire<T extends SpecificRecord> {
  private static final int HEADER_BYTES = 10;

  private final Class<T> type;
  private final Schema schema;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  private AvroWire(Class<T> type, List<Schema> olderWriterSchemas) {
    this.type = type;
    this.schema = SpecificData.get().getSchema(type);
    // the generated class's own model carries its logical-type conversions (timestamp-millis ↔
    // Instant)
    SpecificData model = SpecificData.getForClass(type);
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.decoder = new BinaryMessageDecoder<>(model, schema);
    olderWriterSchemas.forEach(decoder::addSchema);
  }

  /** The codec for a generated record class, reading the given older versions of its schema too. */
  public static <T extends SpecificRecord> AvroWire<T> of(
      Class<T> type, Schema... olderWriterSchemas) {
    return new AvroWire<>(type, List.of(olderWriterSchemas));
  }

  public Schema schema() {
    return schema;
  }

  /** The CRC-64-AVRO fingerprint written in every record's header. */
  public long fingerprint() {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  public byte[] encode(T record) {
    try {
      ByteBuffer buffer = encoder.encode(record);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + type.getSimpleName(), e);
    }
  }

  /**
   * Decodes one record; never throws anything but {@link WireFormatException} on bad input, so
   * callers can route it to a dead-letter topic.
   */
  public T decode(byte[] bytes) throws WireFormatException {
    if (bytes == null || bytes.length == 0) {
      throw new WireFormatException(Reason.EMPTY, "no bytes", null);
    }
    if (bytes.length < HEADER_BYTES || (bytes[0] & 0xff) != 0xC3 || bytes[1] != 0x01) {
      throw new WireFormatException(
          Reason.NOT_SINGLE_OBJECT,
          "not Avro single-object encoded ("
              + bytes.length
              + " bytes, starts "
              + hexHead(bytes)
              + ")",
          null);
    }
    try {
      return decoder.decode(bytes);
    } catch (MissingSchemaException e) {
      throw new WireFormatException(
          Reason.UNKNOWN_SCHEMA,
          "schema fingerprint "
              + hexFingerprint(bytes)
              + " is not a known "
              + type.getSimpleName()
              + " schema",
          e);
    } catch (BadHeaderException e) {
      throw new WireFormatException(Reason.NOT_SINGLE_OBJECT, e.getMessage(), e);
    } catch (IOException
        | AvroRuntimeException
        | IndexOutOfBoundsException
        | NegativeArraySizeException
        | IllegalArgumentException
        | ClassCastException
        | UnsupportedOperationException e) {
      throw new WireFormatException(
          Reason.CORRUPT_BODY, type.getSimpleName() + " body does not decode: " + e, e);
    } catch (OutOfMemoryError e) {
      // a corrupt length prefix can ask for a huge array
      throw new WireFormatException(
          Reason.CORRUPT_BODY, "corrupt length prefix: " + e.getMessage(), null);
    }
  }

  private static String hexHead(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(4, bytes.length); i++) {
      sb.append(String.format("%02x", bytes[i]));
    }
    return sb.toString();
  }

  private static String hexFingerprint(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (int i = 9; i >= 2; i--) {
      sb.append(String.format("%02x", bytes[i]));
    }
    return sb.toString();
  }
}
