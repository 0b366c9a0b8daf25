package io.callqa.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real standalone Flink session cluster: one JobManager ({@code
 * StandaloneSessionClusterEntrypoint}) and one TaskManager ({@code TaskManagerRunner}) as child
 * JVMs, started the way Flink's {@code bin/jobmanager.sh} and {@code bin/taskmanager.sh} start
 * them, from the Maven Central jars a flink-dist {@code lib/} holds (there is no flink-dist 2.2 on
 * Maven Central): a standard-YAML {@code conf/config.yaml}, the JVM options of Flink's default
 * config ({@code env.java.opts.all}), and the memory options that {@code BashJavaUtils} computes
 * from that config ({@code GET_JM_RESOURCE_PARAMS}, {@code GET_TM_RESOURCE_PARAMS}).
 *
 * <p>Jobs are submitted as jars over the REST API, like {@code flink run} against a session
 * cluster:
 *
 * <pre>{@code
 * try (FlinkCluster cluster = FlinkCluster.start(dir, 2, djlJars)) {
 *   String jobId = cluster.submitJar(jobJar, "io.callqa.jobs.CallQaJob", List.of("--config", cfg), 2);
 *   cluster.awaitStatus(jobId, "RUNNING", Duration.ofMinutes(2));
 *   ...
 *   cluster.cancel(jobId);
 * }
 * }</pre>
 *
 * <p>Layout under {@code dir}: {@code conf/} (config.yaml, log4j.properties), {@code log/}
 * (jobmanager.log / .out, taskmanager.log / .out), {@code tmp/} (io.tmp.dirs: blobs, uploaded jars,
 * the extracted RPC system; deleted on {@link #close()}).
 */
public final class FlinkCluster implements AutoCloseable {
  /**
   * The JVM options of Flink 2's default {@code config.yaml} ({@code env.java.opts.all}): Flink's
   * serializers and RPC reflect into these JDK packages on Java 17+.
   */
  public static final List<String> JAVA_OPTS_ALL =
      List.of(
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
          "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  /** Job states after which a job never changes state again. */
  private static final Set<String> TERMINAL = Set.of("FINISHED", "FAILED", "CANCELED");

  private static final String JOB_MANAGER_MAIN =
      "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  private static final String TASK_MANAGER_MAIN =
      "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
  private static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";
  private static final String EXEC_RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final String restUrl;
  private final int taskSlots;
  private final ManagedProcess jobManager;
  private final ManagedProcess taskManager;
  private volatile Duration startup = Duration.ZERO;
  private final HttpClient http;
  private final Thread shutdownHook;
  private volatile boolean closed;

  private FlinkCluster(
      Path dir,
      String restUrl,
      int taskSlots,
      ManagedProcess jobManager,
      ManagedProcess taskManager) {
    this.dir = dir;
    this.restUrl = restUrl;
    this.taskSlots = taskSlots;
    this.jobManager = jobManager;
    this.taskManager = taskManager;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    this.shutdownHook = new Thread(this::close, "callqa-flink-cluster-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts a JobManager and one TaskManager with {@code taskSlots} slots on loopback addresses and
   * free ports, and waits until the REST API reports the TaskManager and its slots.
   *
   * @param dir the cluster's directory (created if missing): conf/, log/, tmp/
   * @param extraTaskManagerLib jars put on the TaskManager's classpath, like jars in a flink-dist
   *     {@code lib/}: DJL and libtorch, whose natives load in one classloader only (with {@code
   *     classloader.parent-first-patterns.additional: ai.djl.} the job's classes use these)
   */
  public static FlinkCluster start(Path dir, int taskSlots, List<Path> extraTaskManagerLib)
      throws IOException {
    return start(dir, taskSlots, extraTaskManagerLib, Map.of());
  }

  /**
   * Like {@link #start(Path, int, List)}, with {@code extraConfig} entries added to (or replacing
   * entries of) the generated config.yaml, e.g. {@code taskmanager.memory.process.size} or
   * checkpointing options. Values are strings, numbers, booleans or lists of strings. The ports and
   * the number of slots are not configurable here.
   */
  public static FlinkCluster start(
      Path dir, int taskSlots, List<Path> extraTaskManagerLib, Map<String, Object> extraConfig)
      throws IOException {
    if (taskSlots < 1) {
      throw new IllegalArgumentException("taskSlots must be >= 1: " + taskSlots);
    }
    for (String fixed :
        List.of("rest.port", "jobmanager.rpc.port", "taskmanager.numberOfTaskSlots")) {
      if (extraConfig.containsKey(fixed)) {
        throw new IllegalArgumentException(
            fixed + " is chosen by FlinkCluster, not by extraConfig");
      }
    }
    for (Path jar : extraTaskManagerLib) {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalArgumentException("extra TaskManager jar not found: " + jar);
      }
    }
    long t0 = System.nanoTime();
    dir = dir.toAbsolutePath();
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Path log = Files.createDirectories(dir.resolve("log"));
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    // empty: where flink-dist keeps plugins (e.g. plugins/metrics-prometheus/)
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    int rpcPort = FreePorts.next();
    int restPort = FreePorts.next();
    Map<String, Object> config = config(tmp, taskSlots, rpcPort, restPort);
    config.putAll(extraConfig);
    Files.writeString(conf.resolve("config.yaml"), toYaml(config));
    Files.writeString(conf.resolve("log4j.properties"), log4jConfig());

    List<Path> flinkClasspath = flinkClasspath();
    List<Path> tmClasspath = new ArrayList<>(flinkClasspath);
    extraTaskManagerLib.stream().map(Path::toAbsolutePath).forEach(tmClasspath::add);

    // both memory computations at once: each is a short JVM, and this machine may be busy
    CompletableFuture<ResourceParams> jmParams =
        CompletableFuture.supplyAsync(
            () ->
                resourceParams(
                    "GET_JM_RESOURCE_PARAMS",
                    conf,
                    conf.resolve("log4j.properties"),
                    log,
                    flinkClasspath));
    CompletableFuture<ResourceParams> tmParams =
        CompletableFuture.supplyAsync(
            () ->
                resourceParams(
                    "GET_TM_RESOURCE_PARAMS",
                    conf,
                    conf.resolve("log4j.properties"),
                    log,
                    flinkClasspath));
    ResourceParams jm = join(jmParams);
    ResourceParams tm = join(tmParams);

    // what config.sh exports to the daemons
    ManagedProcess.Env env =
        e -> {
          e.put("FLINK_CONF_DIR", conf.toString());
          e.put("FLINK_PLUGINS_DIR", plugins.toString());
          e.put("FLINK_LOG_DIR", log.toString());
        };
    // The TaskManager retries its registration until the JobManager is up, so both start at once.
    ManagedProcess jobManager =
        ManagedProcess.start(
            "flink-jobmanager",
            daemonCommand(
                // C1 only (not in jobmanager.sh): starts faster; the JobManager computes little
                jm.withJvmParam("-XX:TieredStopAtLevel=1"),
                conf,
                log.resolve("jobmanager.log"),
                flinkClasspath,
                JOB_MANAGER_MAIN),
            dir,
            log.resolve("jobmanager.out"),
            false,
            env);
    ManagedProcess taskManager;
    try {
      taskManager =
          ManagedProcess.start(
              "flink-taskmanager",
              daemonCommand(
                  tm, conf, log.resolve("taskmanager.log"), tmClasspath, TASK_MANAGER_MAIN),
              dir,
              log.resolve("taskmanager.out"),
              false,
              env);
    } catch (IOException | RuntimeException e) {
      jobManager.close();
      throw e;
    }
    FlinkCluster cluster =
        new FlinkCluster(dir, "http://127.0.0.1:" + restPort, taskSlots, jobManager, taskManager);
    try {
      cluster.awaitTaskManager();
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    cluster.startup = Duration.ofNanos(System.nanoTime() - t0);
    return cluster;
  }

  /** The REST API and web UI, e.g. {@code http://127.0.0.1:40123}. */
  public String restUrl() {
    return restUrl;
  }

  /** From the call to {@code start} until the TaskManager's slots were registered. */
  public Duration startupTime() {
    return startup;
  }

  public Path dir() {
    return dir;
  }

  public int taskSlots() {
    return taskSlots;
  }

  /** The JobManager and TaskManager processes (package-private: for tests). */
  List<ManagedProcess> processes() {
    return List.of(jobManager, taskManager);
  }

  /** {@code GET /overview}: taskmanagers, slots-total, slots-available, jobs-running, ... */
  public JsonNode overview() {
    return getJson("/overview");
  }

  /**
   * Uploads {@code jar} ({@code POST /jars/upload}) and runs its {@code entryClass} ({@code POST
   * /jars/:jarid/run}), like {@code flink run -c entryClass -p parallelism jar args...}.
   *
   * @return the job id
   */
  public String submitJar(Path jar, String entryClass, List<String> args, int parallelism) {
    String jarId = uploadJar(jar);
    ObjectNode body = JSON.createObjectNode();
    body.put("entryClass", entryClass);
    ArrayNode programArgs = body.putArray("programArgsList");
    args.forEach(programArgs::add);
    body.put("parallelism", parallelism);
    HttpResponse<String> response =
        send(
            request("/jars/" + jarId + "/run")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    JsonNode answer = parse(response, "run " + entryClass + " from " + jar.getFileName());
    JsonNode jobId = answer.get("jobid");
    if (jobId == null) {
      throw new IllegalStateException("no job id in the answer to /jars/run: " + answer);
    }
    return jobId.asText();
  }

  /** {@code POST /jars/upload}: the id the cluster gave the jar. */
  public String uploadJar(Path jar) {
    String boundary = "callqa-" + UUID.randomUUID();
    byte[] content;
    try {
      content = Files.readAllBytes(jar);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read job jar " + jar, e);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream(content.length + 512);
    String head =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
            + jar.getFileName()
            + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n";
    body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    body.writeBytes(content);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        send(
            request("/jars/upload")
                .timeout(Duration.ofMinutes(5))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    JsonNode answer = parse(response, "upload " + jar);
    if (!"success".equals(answer.path("status").asText()) || !answer.hasNonNull("filename")) {
      throw new IllegalStateException("jar upload of " + jar + " failed: " + answer);
    }
    // the jar id is the stored file's name: <uuid>_<name>.jar
    return Paths.get(answer.get("filename").asText()).getFileName().toString();
  }

  /** The job's state ({@code GET /jobs/:jobid}): RUNNING, FINISHED, FAILED, CANCELED, ... */
  public String jobStatus(String jobId) {
    return getJson("/jobs/" + jobId).path("state").asText();
  }

  /** {@code GET /jobs/:jobid/exceptions}: the job's root exception and exception history. */
  public JsonNode jobExceptions(String jobId) {
    return getJson("/jobs/" + jobId + "/exceptions");
  }

  /** Cancels the job ({@code PATCH /jobs/:jobid?mode=cancel}); returns without waiting. */
  public void cancel(String jobId) {
    HttpResponse<String> response =
        send(
            request("/jobs/" + jobId + "?mode=cancel")
                .method("PATCH", HttpRequest.BodyPublishers.noBody()));
    if (response.statusCode() != 202 && response.statusCode() != 200) {
      throw new IllegalStateException(
          "cancel of job " + jobId + " answered " + response.statusCode() + ": " + response.body());
    }
  }

  /**
   * Waits until the job is in {@code status}. Fails at once when the job reaches another terminal
   * state (with its root exception), or after {@code timeout} (with its exceptions and the log
   * tails).
   *
   * @return the status reached
   */
  public String awaitStatus(String jobId, String status, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String state = "";
    while (System.nanoTime() < deadline) {
      state = jobStatus(jobId);
      if (state.equals(status)) {
        return state;
      }
      if (TERMINAL.contains(state)) {
        throw new IllegalStateException(
            "job "
                + jobId
                + " is "
                + state
                + ", not "
                + status
                + ". Root exception:\n"
                + jobExceptions(jobId).path("root-exception").asText("(none)")
                + "\n"
                + logTails());
      }
      if (!jobManager.isAlive() || !taskManager.isAlive()) {
        throw new IllegalStateException(
            "a Flink process exited while job " + jobId + " was " + state + ".\n" + logTails());
      }
      KafkaBroker.sleep(200);
    }
    String exceptions;
    try {
      exceptions = jobExceptions(jobId).toPrettyString();
    } catch (RuntimeException e) {
      exceptions = "(unavailable: " + e.getMessage() + ")";
    }
    throw new IllegalStateException(
        "job "
            + jobId
            + " still "
            + state
            + " after "
            + timeout
            + ", expected "
            + status
            + ". Exceptions: "
            + exceptions
            + "\n"
            + logTails());
  }

  /** The last lines of the JobManager's and TaskManager's logs, for error messages. */
  public String logTails() {
    Path log = dir.resolve("log");
    StringBuilder sb = new StringBuilder();
    for (String name :
        List.of("jobmanager.out", "jobmanager.log", "taskmanager.out", "taskmanager.log")) {
      Path file = log.resolve(name);
      if (Files.exists(file)) {
        sb.append("---- ").append(file).append(" (tail) ----\n");
        sb.append(ManagedProcess.tail(file, name.endsWith(".out") ? 15 : 40)).append('\n');
      }
    }
    return sb.toString();
  }

  /**
   * Stops the TaskManager and the JobManager (whole process trees: SIGTERM, then SIGKILL after a
   * grace period) and deletes {@code tmp/}; conf/ and log/ stay for inspection. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    detachShutdownHook();
    CompletableFuture<Void> tm = CompletableFuture.runAsync(taskManager::close);
    CompletableFuture<Void> jm = CompletableFuture.runAsync(jobManager::close);
    CompletableFuture.allOf(tm, jm).join();
    try {
      ElasticsearchNode.deleteTree(dir.resolve("tmp"));
    } catch (IOException e) {
      System.err.println("callqa devstack: could not delete " + dir.resolve("tmp") + ": " + e);
    }
  }

  private void detachShutdownHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or has run
    }
  }

  private void awaitTaskManager() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!jobManager.isAlive() || !taskManager.isAlive()) {
        throw new IllegalStateException(
            "Flink "
                + (jobManager.isAlive() ? "TaskManager" : "JobManager")
                + " exited during start-up.\n"
                + logTails());
      }
      try {
        HttpResponse<String> response =
            http.send(
                request("/overview").timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          JsonNode overview = JSON.readTree(response.body());
          last = overview.toString();
          if (overview.path("taskmanagers").asInt() == 1
              && overview.path("slots-total").asInt() == taskSlots) {
            return;
          }
        } else {
          last = response.statusCode() + " " + response.body();
        }
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      KafkaBroker.sleep(300);
    }
    throw new IllegalStateException(
        "Flink cluster not ready after "
            + START_TIMEOUT
            + " (expected 1 TaskManager with "
            + taskSlots
            + " slots; last /overview: "
            + last
            + ").\n"
            + logTails());
  }

  private JsonNode getJson(String path) {
    return parse(send(request(path).GET()), "GET " + path);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(restUrl + path)).timeout(HTTP_TIMEOUT);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("Flink REST call failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static JsonNode parse(HttpResponse<String> response, String what) {
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          what + " failed: HTTP " + response.statusCode() + " " + response.body());
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(what + ": unreadable answer " + response.body(), e);
    }
  }

  /** The dev cluster's config.yaml: loopback only, small memory, web UI and submission on. */
  private static Map<String, Object> config(Path tmp, int taskSlots, int rpcPort, int restPort) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("env.java.opts.all", String.join(" ", JAVA_OPTS_ALL));
    c.put("jobmanager.rpc.address", "127.0.0.1");
    c.put("jobmanager.rpc.port", rpcPort);
    c.put("jobmanager.bind-host", "127.0.0.1");
    c.put("taskmanager.host", "127.0.0.1");
    c.put("taskmanager.bind-host", "127.0.0.1");
    c.put("taskmanager.rpc.port", "0");
    c.put("taskmanager.data.port", 0);
    c.put("blob.server.port", "0");
    c.put("rest.address", "127.0.0.1");
    c.put("rest.bind-address", "127.0.0.1");
    c.put("rest.port", restPort);
    c.put("web.submit.enable", true);
    c.put("web.cancel.enable", true);
    c.put("web.tmpdir", tmp.resolve("web").toString());
    c.put("web.upload.dir", tmp.resolve("web-upload").toString());
    c.put("io.tmp.dirs", tmp.toString());

    c.put("taskmanager.numberOfTaskSlots", taskSlots);
    c.put("parallelism.default", 1);
    c.put("jobmanager.execution.failover-strategy", "region");
    // a job's main() runs inside the JobManager on REST submission: its System.exit must not
    // stop the JobManager (CallQaJob exits 2 on a usage error)
    c.put("cluster.intercept-user-system-exit", "THROW");
    // DJL and libtorch come from the TaskManager's classpath (lib/), never from the job jar:
    // the natives load in one classloader only
    c.put("classloader.parent-first-patterns.additional", List.of("ai.djl."));

    // small: a shared 2-core machine. JobManager ~512 MB, TaskManager ~1.25 GB process.
    c.put("jobmanager.memory.process.size", "512m");
    c.put("jobmanager.memory.jvm-metaspace.size", "160m");
    c.put("jobmanager.memory.jvm-overhead.min", "64m");
    c.put("jobmanager.memory.off-heap.size", "64m");
    c.put("taskmanager.memory.process.size", "1280m");
    c.put("taskmanager.memory.jvm-metaspace.size", "192m");
    c.put("taskmanager.memory.managed.size", "128m");
    c.put("taskmanager.memory.network.min", "64m");
    c.put("taskmanager.memory.network.max", "64m");
    // a busy machine pauses JVMs now and then: do not take that for a lost TaskManager
    c.put("heartbeat.timeout", 120000);
    // the TaskManager starts beside the JobManager: retry a failed registration after 1 s, not 10 s
    c.put("cluster.registration.error-delay", 1000);
    return c;
  }

  private static String log4jConfig() {
    return String.join(
        "\n",
        "# Written by FlinkCluster (callqa dev stack); same shape as flink-dist's conf/log4j.properties",
        "monitorInterval = 0",
        "rootLogger.level = INFO",
        "rootLogger.appenderRef.file.ref = MainAppender",
        "logger.pekko.name = org.apache.pekko",
        "logger.pekko.level = INFO",
        "logger.netty.name = org.apache.flink.shaded.netty4.io.netty.channel.DefaultChannelPipeline",
        "logger.netty.level = OFF",
        "logger.zookeeper.name = org.apache.zookeeper",
        "logger.zookeeper.level = WARN",
        "appender.main.name = MainAppender",
        "appender.main.type = File",
        "appender.main.append = true",
        "appender.main.fileName = ${sys:log.file}",
        "appender.main.layout.type = PatternLayout",
        "appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
        "");
  }

  /** Flink's standard YAML config file: one flattened key per line, values as YAML scalars. */
  static String toYaml(Map<String, Object> config) {
    StringBuilder sb = new StringBuilder("# Written by FlinkCluster (callqa dev stack)\n");
    config.forEach(
        (key, value) -> sb.append(key).append(": ").append(yamlValue(value)).append('\n'));
    return sb.toString();
  }

  private static String yamlValue(Object value) {
    try {
      if (value instanceof List<?> list) {
        List<String> items = new ArrayList<>();
        for (Object item : list) {
          items.add(JSON.writeValueAsString(String.valueOf(item)));
        }
        return "[" + String.join(", ", items) + "]";
      }
      if (value instanceof Number || value instanceof Boolean) {
        return value.toString();
      }
      // a JSON string is a YAML double-quoted scalar
      return JSON.writeValueAsString(String.valueOf(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The command line of {@code flink-daemon.sh}: java, the memory options from BashJavaUtils, the
   * config's {@code env.java.opts.all}, the log settings, the classpath, the entry point with
   * {@code --configDir} and the dynamic memory configs.
   */
  private static List<String> daemonCommand(
      ResourceParams params, Path conf, Path logFile, List<Path> classpath, String mainClass) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Jdks.currentJava().toString());
    cmd.addAll(params.jvmParams());
    cmd.addAll(JAVA_OPTS_ALL);
    cmd.add("-Dlog.file=" + logFile);
    cmd.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
    cmd.add("-classpath");
    cmd.add(joinClasspath(classpath));
    cmd.add(mainClass);
    cmd.add("--configDir");
    cmd.add(conf.toString());
    cmd.addAll(params.dynamicConfigs());
    return cmd;
  }

  /**
   * Runs {@code BashJavaUtils GET_JM_RESOURCE_PARAMS | GET_TM_RESOURCE_PARAMS} on the written
   * config as Flink's {@code config.sh} does, and returns its last two result lines: the JVM memory
   * options (-Xmx, -Xms, -XX:MaxDirectMemorySize, -XX:MaxMetaspaceSize) and the derived memory
   * sizes as {@code -D key=value} dynamic configs.
   */
  static ResourceParams resourceParams(
      String command, Path conf, Path log4jConfig, Path log, List<Path> classpath) {
    String name = "bash-java-utils-" + command.toLowerCase(java.util.Locale.ROOT);
    Path out = log.resolve(name + ".out");
    List<String> cmd = new ArrayList<>();
    cmd.add(Jdks.currentJava().toString());
    cmd.addAll(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    cmd.add("-Dlog.file=" + log.resolve(name + ".log"));
    cmd.add("-Dlog4j.configurationFile=" + log4jConfig.toUri());
    cmd.add("-classpath");
    cmd.add(joinClasspath(classpath));
    cmd.add(BASH_JAVA_UTILS);
    cmd.add(command);
    cmd.add("--configDir");
    cmd.add(conf.toString());
    try {
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.to(out.toFile()))
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "BashJavaUtils "
                + command
                + " did not finish in 120 s:\n"
                + ManagedProcess.tail(out, 30));
      }
      List<String> results =
          Files.readAllLines(out, StandardCharsets.UTF_8).stream()
              .filter(l -> l.startsWith(EXEC_RESULT_PREFIX))
              .map(l -> l.substring(EXEC_RESULT_PREFIX.length()).trim())
              .collect(Collectors.toList());
      if (p.exitValue() != 0 || results.size() < 2) {
        throw new IllegalStateException(
            "BashJavaUtils "
                + command
                + " failed (exit "
                + p.exitValue()
                + "): the config in "
                + conf
                + " is not valid for Flink:\n"
                + ManagedProcess.tail(out, 40));
      }
      return new ResourceParams(
          words(results.get(results.size() - 2)), words(results.get(results.size() - 1)));
    } catch (IOException e) {
      throw new UncheckedIOException("could not run BashJavaUtils " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static List<String> words(String line) {
    return Arrays.stream(line.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
  }

  /** Jars of the Flink cluster (see devstack/pom.xml: flink-cluster.classpath). */
  static List<Path> flinkClasspath() {
    try (InputStream in =
        FlinkCluster.class.getResourceAsStream("/callqa-devstack/flink-cluster.classpath")) {
      if (in == null) {
        throw new IllegalStateException(
            "flink-cluster.classpath missing: build the devstack module");
      }
      String cp = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      if (cp.isEmpty()) {
        throw new IllegalStateException(
            "flink-cluster.classpath is empty: build the devstack module again (a command line"
                + " -DincludeGroupIds/-DincludeArtifactIds also filters its build-classpath)");
      }
      List<Path> jars =
          Arrays.stream(cp.split(java.io.File.pathSeparator)).map(Paths::get).toList();
      List<Path> missing = jars.stream().filter(j -> !Files.isRegularFile(j)).toList();
      if (!missing.isEmpty()) {
        throw new IllegalStateException(
            "Flink cluster jars are missing (run the build again to resolve them): " + missing);
      }
      return jars;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String joinClasspath(List<Path> jars) {
    return jars.stream()
        .map(Path::toString)
        .collect(Collectors.joining(java.io.File.pathSeparator));
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  /** What BashJavaUtils printed: JVM memory options and {@code -D key=value} dynamic configs. */
  record ResourceParams(List<String> jvmParams, List<String> dynamicConfigs) {
    ResourceParams withJvmParam(String param) {
      List<String> params = new ArrayList<>(jvmParams);
      params.add(param);
      return new ResourceParams(params, dynamicConfigs);
    }
  }
}
