package io.callqa.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dev stack starts real services, they work, and stopping leaves no process behind. */
class DevStackITCase {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void startsWorkingKafkaAndElasticsearchAndLeavesNoProcessBehind() throws Exception {
    List<ProcessHandle> tree;
    Path dir;
    try (DevStack stack = DevStack.start()) {
      System.out.printf(
          "dev stack up: kafka %s in %d ms, elasticsearch %s in %d ms%n",
          stack.bootstrapServers(),
          stack.kafkaStartup().toMillis(),
          stack.elasticsearchUrl(),
          stack.elasticsearchStartup().toMillis());
      assertThat(stack.isHealthy()).isTrue();
      dir = stack.dir();
      tree = processTree(stack);
      assertThat(tree).allMatch(ProcessHandle::isAlive);

      assertKafkaRoundTrip(stack.kafka());
      assertElasticsearchIndexesAndSearches(stack.elasticsearchUrl());
    }
    assertThat(tree).noneMatch(ProcessHandle::isAlive);
    assertThat(Files.exists(dir)).as("stack dir deleted").isFalse();
  }

  @Test
  void startsElasticsearch9WhenAJava21IsPresent(@TempDir Path dir) throws Exception {
    var jdk = Jdks.atLeast(21);
    assumeTrue(jdk.isPresent(), "no Java 21+ on this machine: Elasticsearch 9 not tested");
    try (ElasticsearchNode node =
        ElasticsearchNode.start(
            dir.resolve("es9"), Distribution.elasticsearch9Version(), jdk.get(), false)) {
      assertThat(node.version()).startsWith("9.");
      assertElasticsearchIndexesAndSearches(node.url());
    }
  }

  private static List<ProcessHandle> processTree(DevStack stack) {
    List<ProcessHandle> tree = new java.util.ArrayList<>();
    for (long pid : List.of(stack.kafka().process().pid(), stack.elasticsearch().process().pid())) {
      ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
      tree.add(h);
      h.descendants().forEach(tree::add);
    }
    return tree;
  }

  private static void assertKafkaRoundTrip(KafkaBroker kafka) {
    kafka.createTopics(List.of("devstack-smoke"), 1);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("devstack-smoke", "k", "hello")).get();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "smoke");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (var consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of("devstack-smoke"));
      long deadline = System.currentTimeMillis() + 30_000;
      while (System.currentTimeMillis() < deadline) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
        if (!records.isEmpty()) {
          assertThat(records.iterator().next().value()).isEqualTo("hello");
          return;
        }
      }
      throw new AssertionError("record not consumed within 30 s");
    }
  }

  private static void assertElasticsearchIndexesAndSearches(String url) throws Exception {
    HttpResponse<String> put =
        send(
            HttpRequest.newBuilder(URI.create(url + "/smoke/_doc/1?refresh=true"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"text\":\"hello callqa\"}")));
    assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
    HttpResponse<String> search =
        send(HttpRequest.newBuilder(URI.create(url + "/smoke/_search?q=text:callqa")).GET());
    assertThat(search.body()).contains("\"value\":1");
    assertThat(Map.of("status", search.statusCode())).containsEntry("status", 200);
  }

  private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return HTTP.send(
        b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
