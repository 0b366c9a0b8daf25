package io.callqa.operators.ingest;

import io.callqa.schemas.DeadLetter;
import io.callqa.schemas.wire.AvroWire;
import io.callqa.schemas.wire.WireFormatException;
import java.nio.ByteBuffer;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes Kafka records in callqa's wire format without ever failing the source: a record that does
 * not decode becomes a {@link DeadLetter} (left) carrying the reason and the original bytes; a good
 * one is the record (right). {@link DeadLetterSplitter} routes the two apart.
 */
public final class AvroRecordDeserializer<T extends SpecificRecordBase>
    implements KafkaRecordDeserializationSchema<Either<DeadLetter, T>> {
  private static final long serialVersionUID = 1L;

  private final Class<T> type;
  private transient AvroWire<T> wire;

  private AvroRecordDeserializer(Class<T> type) {
    this.type = type;
  }

  public static <T extends SpecificRecordBase> AvroRecordDeserializer<T> of(Class<T> type) {
    return new AvroRecordDeserializer<>(type);
  }

  @Override
  public void deserialize(
      ConsumerRecord<byte[], byte[]> record, Collector<Either<DeadLetter, T>> out) {
    if (wire == null) {
      wire = AvroWire.of(type);
    }
    try {
      out.collect(Either.Right(wire.decode(record.value())));
    } catch (WireFormatException e) {
      out.collect(Either.Left(deadLetter(record, e)));
    }
  }

  private DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> record, WireFormatException e) {
    return DeadLetter.newBuilder()
        .setStage("kafka-decode")
        .setReason(e.reason().name())
        .setDetail(e.getMessage())
        .setCallId(
            record.key() == null
                ? null
                : new String(record.key(), java.nio.charset.StandardCharsets.UTF_8))
        .setAtEpochMs(System.currentTimeMillis())
        .setSourceTopic(record.topic())
        .setSourcePartition(record.partition())
        .setSourceOffset(record.offset())
        .setRawKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
        .setRawValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
        .build();
  }

  @Override
  public TypeInformation<Either<DeadLetter, T>> getProducedType() {
    return new EitherTypeInfo<>(new AvroTypeInfo<>(DeadLetter.class), new AvroTypeInfo<>(type));
  }
}
