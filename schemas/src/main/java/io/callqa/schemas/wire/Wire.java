package io.callqa.schemas.wire;

import io.callqa.schemas.Alert;
import io.callqa.schemas.CallAudioChunk;
import io.callqa.schemas.CallEvent;
import io.callqa.schemas.CallSummary;
import io.callqa.schemas.DeadLetter;
import io.callqa.schemas.Utterance;

/**
 * The codec of every record callqa puts on Kafka. When a schema changes, its previous version goes
 * to {@code schemas/src/main/avro-history/} and is passed here as an older writer schema, so
 * records already on the topics stay readable (docs/schemas.md).
 */
public final class Wire {
  public static final AvroWire<CallAudioChunk> CALL_AUDIO_CHUNK = AvroWire.of(CallAudioChunk.class);
  public static final AvroWire<CallEvent> CALL_EVENT = AvroWire.of(CallEvent.class);
  public static final AvroWire<Utterance> UTTERANCE = AvroWire.of(Utterance.class);
  public static final AvroWire<Alert> ALERT = AvroWire.of(Alert.class);
  public static final AvroWire<CallSummary> CALL_SUMMARY = AvroWire.of(CallSummary.class);
  public static final AvroWire<DeadLetter> DEAD_LETTER = AvroWire.of(DeadLetter.class);

  private Wire() {}
}
