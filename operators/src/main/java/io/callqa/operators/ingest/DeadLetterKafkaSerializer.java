package io.callqa.operators.ingest;

import io.callqa.schemas.DeadLetter;
import io.callqa.schemas.wire.AvroWire;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Writes a dead letter to the dead-letter topic: the original bytes as they arrived (so the record
 * can be replayed after a fix), with the reason and origin in headers ({@code callqa.reason},
 * {@code callqa.stage}, {@code callqa.detail}, {@code callqa.source}). A dead letter that has no
 * original bytes (rejected after decoding) is written as an encoded {@link DeadLetter}.
 */
public final class DeadLetterKafkaSerializer implements KafkaRecordSerializationSchema<DeadLetter> {
  private static final long serialVersionUID = 1L;

  public static final String REASON_HEADER = "callqa.reason";
  public static final String STAGE_HEADER = "callqa.stage";
  public static final String DETAIL_HEADER = "callqa.detail";
  public static final String SOURCE_HEADER = "callqa.source";

  private final String topic;
  private transient AvroWire<DeadLetter> wire;

  public DeadLetterKafkaSerializer(String topic) {
    this.topic = topic;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      DeadLetter letter, KafkaSinkContext context, Long timestamp) {
    List<Header> headers = new ArrayList<>();
    headers.add(header(REASON_HEADER, letter.getReason()));
    headers.add(header(STAGE_HEADER, letter.getStage()));
    headers.add(header(DETAIL_HEADER, letter.getDetail()));
    if (letter.getSourceTopic() != null) {
      headers.add(
          header(
              SOURCE_HEADER,
              letter.getSourceTopic()
                  + "/"
                  + letter.getSourcePartition()
                  + "@"
                  + letter.getSourceOffset()));
    }
    byte[] key =
        letter.getRawKey() != null
            ? bytes(letter.getRawKey())
            : letter.getCallId() == null
                ? null
                : letter.getCallId().getBytes(StandardCharsets.UTF_8);
    byte[] value;
    if (letter.getRawValue() != null) {
      value = bytes(letter.getRawValue());
    } else {
      if (wire == null) {
        wire = AvroWire.of(DeadLetter.class);
      }
      value = wire.encode(letter);
    }
    return new ProducerRecord<>(topic, null, timestamp, key, value, headers);
  }

  private static Header header(String name, String value) {
    return new RecordHeader(name, (value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
