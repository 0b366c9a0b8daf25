package io.callqa.schemas.wire;

/**
 * A Kafka record that could not be decoded, with a stable reason code for the dead-letter topic.
 */
public final class WireFormatException extends Exception {

  /** Why a record could not be decoded. */
  public enum Reason {
    /** No bytes at all (a null or empty Kafka value). */
    EMPTY,
    /** The bytes do not start with Avro's single-object marker C3 01: not our format. */
    NOT_SINGLE_OBJECT,
    /**
     * Our format, but a schema fingerprint this reader does not know (a newer or foreign writer).
     */
    UNKNOWN_SCHEMA,
    /** Marker and schema are known, but the body does not decode: corrupt or truncated. */
    CORRUPT_BODY
  }

  private final Reason reason;

  public WireFormatException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
