package io.callqa.devstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The embedded default stack: one Kafka broker and one Elasticsearch node, started side by side as
 * child processes, stopped (process trees included) on {@link #close()} and on JVM shutdown.
 *
 * <p>{@link #startDetached()} starts a stack that outlives this JVM (for {@code callqa dev up});
 * its pids and addresses are kept in a state file so that {@link #attachRunning()} finds it again.
 */
public final class DevStack implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KafkaBroker kafka;
  private final ElasticsearchNode elasticsearch;
  private final Path dir;
  private final Duration kafkaStartup;
  private final Duration elasticsearchStartup;
  private final Thread shutdownHook;
  private volatile boolean closed;

  private DevStack(
      KafkaBroker kafka,
      ElasticsearchNode elasticsearch,
      Path dir,
      Duration kafkaStartup,
      Duration elasticsearchStartup,
      boolean stopOnExit) {
    this.kafka = kafka;
    this.elasticsearch = elasticsearch;
    this.dir = dir;
    this.kafkaStartup = kafkaStartup;
    this.elasticsearchStartup = elasticsearchStartup;
    this.shutdownHook = new Thread(this::close, "callqa-devstack-shutdown");
    if (stopOnExit) {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
  }

  /** Starts a stack tied to this JVM: stopped by {@link #close()}, a shutdown hook, or Ctrl-C. */
  public static DevStack start() {
    return start(false);
  }

  /** Starts a stack that keeps running after this JVM exits; see {@link #attachRunning()}. */
  public static DevStack startDetached() {
    DevStack stack = start(true);
    stack.writeState();
    return stack;
  }

  private static DevStack start(boolean detached) {
    Path dir = newStackDir();
    CompletableFuture<Timed<KafkaBroker>> kafka =
        CompletableFuture.supplyAsync(
            () -> Timed.of(() -> KafkaBroker.start(dir.resolve("kafka"), detached)));
    CompletableFuture<Timed<ElasticsearchNode>> es =
        CompletableFuture.supplyAsync(
            () -> Timed.of(() -> ElasticsearchNode.start(dir.resolve("elasticsearch"), detached)));
    try {
      CompletableFuture.allOf(kafka, es).join();
    } catch (CompletionException e) {
      // stop whichever half did come up, then report the failure
      kafka.thenAccept(t -> t.value().close());
      es.thenAccept(t -> t.value().close());
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("dev stack did not start: " + cause.getMessage(), cause);
    }
    Timed<KafkaBroker> k = kafka.join();
    Timed<ElasticsearchNode> n = es.join();
    return new DevStack(k.value(), n.value(), dir, k.elapsed(), n.elapsed(), !detached);
  }

  /**
   * The stack started by {@code callqa dev up}, if its state file exists (its processes may have
   * died since: see {@link #isHealthy()}).
   */
  public static Optional<DevStack> attachRunning() {
    Path state = stateFile();
    if (!Files.exists(state)) {
      return Optional.empty();
    }
    try {
      ObjectNode s = (ObjectNode) JSON.readTree(state.toFile());
      Path dir = Paths.get(s.get("dir").asText());
      ManagedProcess kp =
          ManagedProcess.attach(
              "kafka", s.get("kafkaPid").asLong(), dir.resolve("kafka/process.out"));
      ManagedProcess ep =
          ManagedProcess.attach(
              "elasticsearch",
              s.get("elasticsearchPid").asLong(),
              dir.resolve("elasticsearch/process.out"));
      KafkaBroker kafka =
          KafkaBroker.attach(kp, s.get("bootstrapServers").asText(), dir.resolve("kafka"));
      ElasticsearchNode es =
          ElasticsearchNode.attach(
              ep,
              s.get("elasticsearchUrl").asText(),
              s.get("elasticsearchVersion").asText(),
              dir.resolve("elasticsearch"));
      return Optional.of(new DevStack(kafka, es, dir, Duration.ZERO, Duration.ZERO, false));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("unreadable dev stack state " + state + ": " + e, e);
    }
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  public String elasticsearchUrl() {
    return elasticsearch.url();
  }

  public KafkaBroker kafka() {
    return kafka;
  }

  public ElasticsearchNode elasticsearch() {
    return elasticsearch;
  }

  public Duration kafkaStartup() {
    return kafkaStartup;
  }

  public Duration elasticsearchStartup() {
    return elasticsearchStartup;
  }

  public Path dir() {
    return dir;
  }

  public boolean isHealthy() {
    return kafka.isHealthy() && elasticsearch.isHealthy();
  }

  /** Stops both services (whole process trees) and deletes the stack's data. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException alreadyShuttingDownOrNotAdded) {
      // nothing to remove
    }
    CompletableFuture<Void> k = CompletableFuture.runAsync(kafka::close);
    CompletableFuture<Void> e = CompletableFuture.runAsync(elasticsearch::close);
    CompletableFuture.allOf(k, e).join();
    try {
      ElasticsearchNode.deleteTree(dir);
      Files.deleteIfExists(stateFile());
    } catch (IOException ex) {
      System.err.println("callqa devstack: could not delete " + dir + ": " + ex.getMessage());
    }
  }

  private void writeState() {
    ObjectNode s = JSON.createObjectNode();
    s.put("dir", dir.toString());
    s.put("bootstrapServers", bootstrapServers());
    s.put("elasticsearchUrl", elasticsearchUrl());
    s.put("elasticsearchVersion", elasticsearch.version());
    s.put("kafkaPid", kafka.process().pid());
    s.put("elasticsearchPid", elasticsearch.process().pid());
    try {
      Files.createDirectories(stateFile().getParent());
      JSON.writerWithDefaultPrettyPrinter().writeValue(stateFile().toFile(), s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where {@code callqa dev up} records the running stack: {@code $CALLQA_HOME} or ~/.callqa. */
  public static Path stateFile() {
    String home = System.getenv("CALLQA_HOME");
    Path base =
        home != null ? Paths.get(home) : Paths.get(System.getProperty("user.home"), ".callqa");
    return base.resolve("devstack.json");
  }

  private static Path newStackDir() {
    try {
      Path dir =
          Files.createTempDirectory(
              "callqa-devstack-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Timed<T>(T value, Duration elapsed) {
    static <T> Timed<T> of(IoSupplier<T> start) {
      long t0 = System.nanoTime();
      try {
        T v = start.get();
        return new Timed<>(v, Duration.ofNanos(System.nanoTime() - t0));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @FunctionalInterface
  private interface IoSupplier<T> {
    T get() throws IOException;
  }
}
