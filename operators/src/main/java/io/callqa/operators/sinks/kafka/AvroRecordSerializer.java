package io.callqa.operators.sinks.kafka;

import io.callqa.schemas.wire.AvroWire;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes records to a topic in callqa's wire format (Avro single-object), keyed by a field. */
public final class AvroRecordSerializer<T extends SpecificRecord>
    implements KafkaRecordSerializationSchema<T> {
  private static final long serialVersionUID = 1L;

  private final Class<T> type;
  private final String topic;
  private final SerializableFunction<T, String> key;
  private transient AvroWire<T> wire;

  public AvroRecordSerializer(Class<T> type, String topic, SerializableFunction<T, String> key) {
    this.type = type;
    this.topic = topic;
    this.key = key;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      T record, KafkaSinkContext context, Long timestamp) {
    if (wire == null) {
      wire = AvroWire.of(type);
    }
    String k = key.apply(record);
    return new ProducerRecord<>(
        topic,
        null,
        timestamp,
        k == null ? null : k.getBytes(StandardCharsets.UTF_8),
        wire.encode(record));
  }
}
