package io.callqa.operators.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callqa.devstack.DevStack;
import io.callqa.devstack.DevStackExtension;
import io.callqa.operators.sinks.elasticsearch.ElasticsearchConnection;
import io.callqa.operators.sinks.elasticsearch.ElasticsearchSink;
import io.callqa.operators.sinks.elasticsearch.ElasticsearchSinkSettings;
import io.callqa.operators.sinks.elasticsearch.EsDocument;
import io.callqa.schemas.AudioEncoding;
import io.callqa.schemas.CallAudioChunk;
import io.callqa.schemas.Channel;
import io.callqa.schemas.wire.Wire;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Either;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The first pipeline slice on the real dev stack: chunks in callqa's wire format go through the
 * Kafka source of a Flink job on a MiniCluster into Elasticsearch; a garbage record lands in the
 * dead-letter topic with its reason, and the job keeps running.
 */
@ExtendWith(DevStackExtension.class)
class KafkaToElasticsearchITCase {
  private static final String AUDIO_TOPIC = "slice-call-audio";
  private static final String DLQ_TOPIC = "slice-call-audio-dlq";
  private static final String INDEX = "slice-chunks";
  private static final byte[] GARBAGE =
      "{\"this is\": \"not a CallAudioChunk\"}".getBytes(StandardCharsets.UTF_8);
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @Test
  void chunksReachElasticsearchAndGarbageReachesTheDeadLetterTopic(DevStack stack)
      throws Exception {
    stack.kafka().createTopics(List.of(AUDIO_TOPIC, DLQ_TOPIC), 1);
    List<CallAudioChunk> chunks = new ArrayList<>();
    for (int seq = 0; seq < 4; seq++) {
      chunks.add(chunk("call-42", Channel.AGENT, seq));
    }
    chunks.add(chunk("call-42", Channel.CUSTOMER, 0));
    produce(stack, chunks);

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    KafkaSource<Either<io.callqa.schemas.DeadLetter, CallAudioChunk>> source =
        KafkaSource.<Either<io.callqa.schemas.DeadLetter, CallAudioChunk>>builder()
            .setBootstrapServers(stack.bootstrapServers())
            .setTopics(AUDIO_TOPIC)
            .setGroupId("slice-test")
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setBounded(OffsetsInitializer.latest())
            .setDeserializer(AvroRecordDeserializer.of(CallAudioChunk.class))
            .build();
    SingleOutputStreamOperator<CallAudioChunk> decoded =
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "call-audio")
            .uid("call-audio-source")
            .process(new DeadLetterSplitter<CallAudioChunk>())
            .returns(CallAudioChunk.class)
            .uid("decode-call-audio")
            .name("decode call audio");
    decoded
        .sinkTo(
            new ElasticsearchSink<>(
                KafkaToElasticsearchITCase::document,
                ElasticsearchSinkSettings.defaults(
                    ElasticsearchConnection.of(stack.elasticsearchUrl()))))
        .uid("chunks-to-es")
        .name("chunks to Elasticsearch");
    decoded
        .getSideOutput(DeadLetterSplitter.DEAD_LETTERS)
        .sinkTo(
            KafkaSink.<io.callqa.schemas.DeadLetter>builder()
                .setBootstrapServers(stack.bootstrapServers())
                .setRecordSerializer(new DeadLetterKafkaSerializer(DLQ_TOPIC))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build())
        .uid("dead-letters-to-kafka")
        .name("dead letters to Kafka");
    env.execute("first slice");

