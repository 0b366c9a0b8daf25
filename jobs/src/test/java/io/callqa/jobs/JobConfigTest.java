package io.callqa.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

class JobConfigTest {
  private static final String MINIMAL =
      """
      kafka: {bootstrapServers: "127.0.0.1:9092"}
      elasticsearch: {hosts: ["http://127.0.0.1:9200"]}
      model: {dir: models/sensevoice-demo}
      """;

  @Test
  void theShippedExampleIsValid() throws Exception {
    Path file = Paths.get("../flink-conf/callqa-job.yaml");
    JobConfig config = JobConfig.load(file);
    assertThat(config.kafka().topics().audio()).isEqualTo("call-audio");
    assertThat(config.webhooks()).hasSize(1);
    assertThat(config.webhooks().get(0).format()).isEqualTo("generic");
  }

  @Test
  void fillsDefaultsForEverythingOptional() throws Exception {
    JobConfig c = JobConfig.parse(MINIMAL, "test");
    assertThat(c.kafka().groupId()).isEqualTo("callqa");
    assertThat(c.kafka().startingOffsets()).isEqualTo("committed");
    assertThat(c.kafka().topics().all())
        .containsExactly(
            "call-audio", "call-events", "utterances", "alerts", "callqa-dead-letters");
    assertThat(c.model().device()).isEqualTo("cpu");
    assertThat(c.model().maxBatch()).isEqualTo(16);
    assertThat(c.model().workers()).as("one per core").isZero();
    assertThat(c.model().language()).isEqualTo("auto");
    assertThat(c.checkpoints().intervalMs()).isEqualTo(10_000L);
    assertThat(c.webhooks()).isEmpty();
  }

  @Test
  void startsFromAPointInTimeWhenStartingOffsetsIsAnInstant() throws Exception {
    String yaml =
        """
        kafka: {bootstrapServers: "k:9092", startingOffsets: "2026-12-01T08:00:00Z"}
        elasticsearch: {hosts: ["http://127.0.0.1:9200"]}
        model: {dir: m}
        """;
    JobConfig c = JobConfig.parse(yaml, "job.yaml");
    assertThat(JobConfig.startingInstant(c.kafka().startingOffsets()))
        .isEqualTo(java.time.Instant.parse("2026-12-01T08:00:00Z"));
    assertThat(JobConfig.startingInstant("committed")).isNull();
  }

  @Test
  void reportsEveryWrongValueWithItsPath() {
    String yaml =
        """
        kafka:
          bootstrapServers: "no-port"
          startingOffsets: yesterday
          topics: {audio: "bad topic", events: utterances}
        elasticsearch: {hosts: ["127.0.0.1:9200"], username: elastic}
        model: {dir: m, device: tpu, maxBatch: 0, maxWaitMs: -1, workers: -1, timeoutMs: 0, capacity: 0, maxAttempts: 0}
        webhooks: [{name: "", url: "ftp://x", format: teams}]
        checkpoints: {intervalMs: 5}
        slotting: {idleTimeoutMs: 10, gapTimeoutMs: 1}
        parallelism: 0
        """;
    assertThatThrownBy(() -> JobConfig.parse(yaml, "job.yaml"))
        .isInstanceOf(JobConfig.InvalidConfigException.class)
        .satisfies(
            e ->
                assertThat(((JobConfig.InvalidConfigException) e).problems())
                    .hasSize(20)
                    .anyMatch(p -> p.contains("kafka.bootstrapServers"))
                    .anyMatch(p -> p.contains("kafka.startingOffsets"))
                    .anyMatch(p -> p.contains("'bad topic' is not a valid Kafka topic name"))
                    .anyMatch(p -> p.contains("every topic must be different"))
                    .anyMatch(p -> p.contains("elasticsearch.hosts: '127.0.0.1:9200'"))
                    .anyMatch(p -> p.contains("elasticsearch.passwordEnv"))
                    .anyMatch(p -> p.contains("model.device"))
                    .anyMatch(p -> p.contains("model.maxBatch"))
                    .anyMatch(p -> p.contains("model.maxWaitMs"))
                    .anyMatch(p -> p.contains("model.workers: must be 0..64"))
                    .anyMatch(p -> p.contains("model.timeoutMs"))
                    .anyMatch(p -> p.contains("model.capacity"))
                    .anyMatch(p -> p.contains("model.maxAttempts: must be 1..10, was 0"))
                    .anyMatch(p -> p.contains("webhooks[0].name"))
                    .anyMatch(p -> p.contains("webhooks[0].url"))
                    .anyMatch(p -> p.contains("webhooks[0].format"))
                    .anyMatch(p -> p.contains("checkpoints.intervalMs"))
                    .anyMatch(p -> p.contains("slotting.idleTimeoutMs"))
                    .anyMatch(p -> p.contains("slotting.gapTimeoutMs"))
                    .anyMatch(p -> p.contains("parallelism"))
                    .allMatch(p -> p.startsWith("job.yaml: ")));
  }

  @Test
  void rejectsUnknownKeysSoTyposDoNotPassSilently() {
    assertThatThrownBy(() -> JobConfig.parse(MINIMAL + "modle: {dir: x}\n", "job.yaml"))
        .hasMessageContaining("modle");
    assertThatThrownBy(
            () -> JobConfig.parse(MINIMAL.replace("maxBatch", "x") + "kafka2: 1\n", "job.yaml"))
        .hasMessageContaining("kafka2");
  }

  @Test
  void requiresTheThreeSections() {
    assertThatThrownBy(() -> JobConfig.parse("parallelism: 2\n", "job.yaml"))
        .satisfies(
            e ->
                assertThat(((JobConfig.InvalidConfigException) e).problems())
                    .anyMatch(p -> p.contains("kafka: required"))
                    .anyMatch(p -> p.contains("elasticsearch.hosts"))
                    .anyMatch(p -> p.contains("model.dir")));
  }

  @Test
  void neverPrintsSecretsOnlyTheirVariableNames() throws Exception {
    JobConfig c = JobConfig.load(Paths.get("../flink-conf/callqa-job.yaml"));
    assertThat(c.webhooks().get(0).toString()).contains("$CALLQA_WEBHOOK_SECRET");
  }
}
