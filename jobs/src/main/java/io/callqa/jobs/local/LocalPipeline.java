package io.callqa.jobs.local;

import io.callqa.devstack.KafkaBroker;
import io.callqa.jobs.CallQaJob;
import io.callqa.jobs.JobConfig;
import io.callqa.operators.alerts.SecretResolver;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
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
   * Creates the job's topics and starts the job.
   *
   * @param slots task slots of the MiniCluster (= parallelism of the job)
   */
  public static LocalPipeline start(
      KafkaBroker kafka, JobConfig config, SecretResolver secrets, int slots) throws Exception {
    kafka.createTopics(config.kafka().topics().all(), 2);
    int port = freePort();
    Configuration conf = new Configuration();
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