    Map<String, JsonNode> docs = searchAll(stack.elasticsearchUrl());
    assertThat(docs.keySet())
        .containsExactlyInAnyOrder(
            "call-42/AGENT/0",
            "call-42/AGENT/1",
            "call-42/AGENT/2",
            "call-42/AGENT/3",
            "call-42/CUSTOMER/0");
    JsonNode third = docs.get("call-42/AGENT/2");
    assertThat(third.get("tenant").asText()).isEqualTo("acme");
    assertThat(third.get("callId").asText()).isEqualTo("call-42");
    assertThat(third.get("channel").asText()).isEqualTo("AGENT");
    assertThat(third.get("seq").asLong()).isEqualTo(2);
    assertThat(third.get("offsetMs").asLong()).isEqualTo(400);
    assertThat(third.get("encoding").asText()).isEqualTo("PCMU");
    assertThat(third.get("payloadBytes").asInt()).isEqualTo(1600);

    ConsumerRecord<byte[], byte[]> dead = consumeOne(stack, DLQ_TOPIC);
    assertThat(dead.value()).isEqualTo(GARBAGE);
    assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("call-43");
    assertThat(header(dead, DeadLetterKafkaSerializer.REASON_HEADER))
        .isEqualTo("NOT_SINGLE_OBJECT");
    assertThat(header(dead, DeadLetterKafkaSerializer.STAGE_HEADER)).isEqualTo("kafka-decode");
    assertThat(header(dead, DeadLetterKafkaSerializer.SOURCE_HEADER))
        .isEqualTo(AUDIO_TOPIC + "/0@2");
  }

  private static CallAudioChunk chunk(String callId, Channel channel, int seq) {
    return CallAudioChunk.newBuilder()
        .setTenant("acme")
        .setCallId(callId)
        .setChannel(channel)
        .setSeq(seq)
        .setOffsetMs(seq * 200L)
        .setSampleRate(8000)
        .setEncoding(AudioEncoding.PCMU)
        .setPayload(ByteBuffer.wrap(new byte[1600]))
        .setLast(seq == 3)
        .build();
  }

  private static EsDocument document(CallAudioChunk c) {
    var doc = JSON.createObjectNode();
    doc.put("tenant", c.getTenant());
    doc.put("callId", c.getCallId());
    doc.put("channel", c.getChannel().name());
    doc.put("seq", c.getSeq());
    doc.put("offsetMs", c.getOffsetMs());
    doc.put("sampleRate", c.getSampleRate());
    doc.put("encoding", c.getEncoding().name());
    doc.put("payloadBytes", c.getPayload().remaining());
    return new EsDocument(
        INDEX,
        c.getCallId() + "/" + c.getChannel() + "/" + c.getSeq(),
        doc.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Two good chunks, the garbage record (offset 2), then the rest: the job must go on after it. */
  private static void produce(DevStack stack, List<CallAudioChunk> chunks) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    try (var producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < chunks.size(); i++) {
        if (i == 2) {
          producer
              .send(
                  new ProducerRecord<>(
                      AUDIO_TOPIC, "call-43".getBytes(StandardCharsets.UTF_8), GARBAGE))
              .get();
        }
        CallAudioChunk c = chunks.get(i);
        producer
            .send(
                new ProducerRecord<>(
                    AUDIO_TOPIC,
                    c.getCallId().getBytes(StandardCharsets.UTF_8),
                    Wire.CALL_AUDIO_CHUNK.encode(c)))
            .get();
      }
    }
  }

  private static Map<String, JsonNode> searchAll(String url) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    http.send(
        HttpRequest.newBuilder(URI.create(url + "/" + INDEX + "/_refresh"))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/" + INDEX + "/_search?size=100")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Map<String, JsonNode> docs = new HashMap<>();
    for (JsonNode hit : JSON.readTree(r.body()).path("hits").path("hits")) {
      docs.put(hit.get("_id").asText(), hit.get("_source"));
    }
    return docs;
  }

  private static ConsumerRecord<byte[], byte[]> consumeOne(DevStack stack, String topic) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-check");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (var consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 20_000;
      while (System.currentTimeMillis() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(all::add);
        if (!all.isEmpty() && System.currentTimeMillis() > deadline - 15_000) {
          break;
        }
      }
      assertThat(all).hasSize(1);
      return all.get(0);
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
