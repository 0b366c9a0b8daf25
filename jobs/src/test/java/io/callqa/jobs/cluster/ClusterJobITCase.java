package io.callqa.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callqa.devstack.DevStack;
import io.callqa.devstack.DevStackExtension;
import io.callqa.devstack.FlinkCluster;
import io.callqa.jobs.calls.CallChunker;
import io.callqa.jobs.calls.CallFolder;
import io.callqa.jobs.calls.CallReplayer;
import io.callqa.jobs.demo.CallResults;
import io.callqa.jobs.demo.DemoRun;
import io.callqa.jobs.elasticsearch.JsonHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real job jar on a real standalone Flink session cluster ({@link FlinkCluster}: JobManager and
 * TaskManager as separate JVMs, DJL/libtorch in the TaskManager's lib/, the job submitted over REST
 * with {@code --config}) must conclude exactly what the MiniCluster run ({@link DemoRun}) concludes
 * about the same calls: same utterances (ids, texts, emotions, languages, events), same alerts,
 * same summaries (coverage counters, scores), timestamps and latencies aside.
 */
@ExtendWith(DevStackExtension.class)
class ClusterJobITCase {
  private static final Path DEMO_CALLS = Paths.get("../calls/demo").toAbsolutePath().normalize();
  private static final Path MODEL =
      Paths.get("../models/sensevoice-demo").toAbsolutePath().normalize();
  private static final Path JOB_JAR =
      Paths.get("target/callqa-jobs-0.1.0-SNAPSHOT-job.jar").toAbsolutePath();
  private static final List<String> SUBSET =
      List.of("demo-01-clean-en", "demo-02-anger-en", "demo-10-clean-zh");
  private static final Duration TIMEOUT = Duration.ofMinutes(6);

  /**
   * Full speed: a whole call reaches Kafka in well under a second and the two runs process it at
   * different paces, so any dependence of the rules on processing time shows up as a difference.
   * (An earlier sequencer waited 1 s of processing time for the other channel: at full speed
   * demo-02's anger_escalation came out "critical" on the cluster and "warning" on the MiniCluster;
   * its order now follows the slotter's progress markers, in call time.)
   */
  private static final double SPEED = 0;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void clusterRunOfTheJobJarEqualsTheMiniClusterRun(DevStack stack, @TempDir Path tmp)
      throws Exception {
    assertThat(JOB_JAR).as("shaded job jar (mvn package)").isRegularFile();
    Path calls = Files.createDirectories(tmp.resolve("calls"));
    for (String name : SUBSET) {
      copyTree(DEMO_CALLS.resolve(name), calls.resolve(name));
    }
    List<CallFolder> folders = CallFolder.readAll(calls);
    List<String> callIds = folders.stream().map(CallFolder::callId).toList();
    assertThat(callIds).hasSize(SUBSET.size());

    // (1) the MiniCluster path, exactly as `callqa demo` runs it
    long t0 = System.nanoTime();
    DemoRun.Outcome local =
        DemoRun.run(stack, new DemoRun.Options(calls, MODEL, SPEED, 2, TIMEOUT), DemoRun.quiet());
    // read before the cluster run: deterministic ids, the cluster run overwrites these documents
    ObjectNode localResults = local.results().deepCopy();
    System.out.printf("ClusterJobITCase: MiniCluster run %.1f s%n", (System.nanoTime() - t0) / 1e9);

    // (2) the job jar on a standalone cluster, its own topics and consumer group
    String prefix = "cluster-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    String groupId = prefix + "callqa";
    String audioTopic = prefix + "call-audio";
    String eventsTopic = prefix + "call-events";
    List<String> topics =
        List.of(
            audioTopic,
            eventsTopic,
            prefix + "utterances",
            prefix + "alerts",
            prefix + "callqa-dead-letters");
    Path config = tmp.resolve("callqa-job.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "kafka:",
            "  bootstrapServers: " + q(stack.bootstrapServers()),
            "  groupId: " + q(groupId),
            "  startingOffsets: earliest",
            "  topics:",
            "    audio: " + q(audioTopic),
            "    events: " + q(eventsTopic),
            "    utterances: " + q(topics.get(2)),
            "    alerts: " + q(topics.get(3)),
            "    deadLetters: " + q(topics.get(4)),
            "elasticsearch:",
            "  hosts: [" + q(stack.elasticsearchUrl()) + "]",
            "model:",
            "  dir: " + q(MODEL.toString()),
            "webhooks: []",
            ""));
    stack.kafka().createTopics(topics, 2);

