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
  private final JobClient job;
  private final int webUiPort;

  private LocalPipeline(JobClient job, int webUiPort) {
    this.job = job;
    this.webUiPort = webUiPort;
  }

  /**
   * Where checkpoints go and which one to resume from.
   *
   * @param dir checkpoints are written here and retained when the job is cancelled
   * @param restoreFrom a retained checkpoint ({@code .../chk-N}) to start from, or null
   */
  public record Checkpoints(Path dir, Path restoreFrom) {
    /** Retain checkpoints in {@code dir}; start fresh. */
    public static Checkpoints retainIn(Path dir) {
      return new Checkpoints(dir, null);
    }

    /** Retain checkpoints in the same dir; start from {@code checkpoint}. */
    public Checkpoints restoringFrom(Path checkpoint) {
      return new Checkpoints(dir, checkpoint);
    }
  }

  /**
   * Creates the job's topics and starts the job (checkpoints kept in memory only).
   *
   * @param slots task slots of the MiniCluster (= parallelism of the job)
   */
  public static LocalPipeline start(
      KafkaBroker kafka, JobConfig config, SecretResolver secrets, int slots) throws Exception {
    return start(kafka, config, secrets, slots, null);
  }

  /**
   * Creates the job's topics and starts the job, with checkpoints on disk when {@code checkpoints}
   * is not null (and restored from one when it names one).
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
    Configuration conf = new Configuration();
    if (checkpoints != null) {
      conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
      conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.dir().toUri().toString());
      conf.set(
          CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
          ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
      if (checkpoints.restoreFrom() != null) {
        conf.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoints.restoreFrom().toString());
      }
    }
    conf.set(RestOptions.PORT, port);
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
    env.setParallelism(slots);
    CallQaJob.wire(env, config, secrets);
    JobClient client = env.executeAsync("callqa (local)");
    return new LocalPipeline(client, port);
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

  /** Cancels the job and waits for it to stop (the MiniCluster goes with it). */
  @Override
  public void close() throws Exception {
    try {
      job.cancel().get();
    } catch (Exception e) {
      // already finished or failed: nothing left to stop
    }
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
