package io.callqa.operators.sinks.elasticsearch;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One document to write: target index, deterministic id (so replays overwrite instead of
 * duplicating), the JSON source and how it is written ({@link Operation}). {@code attempts} counts
 * failed deliveries for retry limits.
 */
public final class EsDocument implements Serializable {
  private static final long serialVersionUID = 2L;

  /** How the JSON reaches the document at (index, id). */
  public enum Operation {
    /** Bulk {@code index}: the JSON replaces the whole document. */
    INDEX,
    /**
     * Bulk {@code update} with {@code doc} and {@code doc_as_upsert: true}: the JSON's fields are
     * merged into the document (objects recursively, other values and arrays replaced), which is
     * created when missing. Lets two writers fill different fields of one document in any order;
     * what one writer leaves out, it never removes.
     */
    MERGE
  }

  private final String index;
  private final String id;
  private final byte[] json;
  private final Operation operation;
  private final int attempts;

  /** A document that replaces whatever is stored at (index, id). */
  public EsDocument(String index, String id, byte[] json) {
    this(index, id, json, Operation.INDEX, 0);
  }

  /** A partial document merged into the one at (index, id), creating it when missing. */
  public static EsDocument merge(String index, String id, byte[] json) {
    return new EsDocument(index, id, json, Operation.MERGE, 0);
  }

  EsDocument(String index, String id, byte[] json, Operation operation, int attempts) {
    this.index = Objects.requireNonNull(index, "index");
    this.id = Objects.requireNonNull(id, "id");
    this.json = Objects.requireNonNull(json, "json");
    this.operation = Objects.requireNonNull(operation, "operation");
    this.attempts = attempts;
  }

  public String index() {
    return index;
  }

  public String id() {
    return id;
  }

  public byte[] json() {
    return json;
  }

  public Operation operation() {
    return operation;
  }

  public int attempts() {
    return attempts;
  }

  EsDocument retried() {
    return new EsDocument(index, id, json, operation, attempts + 1);
  }

  long sizeInBytes() {
    // a merge is sent wrapped in {"doc":…,"doc_as_upsert":true}
    int wrapper = operation == Operation.MERGE ? 30 : 0;
    return json.length + index.length() + id.length() + wrapper;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EsDocument d
        && index.equals(d.index)
        && id.equals(d.id)
        && operation == d.operation
        && attempts == d.attempts
        && java.util.Arrays.equals(json, d.json);
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, id);
  }

  @Override
  public String toString() {
    return operation.name().toLowerCase(java.util.Locale.ROOT)
        + " "
        + index
        + "/"
        + id
        + " "
        + new String(json, StandardCharsets.UTF_8);
  }
}
