package io.callqa.jobs.calls;

import io.callqa.schemas.wire.Wire;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces a call timeline to Kafka, key = callId, values in callqa's wire format: either as fast
 * as possible (in timeline order) or paced like live calls ({@code speed} 1.0 = real time).
 */
public final class CallReplayer implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final String audioTopic;
  private final String eventsTopic;

  public CallReplayer(String bootstrapServers, String audioTopic, String eventsTopic) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    this.audioTopic = audioTopic;
    this.eventsTopic = eventsTopic;
  }

  /**
   * Sends every item; returns when all are acknowledged.
   *
   * @param speed 0 = as fast as possible; otherwise call time runs {@code speed} times wall time
   * @param progress called with the number of items sent so far
   */
  public void replay(List<CallChunker.Item> timeline, double speed, LongConsumer progress)
      throws Exception {
    long wallStart = System.nanoTime();
    long sent = 0;
    Future<RecordMetadata> last = null;
    for (CallChunker.Item item : timeline) {
      if (speed > 0) {
        long due = wallStart + (long) (item.availableAtMs() * 1_000_000L / speed);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
        }
      }
      last = producer.send(record(item));
      progress.accept(++sent);
    }
    producer.flush();
    if (last != null) {
      last.get();
    }
  }

  private ProducerRecord<byte[], byte[]> record(CallChunker.Item item) {
    byte[] key = item.callId().getBytes(StandardCharsets.UTF_8);
    if (item instanceof CallChunker.ChunkItem c) {
      return new ProducerRecord<>(audioTopic, key, Wire.CALL_AUDIO_CHUNK.encode(c.chunk()));
    }
    return new ProducerRecord<>(
        eventsTopic, key, Wire.CALL_EVENT.encode(((CallChunker.EventItem) item).event()));
  }

  @Override
  public void close() {
    producer.close();
  }
}
