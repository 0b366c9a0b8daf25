package io.callqa.jobs.local;

import io.callqa.devstack.KafkaBroker;
import io.callqa.jobs.CallQaJob;
import io.callqa.jobs.JobConfig;
import io.callqa.operators.alerts.SecretResolver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The callqa job running in this JVM on a Flink MiniCluster (with the web UI), against the dev
 * stack: used by {@code callqa demo} and the end-to-end tests, so both run exactly the job a
 * cluster runs.
 */
public final class LocalPipeline implements AutoCloseable {
  /** As flink-conf/config.yaml: one failed checkpoint is retried, not a restart of the job. */
  static final int TOLERABLE_FAILED_CHECKPOINTS = 3;

  private final JobClient job;
  private final int webUiPort;
  private final Path temporaryCheckpoints;

  private LocalPipeline(JobClient job, int webUiPort, Path temporaryCheckpoints) {
    this.job = job;
    this.webUiPort = webUiPort;
    this.temporaryCheckpoints = temporaryCheckpoints;
  }

  /**
   * Where checkpoints go and which one to resume from.
   *
   * @param dir checkpoints are written here
   * @param retained whether they are kept when the job is cancelled (else Flink removes them)
   * @param restoreFrom a retained checkpoint ({@code .../chk-N}) to start from, or null
   */
  public record Checkpoints(Path dir, boolean retained, Path restoreFrom) {
    /** Retain checkpoints in {@code dir} when the job is cancelled; start fresh. */
    public static Checkpoints retainIn(Path dir) {
      return new Checkpoints(dir, true, null);
    }

    /** Checkpoints in {@code dir} only while the job runs; start fresh. */
    static Checkpoints scratch(Path dir) {
      return new Checkpoints(dir, false, null);
    }

    /** The same dir and retention; start from {@code checkpoint}. */
    public Checkpoints restoringFrom(Path checkpoint) {
      return new Checkpoints(dir, retained, checkpoint);
    }
  }

  /**
   * Creates the job's topics and starts the job (checkpoints in a temporary folder, removed when
   * the job stops).
   *
   * @param slots task slots of the MiniCluster (= parallelism of the job)
   */
  public static LocalPipeline start(
      KafkaBroker kafka, JobConfig config, SecretResolver secrets, int slots) throws Exception {
    return start(kafka, config, secrets, slots, null);
  }

  /**
   * Creates the job's topics and starts the job, with checkpoints retained in {@code
   * checkpoints.dir()} (and restored from one when it names one); null: in a temporary folder.
   */
  public static LocalPipeline start(
      KafkaBroker kafka,
      JobConfig config,
      SecretResolver secrets,
      int slots,
      Checkpoints checkpoints)
      throws Exception {
    kafka.createTopics(config.kafka().topics().all(), 2);
    int port = freePort();
    // on disk, never in the JobManager's memory: that storage refuses a task's state over 5 MB,
    // which the slotter's open slots pass with a few hundred concurrent channels
    Path temporary = checkpoints == null ? Files.createTempDirectory("callqa-checkpoints") : null;
    Configuration conf =
        configuration(
            checkpoints != null ? checkpoints : Checkpoints.scratch(temporary), port, slots);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
    env.setParallelism(slots);
    CallQaJob.wire(env, config, secrets);
    JobClient client = env.executeAsync("callqa (local)");
    return new LocalPipeline(client, port, temporary);
  }

  /** The MiniCluster's configuration: checkpoints on disk in {@code checkpoints.dir()}. */
  static Configuration configuration(Checkpoints checkpoints, int port, int slots) {
    Configuration conf = new Configuration();
    conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.dir().toUri().toString());
    conf.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, TOLERABLE_FAILED_CHECKPOINTS);
    if (checkpoints.retained()) {
      conf.set(
          CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
          ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    }
    if (checkpoints.restoreFrom() != null) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoints.restoreFrom().toString());
    }
    conf.set(RestOptions.PORT, port);
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
    return conf;
  }

  /**
   * The newest completed checkpoint under {@code dir} ({@code <jobId>/chk-N} with its metadata file
   * written: Flink writes {@code _metadata} last).
   */
  public static Optional<Path> latestCheckpoint(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.walk(dir, 3)) {
      return files
          .filter(p -> p.getFileName().toString().equals("_metadata"))
          .map(Path::getParent)
          .filter(p -> p.getFileName().toString().matches("chk-\\d+"))
          .max(Comparator.comparingLong(LocalPipeline::checkpointId));
    }
  }

  /** N of a {@code chk-N} checkpoint folder. */
  public static long checkpointId(Path checkpoint) {
    return Long.parseLong(checkpoint.getFileName().toString().substring("chk-".length()));
  }

  public String webUiUrl() {
    return "http://127.0.0.1:" + webUiPort;
  }

  public JobClient job() {
    return job;
  }

  /**
   * Cancels the job and waits for it to stop (the MiniCluster goes with it); removes the temporary
   * checkpoints.
   */
  @Override
  public void close() throws Exception {
    try {
      job.cancel().get();
    } catch (Exception e) {
      // already finished or failed: nothing left to stop
    }
    if (temporaryCheckpoints != null) {
      try (Stream<Path> files = Files.walk(temporaryCheckpoints)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