    // under target/, not the @TempDir: the cluster's logs stay for inspection
    Path clusterDir =
        Files.createDirectories(
            Paths.get("target/cluster-job-it")
                .toAbsolutePath()
                .resolve(Long.toString(System.currentTimeMillis())));
    List<Path> lib = DjlLib.jars();
    System.out.println("ClusterJobITCase: TaskManager lib/ " + lib);
    long t1 = System.nanoTime();
    FlinkCluster cluster =
        FlinkCluster.start(
            clusterDir,
            2,
            lib,
            Map.of(
                // DJL's direct buffers and libtorch's allocations are the task's off-heap memory
                "taskmanager.memory.process.size", "1536m",
                "taskmanager.memory.task.off-heap.size", "256m"));
    ObjectNode clusterResults;
    String jobId = null;
    try {
      System.out.printf(
          "ClusterJobITCase: cluster up in %.1f s at %s%n",
          cluster.startupTime().toMillis() / 1000.0, cluster.restUrl());
      assertThat(clusterProcesses(clusterDir)).hasSizeGreaterThanOrEqualTo(2);
      jobId =
          cluster.submitJar(
              JOB_JAR, "io.callqa.jobs.CallQaJob", List.of("--config", config.toString()), 2);
      cluster.awaitStatus(jobId, "RUNNING", Duration.ofMinutes(2));

      long startedAtEpochMs = System.currentTimeMillis();
      JsonHttp es = new JsonHttp(stack.elasticsearchUrl(), null, Duration.ofSeconds(30));
      CallResults reader = new CallResults(es);
      try (CallReplayer replayer =
          new CallReplayer(stack.bootstrapServers(), audioTopic, eventsTopic)) {
        List<CallChunker.Item> timeline =
            CallChunker.timeline(folders, CallChunker.DEFAULT_CHUNK_MS, Instant.now());
        CompletableFuture<Void> replay =
            CompletableFuture.runAsync(
                () -> {
                  try {
                    replayer.replay(timeline, SPEED, n -> {});
                  } catch (Exception e) {
                    throw new IllegalStateException("replay failed: " + e.getMessage(), e);
                  }
                });
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        int done = 0;
        while (done < callIds.size()) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "only "
                    + done
                    + " of "
                    + callIds.size()
                    + " calls summarized by the cluster job within "
                    + TIMEOUT
                    + "; job "
                    + cluster.jobStatus(jobId)
                    + ", exceptions "
                    + cluster.jobExceptions(jobId)
                    + "\n"
                    + cluster.logTails());
          }
          if (replay.isCompletedExceptionally()) {
            replay.join();
          }
          String status = cluster.jobStatus(jobId);
          if (!status.equals("RUNNING")) {
            throw new IllegalStateException(
                "the cluster job is "
                    + status
                    + ": "
                    + cluster.jobExceptions(jobId)
                    + "\n"
                    + cluster.logTails());
          }
          Thread.sleep(1000);
          done = reader.summarized(callIds, startedAtEpochMs);
        }
        replay.join();
      }
      // late alerts may still be on their way: one more sink flush, as DemoRun does
      Thread.sleep(1500);
      clusterResults = reader.read(callIds);
      System.out.printf(
          "ClusterJobITCase: cluster run %.1f s (start, submit, replay, results)%n",
          (System.nanoTime() - t1) / 1e9);
      assertThat(cluster.jobStatus(jobId)).isEqualTo("RUNNING");
      // the job jar has no ai.djl classes: inference ran on the TaskManager's lib/
      try (Stream<String> lines = Files.lines(clusterDir.resolve("log/taskmanager.log"))) {
        lines
            .filter(l -> l.contains("ai.djl"))
            .limit(10)
            .forEach(l -> System.out.println("ClusterJobITCase: TaskManager log: " + l));
      }

      cluster.cancel(jobId);
      cluster.awaitStatus(jobId, "CANCELED", Duration.ofMinutes(1));
    } finally {
      cluster.close();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!clusterProcesses(clusterDir).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(clusterProcesses(clusterDir)).as("cluster processes after close()").isEmpty();

    // (3) the same conclusions, call by call
    JsonNode a = localResults.path("calls");
    JsonNode b = clusterResults.path("calls");
    assertThat(b).hasSize(callIds.size());
    int utterances = 0;
    int alerts = 0;
    for (int i = 0; i < callIds.size(); i++) {
      String id = callIds.get(i);
      assertThat(a.get(i).path("summary").size()).as(id + " MiniCluster summary").isPositive();
      assertThat(a.get(i).path("utterances").size())
          .as(id + " MiniCluster utterances")
          .isPositive();
      assertThat(comparableUtterances(b.get(i)))
          .as(id + " utterances")
          .isEqualTo(comparableUtterances(a.get(i)));
      assertThat(comparableAlerts(b.get(i)))
          .as(id + " alerts")
          .isEqualTo(comparableAlerts(a.get(i)));
      assertThat(comparableSummary(b.get(i)))
          .as(id + " summary")
          .isEqualTo(comparableSummary(a.get(i)));
      utterances += a.get(i).path("utterances").size();
      alerts += a.get(i).path("alerts").size();
    }
    System.out.printf(
        "ClusterJobITCase: %d calls, %d utterances, %d alerts identical on both runs%n",
        callIds.size(), utterances, alerts);
  }

  /**
   * Every utterance's id and conclusions (the MiniCluster and the cluster read the same fields).
   */
  private static JsonNode comparableUtterances(JsonNode call) {
    ArrayNode out = JSON.createArrayNode();
    List<JsonNode> sorted = new ArrayList<>();
    call.path("utterances").forEach(sorted::add);
    sorted.sort(java.util.Comparator.comparing((JsonNode u) -> u.path("utteranceId").asText()));
    for (JsonNode u : sorted) {
      ObjectNode o = out.addObject();
      for (String f :
          List.of(
              "utteranceId",
              "role",
              "startMs",
              "endMs",
              "text",
              "language",
              "emotion",
              "event",
              "status")) {
        o.set(f, u.path(f));
      }
    }
    return out;
  }

  /** Alerts by rule and episode (and severity, position in the call). */
  private static List<String> comparableAlerts(JsonNode call) {
    List<String> out = new ArrayList<>();
    for (JsonNode al : call.path("alerts")) {
      out.add(
          al.path("rule").asText()
              + "#"
              + al.path("episode").asText()
              + " "
              + al.path("severity").asText());
    }
    out.sort(null);
    return out;
  }

  /**
   * The summary document without what differs between two runs by nature: emission and call
   * timestamps (the replay starts calls at "now"), the revision counter, latencies.
   */
  private static JsonNode comparableSummary(JsonNode call) {
    JsonNode s = call.path("summary").deepCopy();
    strip(s);
    return s;
  }

  private static void strip(JsonNode node) {
    if (node instanceof ObjectNode o) {
      Iterator<String> names = o.fieldNames();
      List<String> drop = new ArrayList<>();
      while (names.hasNext()) {
        String n = names.next();
        if (n.equals("revision")
            || n.equals("startedAt")
            || n.equals("endedAt")
            || n.startsWith("@")
            || n.contains("Epoch")
            || n.toLowerCase(java.util.Locale.ROOT).contains("latency")
            || n.equals("indexedAt")
            || n.equals("emittedAt")) {
          drop.add(n);
        }
      }
      o.remove(drop);
      o.forEach(ClusterJobITCase::strip);
    } else if (node instanceof ArrayNode arr) {
      arr.forEach(ClusterJobITCase::strip);
    }
  }

  /** Live processes (this JVM's descendants) whose command line names the cluster's directory. */
  private static List<ProcessHandle> clusterProcesses(Path clusterDir) {
    String dir = clusterDir.toAbsolutePath().toString();
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .filter(
            p ->
                p.info().commandLine().map(c -> c.contains(dir)).orElse(false)
                    || p.info()
                        .arguments()
                        .map(args -> Stream.of(args).anyMatch(x -> x.contains(dir)))
                        .orElse(false))
        .toList();
  }

  private static String q(String s) throws Exception {
    return JSON.writeValueAsString(s);
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }
}
