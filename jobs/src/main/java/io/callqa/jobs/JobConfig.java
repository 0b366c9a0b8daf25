package io.callqa.jobs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The job's typed configuration (YAML, {@code flink-conf/callqa-job.yaml}); Flink's own settings
 * stay in Flink's config.yaml. Every value is validated at start and every problem is reported at
 * once, named by its YAML path. Secrets are never in this file: only names of environment
 * variables.
 */
public record JobConfig(
    Kafka kafka,
    Elasticsearch elasticsearch,
    Model model,
    Rules rules,
    List<Webhook> webhooks,
    Checkpoints checkpoints,
    Slotting slotting,
    Integer parallelism)
    implements Serializable {

  /** Kafka connection and topics. */
  public record Kafka(
      String bootstrapServers, String groupId, String startingOffsets, Topics topics)
      implements Serializable {
    Kafka normalized() {
      return new Kafka(
          bootstrapServers,
          Objects.requireNonNullElse(groupId, "callqa"),
          Objects.requireNonNullElse(startingOffsets, "committed"),
          Objects.requireNonNullElse(topics, new Topics(null, null, null, null, null))
              .normalized());
    }
  }

  /** Topic names; defaults in {@link #normalized()}. */
  public record Topics(
      String audio, String events, String utterances, String alerts, String deadLetters)
      implements Serializable {
    Topics normalized() {
      return new Topics(
          Objects.requireNonNullElse(audio, "call-audio"),
          Objects.requireNonNullElse(events, "call-events"),
          Objects.requireNonNullElse(utterances, "utterances"),
          Objects.requireNonNullElse(alerts, "alerts"),
          Objects.requireNonNullElse(deadLetters, "callqa-dead-letters"));
    }

    public List<String> all() {
      return List.of(audio, events, utterances, alerts, deadLetters);
    }
  }

  /** Elasticsearch hosts and the environment variables that hold credentials. */
  public record Elasticsearch(
      List<String> hosts, String apiKeyEnv, String username, String passwordEnv)
      implements Serializable {}

  /** The speech model and how it is batched. */
  public record Model(
      String dir,
      String device,
      Integer maxBatch,
      Long maxWaitMs,
      Integer workers,
      Integer intraOpThreads,
      Integer interOpThreads,
      String language,
      Long timeoutMs,
      Integer capacity,
      Integer maxAttempts)
      implements Serializable {
    Model normalized() {
      return new Model(
          dir,
          Objects.requireNonNullElse(device, "cpu"),
          Objects.requireNonNullElse(maxBatch, 16),
          Objects.requireNonNullElse(maxWaitMs, 20L),
          Objects.requireNonNullElse(workers, 0),
          Objects.requireNonNullElse(intraOpThreads, 0),
          Objects.requireNonNullElse(interOpThreads, 0),
          Objects.requireNonNullElse(language, "auto"),
          Objects.requireNonNullElse(timeoutMs, 60_000L),
          Objects.requireNonNullElse(capacity, 64),
          Objects.requireNonNullElse(maxAttempts, 2));
    }
  }

  /** The rules file; null = the rules built into the job jar. */
  public record Rules(String file) implements Serializable {}

  /** A supervisor webhook: its format and the environment variable that holds its secret. */
  public record Webhook(String name, String url, String format, String secretEnv)
      implements Serializable {
    @Override
    public String toString() {
      return "Webhook{"
          + name
          + " "
          + format
          + " "
          + url
          + (secretEnv == null ? "" : ", secret from $" + secretEnv)
          + "}";
    }
  }

  /** Checkpointing: on by default. */
  public record Checkpoints(Long intervalMs) implements Serializable {}

  /** Slotter timeouts. */
  public record Slotting(Long idleTimeoutMs, Long gapTimeoutMs) implements Serializable {}

  static final List<String> WEBHOOK_FORMATS = List.of("generic", "dingtalk", "wecom", "slack");

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
          .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

  /** Reads and validates a config file. */
  public static JobConfig load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new InvalidConfigException(List.of(file + ": no such file"));
    }
    return parse(Files.readString(file), file.toString());
  }

  /** Parses and validates YAML text; {@code source} names it in messages. */
  public static JobConfig parse(String yaml, String source) throws InvalidConfigException {
    JobConfig raw;
    try {
      raw = YAML.readValue(yaml, JobConfig.class);
    } catch (JsonMappingException e) {
      throw new InvalidConfigException(
          List.of(source + ": " + path(e) + ": " + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new InvalidConfigException(List.of(source + ": not valid YAML: " + e.getMessage()));
    }
    if (raw == null) {
      throw new InvalidConfigException(List.of(source + ": empty"));
    }
    JobConfig config = raw.normalized();
    List<String> problems = config.problems();
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(problems.stream().map(p -> source + ": " + p).toList());
    }
    return config;
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
      } else {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? "(top)" : sb.toString();
  }

  private JobConfig normalized() {
    return new JobConfig(
        kafka == null ? null : kafka.normalized(),
        elasticsearch,
        model == null ? null : model.normalized(),
        Objects.requireNonNullElse(rules, new Rules(null)),
        Objects.requireNonNullElse(webhooks, List.of()),
        Objects.requireNonNullElse(checkpoints, new Checkpoints(10_000L)),
        Objects.requireNonNullElse(slotting, new Slotting(null, null)),
        parallelism);
  }

  /** Every problem of this config, each named by its YAML path; empty when valid. */
  List<String> problems() {
    List<String> p = new ArrayList<>();
    if (kafka == null) {
      p.add("kafka: required (bootstrapServers, topics)");
    } else {
      if (kafka.bootstrapServers() == null
          || !kafka.bootstrapServers().matches("[^\\s,:]+:\\d{1,5}(,[^\\s,:]+:\\d{1,5})*")) {
        p.add(
            "kafka.bootstrapServers: must be host:port[,host:port...], was '"
                + kafka.bootstrapServers()
                + "'");
      }
      if (!List.of("committed", "earliest", "latest").contains(kafka.startingOffsets())
          && startingInstant(kafka.startingOffsets()) == null) {
        p.add(
            "kafka.startingOffsets: must be committed, earliest, latest or an ISO-8601 instant"
                + " (e.g. 2026-12-01T08:00:00Z), was '"
                + kafka.startingOffsets()
                + "'");
      }
      List<String> topics = kafka.topics().all();
      for (String t : topics) {
        if (!t.matches("[a-zA-Z0-9._-]{1,249}")) {
          p.add("kafka.topics: '" + t + "' is not a valid Kafka topic name");
        }
      }
      if (topics.stream().distinct().count() != topics.size()) {
        p.add("kafka.topics: every topic must be different, got " + topics);
      }
    }
    if (elasticsearch == null || elasticsearch.hosts() == null || elasticsearch.hosts().isEmpty()) {
      p.add("elasticsearch.hosts: at least one http(s):// URL is required");
    } else {
      for (String h : elasticsearch.hosts()) {
        if (h == null || !h.matches("https?://[^\\s/]+(:\\d+)?/?")) {
          p.add("elasticsearch.hosts: '" + h + "' must look like http://host:9200");
        }
      }
      if (elasticsearch.username() != null && elasticsearch.passwordEnv() == null) {
        p.add(
            "elasticsearch.passwordEnv: required with username (the name of the variable holding the password)");
      }
      if (elasticsearch.apiKeyEnv() != null && elasticsearch.username() != null) {
        p.add("elasticsearch: give apiKeyEnv or username/passwordEnv, not both");
      }
    }
    if (model == null || model.dir() == null) {
      p.add("model.dir: required (a model folder with model.json)");
    } else {
      if (!model.device().matches("cpu|gpu(:\\d+)?")) {
        p.add("model.device: must be cpu, gpu or gpu:N, was '" + model.device() + "'");
      }
      if (model.maxBatch() < 1 || model.maxBatch() > 256) {
        p.add("model.maxBatch: must be 1..256, was " + model.maxBatch());
      }
      if (model.maxWaitMs() < 0 || model.maxWaitMs() > 10_000) {
        p.add("model.maxWaitMs: must be 0..10000, was " + model.maxWaitMs());
      }
      if (model.timeoutMs() <= 0) {
        p.add("model.timeoutMs: must be > 0, was " + model.timeoutMs());
      }
      if (model.capacity() < 1) {
        p.add("model.capacity: must be >= 1, was " + model.capacity());
      }
      if (model.maxAttempts() < 1 || model.maxAttempts() > 10) {
        p.add("model.maxAttempts: must be 1..10, was " + model.maxAttempts());
      }
      if (model.workers() < 0 || model.workers() > 64) {
        p.add("model.workers: must be 0..64 (0 = one per core), was " + model.workers());
      }
      if (model.intraOpThreads() < 0 || model.interOpThreads() < 0) {
        p.add("model.intraOpThreads / interOpThreads: must be >= 0");
      }
    }
    for (int i = 0; i < webhooks.size(); i++) {
      Webhook w = webhooks.get(i);
      String at = "webhooks[" + i + "]";
      if (w.name() == null || w.name().isBlank()) {
        p.add(at + ".name: required");
      }
      if (w.url() == null || !w.url().matches("https?://\\S+")) {
        p.add(at + ".url: must be an http(s) URL, was '" + w.url() + "'");
      }
      if (!WEBHOOK_FORMATS.contains(w.format())) {
        p.add(at + ".format: must be one of " + WEBHOOK_FORMATS + ", was '" + w.format() + "'");
      }
    }
    if (checkpoints.intervalMs() == null || checkpoints.intervalMs() < 100) {
      p.add("checkpoints.intervalMs: must be >= 100, was " + checkpoints.intervalMs());
    }
    if (parallelism != null && parallelism < 1) {
      p.add("parallelism: must be >= 1, was " + parallelism);
    }
    if (slotting.idleTimeoutMs() != null && slotting.idleTimeoutMs() < 1000) {
      p.add("slotting.idleTimeoutMs: must be >= 1000, was " + slotting.idleTimeoutMs());
    }
    if (slotting.gapTimeoutMs() != null && slotting.gapTimeoutMs() < 10) {
      p.add("slotting.gapTimeoutMs: must be >= 10, was " + slotting.gapTimeoutMs());
    }
    return p;
  }

  /** Config for the embedded dev stack and the demo model. */
  public static JobConfig forDevStack(
      String bootstrapServers, String elasticsearchUrl, String modelDir) {
    return new JobConfig(
            new Kafka(bootstrapServers, "callqa-demo", "earliest", null),
            new Elasticsearch(List.of(elasticsearchUrl), null, null, null),
            new Model(modelDir, null, null, null, null, null, null, null, null, null, null),
            null,
            null,
            null,
            null,
            null)
        .normalized();
  }

  /** This config with one more webhook. */
  public JobConfig withWebhook(Webhook webhook) {
    List<Webhook> all = new ArrayList<>(webhooks);
    all.add(webhook);
    return new JobConfig(
        kafka, elasticsearch, model, rules, List.copyOf(all), checkpoints, slotting, parallelism);
  }

  /**
   * The instant of a {@code startingOffsets} value that names one (read from the first record with
   * a Kafka timestamp at or after it), else null.
   */
  public static java.time.Instant startingInstant(String startingOffsets) {
    try {
      return java.time.Instant.parse(startingOffsets);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  /** This config reading its topics from records produced at or after {@code from}. */
  public JobConfig readingFrom(java.time.Instant from) {
    Kafka k = new Kafka(kafka.bootstrapServers(), kafka.groupId(), from.toString(), kafka.topics());
    return new JobConfig(
        k, elasticsearch, model, rules, webhooks, checkpoints, slotting, parallelism);
  }

  /**
   * This config with {@code workers} concurrent forward passes of {@code intraOpThreads} libtorch
   * threads each (0 = the defaults: one per core on CPU, the cores shared among them).
   */
  public JobConfig withModelWorkers(int workers, int intraOpThreads) {
    Model m =
        new Model(
            model.dir(),
            model.device(),
            model.maxBatch(),
            model.maxWaitMs(),
            workers,
            intraOpThreads,
            model.interOpThreads(),
            model.language(),
            model.timeoutMs(),
            model.capacity(),
            model.maxAttempts());
    return new JobConfig(
        kafka, elasticsearch, m, rules, webhooks, checkpoints, slotting, parallelism);
  }

  /** This config with another channel idle timeout (the slotter's; gap timeout unchanged). */
  public JobConfig withSlottingIdleTimeout(long idleTimeoutMs) {
    return new JobConfig(
        kafka,
        elasticsearch,
        model,
        rules,
        webhooks,
        checkpoints,
        new Slotting(idleTimeoutMs, slotting.gapTimeoutMs()),
        parallelism);
  }

  /** This config with another rules file (a path or {@code classpath:} location). */
  public JobConfig withRules(String file) {
    return new JobConfig(
        kafka, elasticsearch, model, new Rules(file), webhooks, checkpoints, slotting, parallelism);
  }

  /** This config with another checkpoint interval. */
  public JobConfig withCheckpointInterval(long intervalMs) {
    return new JobConfig(
        kafka,
        elasticsearch,
        model,
        rules,
        webhooks,
        new Checkpoints(intervalMs),
        slotting,
        parallelism);
  }

  /** A config that failed validation, with every problem. */
  public static final class InvalidConfigException extends IOException {
    private final List<String> problems;

    InvalidConfigException(List<String> problems) {
      super("invalid job config:\n  " + String.join("\n  ", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }
}
