package io.callqa.operators.sinks.elasticsearch;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One document to index: target index, deterministic id (so replays overwrite instead of
 * duplicating) and the JSON source. {@code attempts} counts failed deliveries for retry limits.
 */
public final class EsDocument implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String index;
  private final String id;
  private final byte[] json;
  private final int attempts;

  public EsDocument(String index, String id, byte[] json) {
    this(index, id, json, 0);
  }

  EsDocument(String index, String id, byte[] json, int attempts) {
    this.index = Objects.requireNonNull(index, "index");
    this.id = Objects.requireNonNull(id, "id");
    this.json = Objects.requireNonNull(json, "json");
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

  public int attempts() {
    return attempts;
  }

  EsDocument retried() {
    return new EsDocument(index, id, json, attempts + 1);
  }

  long sizeInBytes() {
    return json.length + index.length() + id.length();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EsDocument d
        && index.equals(d.index)
        && id.equals(d.id)
        && attempts == d.attempts
        && java.util.Arrays.equals(json, d.json);
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, id);
  }

  @Override
  public String toString() {
    return index + "/" + id + " " + new String(json, StandardCharsets.UTF_8);
  }
}
