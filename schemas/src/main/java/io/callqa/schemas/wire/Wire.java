package io.callqa.schemas.wire;

import io.callqa.schemas.Alert;
import io.callqa.schemas.CallAudioChunk;
import io.callqa.schemas.CallEvent;
import io.callqa.schemas.CallSummary;
import io.callqa.schemas.DeadLetter;
import io.callqa.schemas.Utterance;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;

/**
 * The codec of every record callqa puts on Kafka. When a schema changes, its previous version goes
 * to {@code schemas/src/main/resources/avro-history/} (self-contained: named types inlined) and is
 * passed here as an older writer schema, so records already on the topics stay readable
 * (docs/schemas.md).
 */
public final class Wire {
  public static final AvroWire<CallAudioChunk> CALL_AUDIO_CHUNK = AvroWire.of(CallAudioChunk.class);
  public static final AvroWire<CallEvent> CALL_EVENT = AvroWire.of(CallEvent.class);
  public static final AvroWire<Utterance> UTTERANCE =
      AvroWire.of(Utterance.class, history("Utterance-v1.avsc"));
  public static final AvroWire<Alert> ALERT = AvroWire.of(Alert.class);
  public static final AvroWire<CallSummary> CALL_SUMMARY = AvroWire.of(CallSummary.class);
  public static final AvroWire<DeadLetter> DEAD_LETTER = AvroWire.of(DeadLetter.class);

  private Wire() {}

  /** An older writer schema from the classpath's {@code avro-history/}. */
  static Schema history(String file) {
    try (InputStream in = Wire.class.getResourceAsStream("/avro-history/" + file)) {
      if (in == null) {
        throw new IllegalStateException("avro-history/" + file + " is not on the classpath");
      }
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read avro-history/" + file, e);
    }
  }
}
