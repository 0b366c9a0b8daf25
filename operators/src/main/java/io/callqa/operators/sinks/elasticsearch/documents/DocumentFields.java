package io.callqa.operators.sinks.elasticsearch.documents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callqa.schemas.Channel;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * Names and helpers for the convenience fields every callqa document adds to its record's own
 * fields (see docs/elasticsearch.md). They are written after the record's fields, so they win if a
 * schema ever gains a field of the same name.
 */
public final class DocumentFields {
  private DocumentFields() {}

  /** Event time of the document (date): what Kibana's time picker filters on. */
  public static final String TIMESTAMP = "@timestamp";

  /** Where {@link #TIMESTAMP} came from: {@link TimeSource}, lower case (keyword). */
  public static final String TIME_SOURCE = "timeSource";

  /** {@code agent}, {@code customer} or {@code mixed}, from the channel (keyword). */
  public static final String ROLE = "role";

  /** How {@code @timestamp} and the index date were decided. */
  public enum TimeSource {
    /** From the call's wall-clock start ({@code startedAt}) plus the offset in the call. */
    CALL,
    /** From another wall clock of the record (an alert's trigger arrival, a dead letter's time). */
    RECORD,
    /**
     * The record carries no wall clock: the time the document was built (processing time). A replay
     * on another day then lands in another daily index, so ids overwrite only within a day.
     */
    PROCESSING;

    String value() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The role a channel plays: agent, customer or mixed (one mono recording of both). */
  public static String role(Channel channel) {
    return channel == null ? "mixed" : channel.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Milliseconds as seconds with millisecond precision (dashboards show seconds). */
  public static double seconds(long millis) {
    return millis / 1000.0;
  }

  /** ISO-8601 UTC with milliseconds, as written in every date field. */
  public static String iso(Instant instant) {
    return AvroJson.ISO_MILLIS.format(instant);
  }

  static void putTime(ObjectNode doc, Instant at, TimeSource source) {
    doc.put(TIMESTAMP, iso(at));
    doc.put(TIME_SOURCE, source.value());
  }

  /**
   * The value of a timestamp field, if the record's schema has it and it is set: lets mappers use
   * fields that a schema may gain later (e.g. {@code Alert.startedAt}) without depending on them.
   */
  static Instant optionalInstant(IndexedRecord record, String field) {
    Schema.Field f = record.getSchema().getField(field);
    if (f == null) {
      return null;
    }
    Object v = record.get(f.pos());
    if (v instanceof Instant i) {
      return i;
    }
    if (v instanceof Long millis) {
      return Instant.ofEpochMilli(millis);
    }
    return null;
  }

  static byte[] bytes(ObjectNode doc) {
    try {
      return JSON.writeValueAsBytes(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise document: " + e.getMessage(), e);
    }
  }
}
