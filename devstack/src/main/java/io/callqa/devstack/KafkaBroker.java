package io.callqa.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real Kafka broker in KRaft mode (combined broker + controller, one node) running in a child JVM
 * whose classpath is the kafka_2.13 artifact and its dependencies from Maven Central.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final ManagedProcess process;
  private final String bootstrapServers;
  private final Path dir;

  private KafkaBroker(ManagedProcess process, String bootstrapServers, Path dir) {
    this.process = process;
    this.bootstrapServers = bootstrapServers;
    this.dir = dir;
  }

  /** Formats a fresh log directory under {@code dir} and starts the broker on free ports. */
  public static KafkaBroker start(Path dir, boolean detached) throws IOException {
    Files.createDirectories(dir);
    int port = FreePorts.next();
    int controllerPort = FreePorts.next();
    Path config = dir.resolve("server.properties");
    Files.writeString(config, serverProperties(dir.resolve("logs"), port, controllerPort));
    Path log4j = dir.resolve("log4j2.properties");
    Files.writeString(log4j, log4jConfig(dir.resolve("broker.log")));

    String clusterId = kafkaClusterId();
    Path out = dir.resolve("process.out");
    runToCompletion(
        "kafka-storage-format",
        javaCommand(
            log4j,
            "kafka.tools.StorageTool",
            "format",
            // one argument, "--cluster-id=…": an id may start with "-", which the tool's argument
            // parser would take for an option
            "--cluster-id=" + clusterId,
            "-c",
            config.toString(),
            "--ignore-formatted"),
        dir,
        out);

    ManagedProcess process =
        ManagedProcess.start(
            "kafka",
            javaCommand(log4j, "kafka.Kafka", config.toString()),
            dir,
            out,
            detached,
            ManagedProcess.Env.none());
    KafkaBroker broker = new KafkaBroker(process, "127.0.0.1:" + port, dir);
    try {
      broker.awaitReady();
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
    return broker;
  }

  /** Re-attaches to a broker started earlier by {@code callqa dev up}. */
  static KafkaBroker attach(ManagedProcess process, String bootstrapServers, Path dir) {
    return new KafkaBroker(process, bootstrapServers, dir);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  ManagedProcess process() {
    return process;
  }

  Path dir() {
    return dir;
  }

  /** Creates the topics that do not exist yet (idempotent). */
  public void createTopics(Collection<String> topics, int partitions) {
    try (Admin admin = admin()) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing =
          topics.stream()
              .filter(t -> !existing.contains(t))
              .map(t -> new NewTopic(t, partitions, (short) 1))
              .collect(Collectors.toList());
      if (missing.isEmpty()) {
        return;
      }
      try {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("could not create topics " + topics + ": " + e, e);
    }
  }

  /** An admin client on this broker; the caller closes it. */
  public Admin admin() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    return Admin.create(props);
  }

  /** True when the broker answers a metadata request. */
  public boolean isHealthy() {
    if (!process.isAlive()) {
      return false;
    }
    try (Admin admin = admin()) {
      return !admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty();
    } catch (Exception e) {
      return false;
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Kafka broker exited during start-up. Log tail:\n" + process.logTail(40));
      }
      if (isHealthy()) {
        return;
      }
      sleep(300);
    }
    throw new IllegalStateException(
        "Kafka broker not ready after " + START_TIMEOUT + ". Log tail:\n" + process.logTail(40));
  }

  @Override
  public void close() {
    process.close();
  }

  private static List<String> javaCommand(Path log4j, String mainClass, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Jdks.currentJava().toString());
    cmd.addAll(
        List.of(
            "-Xms256m",
            "-Xmx768m",
            "-XX:+UseG1GC",
            "-XX:TieredStopAtLevel=1",
            "-Djava.awt.headless=true",
            "-Dlog4j2.configurationFile=" + log4j.toUri()));
    cmd.add("-cp");
    cmd.add(
        Distribution.kafkaBrokerClasspath().stream()
            .map(Path::toString)
            .collect(Collectors.joining(java.io.File.pathSeparator)));
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static void runToCompletion(String name, List<String> cmd, Path dir, Path out)
      throws IOException {
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
            .start();
    try {
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(name + " did not finish in 90 s:\n" + ManagedProcess.tail(out, 30));
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(name + " interrupted", e);
    }
    if (p.exitValue() != 0) {
      throw new IOException(
          name + " failed with exit code " + p.exitValue() + ":\n" + ManagedProcess.tail(out, 30));
    }
  }

  /** Kafka's cluster ids are 16 random bytes in URL-safe base64 without padding. */
  private static String kafkaClusterId() {
    UUID uuid = UUID.randomUUID();
    java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(16);
    bb.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bb.array());
  }

  private static String serverProperties(Path logDirs, int port, int controllerPort) {
    Map<String, String> p = new java.util.LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", logDirs.toString());
    p.put("num.partitions", "2");
    p.put("auto.create.topics.enable", "true");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    // demo calls are small, but one chunk of 60 s PCM16 at 16 kHz is ~2 MB
    p.put("message.max.bytes", "4194304");
    p.put("log.retention.hours", "24");
    return p.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("\n"))
        + "\n";
  }

  private static String log4jConfig(Path logFile) {
    return String.join(
        "\n",
        "status = warn",
        "appender.file.type = File",
        "appender.file.name = file",
        "appender.file.fileName = " + logFile,
        "appender.file.layout.type = PatternLayout",
        "appender.file.layout.pattern = [%d] %p %m (%c)%n",
        "rootLogger.level = INFO",
        "rootLogger.appenderRef.file.ref = file",
        "");
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
