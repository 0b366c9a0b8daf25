package io.callqa.operators.sinks.elasticsearch.documents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * Emits the JSON object that represents an Avro record in Elasticsearch, by walking the record's
 * schema, so fields added to a schema later appear in the documents without code changes.
 *
 * <p>Per Avro type:
 *
 * <ul>
 *   <li>records → objects; maps → objects keyed by the map keys; arrays → arrays;
 *   <li>unions → the branch the value belongs to; {@code null} values are left out of the object
 *       (Elasticsearch treats a missing field and a null field alike);
 *   <li>enums → their symbol as a string;
 *   <li>{@code timestamp-millis} / {@code timestamp-micros} → ISO-8601 UTC strings ({@code
 *       2026-11-21T09:30:00.250Z}), {@code local-timestamp-*} → ISO-8601 without zone, {@code date}
 *       → {@code yyyy-MM-dd}, {@code time-*} → {@code HH:mm:ss.SSS}, {@code decimal} → a JSON
 *       number;
 *   <li>{@code bytes} and {@code fixed} → left out by default (they carry payloads such as audio or
 *       a dead letter's raw record, which do not belong in a search index), or base64 strings with
 *       {@link BytesPolicy#BASE64};
 *   <li>NaN and infinite floats / doubles → left out (JSON has no literal for them).
 * </ul>
 *
 * <p>Works on generated (specific) records, whose logical-type fields hold {@code java.time}
 * values, and on generic records, which hold the underlying longs and ints.
 */
public final class AvroJson implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** ISO-8601 UTC with milliseconds, the form every {@code date} field of callqa's indices has. */
  static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static final DateTimeFormatter ISO_MICROS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  /** What becomes of {@code bytes} and {@code fixed} values (decimals are always numbers). */
  public enum BytesPolicy {
    /** Left out of the document. */
    SKIP,
    /** Written as a standard base64 string. */
    BASE64
  }

  private final BytesPolicy bytes;

  public AvroJson(BytesPolicy bytes) {
    this.bytes = Objects.requireNonNull(bytes, "bytes");
  }

  /** Leaves bytes out: the default for every callqa document. */
  public static AvroJson skippingBytes() {
    return new AvroJson(BytesPolicy.SKIP);
  }

  /** The JSON object for a record, one property per non-null field. */
  public ObjectNode toJson(IndexedRecord record) {
    Objects.requireNonNull(record, "record");
    return recordNode(record.getSchema(), record);
  }

  /**
   * The JSON for one value of the given schema, or {@code null} when the value is left out (null,
   * bytes under {@link BytesPolicy#SKIP}, NaN).
   */
  public JsonNode toJson(Schema schema, Object value) {
    if (value == null) {
      return null;
    }
    LogicalType logical = schema.getLogicalType();
    switch (schema.getType()) {
      case NULL:
        return null;
      case BOOLEAN:
        return NODES.booleanNode((Boolean) value);
      case INT:
        if (logical instanceof LogicalTypes.Date) {
          return NODES.textNode(localDate(value).toString());
        }
        if (logical instanceof LogicalTypes.TimeMillis) {
          return NODES.textNode(
              DateTimeFormatter.ofPattern("HH:mm:ss.SSS").format(localTime(value, 1_000_000L)));
        }
        return NODES.numberNode(((Number) value).intValue());
      case LONG:
        return longNode(logical, value);
      case FLOAT:
        {
          float f = ((Number) value).floatValue();
          return Float.isFinite(f) ? NODES.numberNode(f) : null;
        }
      case DOUBLE:
        {
          double d = ((Number) value).doubleValue();
          return Double.isFinite(d) ? NODES.numberNode(d) : null;
        }
      case STRING:
        return NODES.textNode(value.toString());
      case ENUM:
        return NODES.textNode(enumSymbol(value));
      case BYTES:
      case FIXED:
        return bytesNode(schema, value);
      case ARRAY:
        {
          ArrayNode array = NODES.arrayNode();
          for (Object item : (Collection<?>) value) {
            JsonNode node = toJson(schema.getElementType(), item);
            if (node != null) {
              array.add(node);
            }
          }
          return array;
        }
      case MAP:
        {
          ObjectNode object = NODES.objectNode();
          for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
            JsonNode node = toJson(schema.getValueType(), e.getValue());
            if (node != null) {
              object.set(e.getKey().toString(), node);
            }
          }
          return object;
        }
      case RECORD:
        return recordNode(schema, (IndexedRecord) value);
      case UNION:
        return toJson(branchOf(schema, value), value);
      default:
        throw new IllegalArgumentException("unsupported Avro type " + schema.getType());
    }
  }

  private ObjectNode recordNode(Schema schema, IndexedRecord record) {
    ObjectNode object = NODES.objectNode();
    for (Schema.Field field : schema.getFields()) {
      JsonNode node = toJson(field.schema(), record.get(field.pos()));
      if (node != null) {
        object.set(field.name(), node);
      }
    }
    return object;
  }

  private static JsonNode longNode(LogicalType logical, Object value) {
    if (logical instanceof LogicalTypes.TimestampMillis) {
      return NODES.textNode(ISO_MILLIS.format(instant(value, ChronoUnit.MILLIS)));
    }
    if (logical instanceof LogicalTypes.TimestampMicros) {
      return NODES.textNode(ISO_MICROS.format(instant(value, ChronoUnit.MICROS)));
    }
    if (logical instanceof LogicalTypes.LocalTimestampMillis) {
      return NODES.textNode(localDateTime(value, ChronoUnit.MILLIS).toString());
    }
    if (logical instanceof LogicalTypes.LocalTimestampMicros) {
      return NODES.textNode(localDateTime(value, ChronoUnit.MICROS).toString());
    }
    if (logical instanceof LogicalTypes.TimeMicros) {
      return NODES.textNode(
          DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS").format(localTime(value, 1_000L)));
    }
    return NODES.numberNode(((Number) value).longValue());
  }

  private JsonNode bytesNode(Schema schema, Object value) {
    if (schema.getLogicalType() instanceof LogicalTypes.Decimal decimal) {
      if (value instanceof BigDecimal big) {
        return NODES.numberNode(big);
      }
      return NODES.numberNode(new BigDecimal(new BigInteger(rawBytes(value)), decimal.getScale()));
    }
    if (bytes == BytesPolicy.SKIP) {
      return null;
    }
    return NODES.textNode(Base64.getEncoder().encodeToString(rawBytes(value)));
  }

  private static byte[] rawBytes(Object value) {
    if (value instanceof ByteBuffer buffer) {
      ByteBuffer copy = buffer.duplicate();
      byte[] out = new byte[copy.remaining()];
      copy.get(out);
      return out;
    }
    if (value instanceof GenericFixed fixed) {
      return fixed.bytes();
    }
    if (value instanceof byte[] array) {
      return array;
    }
    throw new IllegalArgumentException("not a bytes value: " + value.getClass().getName());
  }

  private static Instant instant(Object value, ChronoUnit unit) {
    if (value instanceof Instant i) {
      return i;
    }
    long n = ((Number) value).longValue();
    return unit == ChronoUnit.MILLIS
        ? Instant.ofEpochMilli(n)
        : Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000L), Math.floorMod(n, 1_000_000L) * 1000);
  }

  private static LocalDateTime localDateTime(Object value, ChronoUnit unit) {
    if (value instanceof LocalDateTime t) {
      return t;
    }
    return LocalDateTime.ofInstant(instant(value, unit), ZoneOffset.UTC);
  }

  private static LocalDate localDate(Object value) {
    return value instanceof LocalDate d ? d : LocalDate.ofEpochDay(((Number) value).longValue());
  }

  private static LocalTime localTime(Object value, long nanosPerUnit) {
    return value instanceof LocalTime t
        ? t
        : LocalTime.ofNanoOfDay(((Number) value).longValue() * nanosPerUnit);
  }

  private static String enumSymbol(Object value) {
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    if (value instanceof GenericEnumSymbol<?> s) {
      return s.toString();
    }
    return value.toString();
  }

  /** The union branch a (non-null) value belongs to, for specific and generic values alike. */
  static Schema branchOf(Schema union, Object value) {
    List<Schema> types = union.getTypes();
    Schema onlyNonNull = null;
    int nonNull = 0;
    for (Schema t : types) {
      if (t.getType() != Schema.Type.NULL) {
        onlyNonNull = t;
        nonNull++;
      }
    }
    if (nonNull == 1) {
      return onlyNonNull;
    }
    for (Schema t : types) {
      if (belongsTo(t, value)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "value of type " + value.getClass().getName() + " matches no branch of " + union);
  }

  private static boolean belongsTo(Schema schema, Object value) {
    LogicalType logical = schema.getLogicalType();
    return switch (schema.getType()) {
      case NULL -> false;
      case BOOLEAN -> value instanceof Boolean;
      case INT ->
          value instanceof Integer
              || (logical instanceof LogicalTypes.Date && value instanceof LocalDate)
              || (logical instanceof LogicalTypes.TimeMillis && value instanceof LocalTime);
      case LONG ->
          value instanceof Long
              || (value instanceof Instant
                  && (logical instanceof LogicalTypes.TimestampMillis
                      || logical instanceof LogicalTypes.TimestampMicros))
              || (value instanceof LocalDateTime
                  && (logical instanceof LogicalTypes.LocalTimestampMillis
                      || logical instanceof LogicalTypes.LocalTimestampMicros))
              || (logical instanceof LogicalTypes.TimeMicros && value instanceof LocalTime);
      case FLOAT -> value instanceof Float;
      case DOUBLE -> value instanceof Double;
      case STRING -> value instanceof CharSequence || value instanceof java.util.UUID;
      case BYTES -> value instanceof ByteBuffer || value instanceof BigDecimal;
      case FIXED ->
          (value instanceof GenericFixed f
                  && f.getSchema().getFullName().equals(schema.getFullName()))
              || (value instanceof BigDecimal && logical instanceof LogicalTypes.Decimal);
      case ENUM ->
          (value instanceof GenericContainer c
                  && c.getSchema().getFullName().equals(schema.getFullName()))
              || (value instanceof Enum<?> e
                  && e.getDeclaringClass().getName().equals(schema.getFullName()));
      case RECORD ->
          value instanceof IndexedRecord r
              && r.getSchema().getFullName().equals(schema.getFullName());
      case ARRAY -> value instanceof Collection;
      case MAP -> value instanceof Map;
      case UNION -> false;
    };
  }
}
