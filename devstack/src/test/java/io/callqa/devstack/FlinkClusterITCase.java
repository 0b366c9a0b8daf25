package io.callqa.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone Flink session cluster (JobManager and TaskManager as child JVMs) runs a job jar
 * submitted over the REST API with parallelism 2, takes {@code ai.djl.} classes from the
 * TaskManager's extra lib (parent-first) rather than from the job jar, cancels a running job, and
 * leaves no process behind. Also checks the cluster configuration shipped in {@code flink-conf/}
 * against Flink 2.2 itself.
 */
class FlinkClusterITCase {
  private static final String PROBE = "ai.djl.callqa.probe.Probe";
  private static final String APP_CLASS_LOADER = "jdk.internal.loader.ClassLoaders$AppClassLoader";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void runsASubmittedJarOnTwoSlotsAndLeavesNoProcessBehind(@TempDir Path tmp) throws Exception {
    // The same class twice: in the TaskManager's lib (a stand-in for DJL) and in the job jar.
    Path probeLib = jar(tmp.resolve("probe-lib.jar"), compileProbe(tmp, "taskmanager-lib"), null);
    Path jobJar = jobJar(tmp.resolve("marker-job.jar"), compileProbe(tmp, "job-jar"));
    Path clusterDir = tmp.resolve("cluster");

    List<ProcessHandle> processes = new ArrayList<>();
    try (FlinkCluster cluster = FlinkCluster.start(clusterDir, 2, List.of(probeLib))) {
      System.out.printf(
          "Flink cluster up in %d ms at %s%n", cluster.startupTime().toMillis(), cluster.restUrl());
      for (ManagedProcess p : cluster.processes()) {
        ProcessHandle h = ProcessHandle.of(p.pid()).orElseThrow();
        processes.add(h);
        h.descendants().forEach(processes::add);
      }
      assertThat(processes).hasSizeGreaterThanOrEqualTo(2).allMatch(ProcessHandle::isAlive);

      JsonNode overview = cluster.overview();
      assertThat(overview.path("flink-version").asText()).isEqualTo("2.2.0");
      assertThat(overview.path("taskmanagers").asInt()).isEqualTo(1);
      assertThat(overview.path("slots-total").asInt()).isEqualTo(2);
      assertThat(overview.path("slots-available").asInt()).isEqualTo(2);
      assertThat(overview.path("jobs-finished").asInt()).isZero();

      HttpResponse<String> ui = get(cluster.restUrl() + "/");
      assertThat(ui.statusCode()).isEqualTo(200);
      assertThat(ui.body()).contains("Apache Flink Web Dashboard");
      assertThat(get(cluster.restUrl() + "/jobmanager/config").body())
          .contains("classloader.parent-first-patterns.additional");

      // a bounded job on both slots
      Path out = tmp.resolve("out");
      String jobId =
          cluster.submitJar(jobJar, MarkerJob.class.getName(), List.of(out.toString(), "1000"), 2);
      assertThat(cluster.awaitStatus(jobId, "FINISHED", Duration.ofMinutes(3)))
          .isEqualTo("FINISHED");
      List<Properties> subtasks = readMarkers(out);
      assertThat(subtasks)
          .extracting(p -> p.getProperty("subtask"))
          .containsExactlyInAnyOrder("0", "1");
      assertThat(subtasks.stream().mapToLong(p -> Long.parseLong(p.getProperty("count"))).sum())
          .isEqualTo(1000);
      assertThat(subtasks.stream().mapToLong(p -> Long.parseLong(p.getProperty("sum"))).sum())
          .isEqualTo(1000L * 1001 / 2);
      for (Properties p : subtasks) {
        // ai.djl.* from the TaskManager's classpath (parent-first), never from the job jar ...
        assertThat(p.getProperty("probe")).isEqualTo("taskmanager-lib");
        assertThat(p.getProperty("probeLoader")).isEqualTo(APP_CLASS_LOADER);
        // ... while the job's own classes come from the uploaded jar's user-code classloader
        assertThat(p.getProperty("jobLoader")).startsWith("org.apache.flink.");
      }
      JsonNode after = cluster.overview();
      assertThat(after.path("jobs-finished").asInt()).isEqualTo(1);
      assertThat(after.path("slots-available").asInt()).isEqualTo(2);

      // a job that would run forever: cancelled over REST
      String endless =
          cluster.submitJar(
              jobJar,
              MarkerJob.class.getName(),
              List.of(tmp.resolve("out-endless").toString(), "0"),
              2);
      cluster.awaitStatus(endless, "RUNNING", Duration.ofMinutes(2));
      cluster.cancel(endless);
      assertThat(cluster.awaitStatus(endless, "CANCELED", Duration.ofMinutes(2)))
          .isEqualTo("CANCELED");

      // a wrong entry class is refused with the cause in the message
      assertThatThrownBy(() -> cluster.submitJar(jobJar, "io.callqa.NoSuchJob", List.of(), 1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("io.callqa.NoSuchJob");
      // a main() that calls System.exit (as CallQaJob does on a usage error) fails the submission,
      // not the JobManager it runs in
      assertThatThrownBy(() -> cluster.submitJar(jobJar, MarkerJob.class.getName(), List.of(), 1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Flink user code attempted to exit JVM");
      assertThat(cluster.processes()).allMatch(ManagedProcess::isAlive);
      assertThat(cluster.overview().path("taskmanagers").asInt()).isEqualTo(1);
    }
    for (ProcessHandle p : processes) {
      assertThat(p.isAlive()).as("process %d still alive after close()", p.pid()).isFalse();
    }
    assertThat(clusterDir.resolve("tmp")).doesNotExist();
    assertThat(clusterDir.resolve("log/taskmanager.log")).isNotEmptyFile();
  }

  @Test
  void anInvalidConfigFailsTheStartWithFlinksReason(@TempDir Path tmp) {
    // 64 MB cannot hold the TaskManager's metaspace: BashJavaUtils refuses, as taskmanager.sh would
    assertThatThrownBy(
            () ->
                FlinkCluster.start(
                    tmp, 1, List.of(), Map.of("taskmanager.memory.process.size", "64m")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("GET_TM_RESOURCE_PARAMS")
        .hasMessageContaining("TaskManager memory configuration failed");
  }

  @Test
  void shippedClusterConfigIsValidForFlink(@TempDir Path tmp) throws Exception {
    Path flinkConf = repoDir("flink-conf");
    Configuration conf = GlobalConfiguration.loadConfiguration(flinkConf.toString());

    // every key is a current Flink 2.2 option: no typo, no name Flink 2 dropped or deprecated
    Set<String> known = currentOptionKeys();
    assertThat(known).contains("execution.checkpointing.dir", "state.backend.rocksdb.localdir");
    List<String> unknown =
        conf.keySet().stream()
            .filter(k -> !k.startsWith("metrics.reporter.prom."))
            .filter(k -> !known.contains(k))
            .sorted()
            .collect(Collectors.toList());
    assertThat(unknown).as("keys that are not current Flink 2.2 options").isEmpty();

    assertThat(conf.get(CoreOptions.ALWAYS_PARENT_FIRST_LOADER_PATTERNS_ADDITIONAL))
        .containsExactly("ai.djl.");
    assertThat(conf.get(CoreOptions.FLINK_JVM_OPTIONS))
        .isEqualTo(String.join(" ", FlinkCluster.JAVA_OPTS_ALL));
    assertThat(conf.get(CoreOptions.FLINK_TM_JVM_OPTIONS)).contains("-Dai.djl.offline=true");
    assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
    assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE))
        .isEqualTo(CheckpointingMode.EXACTLY_ONCE);
    assertThat(conf.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
        .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
    assertThat(conf.toMap())
        .containsEntry(
            "metrics.reporter.prom.factory.class",
            "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");

    // the memory sizes add up, derived by Flink itself as the start scripts do, and the shipped
    // log4j configuration works
    Path log = Files.createDirectories(tmp.resolve("log"));
    Path log4j = flinkConf.resolve("log4j2-cluster.properties");
    List<Path> classpath = FlinkCluster.flinkClasspath();
    FlinkCluster.ResourceParams tm =
        FlinkCluster.resourceParams("GET_TM_RESOURCE_PARAMS", flinkConf, log4j, log, classpath);
    FlinkCluster.ResourceParams jm =
        FlinkCluster.resourceParams("GET_JM_RESOURCE_PARAMS", flinkConf, log4j, log, classpath);
    System.out.println("shipped config, TaskManager JVM: " + tm.jvmParams());
    System.out.println("shipped config, TaskManager memory: " + tm.dynamicConfigs());
    System.out.println("shipped config, JobManager JVM: " + jm.jvmParams());
    assertThat(tm.dynamicConfigs())
        .contains("taskmanager.memory.task.off-heap.size=3221225472b")
        .contains("taskmanager.numberOfTaskSlots=4");
    assertThat(tm.jvmParams())
        .anyMatch(p -> p.startsWith("-Xmx"))
        .anyMatch(p -> p.startsWith("-XX:MaxDirectMemorySize="));
    assertThat(log.resolve("bash-java-utils-get_tm_resource_params.log"))
        .content()
        .contains("Final TaskExecutor Memory configuration");
    assertThat(log.resolve("bash-java-utils-get_tm_resource_params.out"))
        .content()
        .doesNotContain("StatusLogger")
        .doesNotContain("ERROR");
  }

  @Test
  @SuppressWarnings("unchecked")
  void shippedFlinkDeploymentUsesCurrentOptionsAndTheClusterConfigsSettings() throws Exception {
    Path file = repoDir("flink-conf").resolve("kubernetes/flinkdeployment.yaml");
    Map<String, Object> deployment = null;
    List<String> kinds = new ArrayList<>();
    for (Object doc :
        new org.snakeyaml.engine.v2.api.Load(
                org.snakeyaml.engine.v2.api.LoadSettings.builder().build())
            .loadAllFromString(Files.readString(file))) {
      Map<String, Object> m = (Map<String, Object>) doc;
      kinds.add((String) m.get("kind"));
      if ("FlinkDeployment".equals(m.get("kind"))) {
        deployment = m;
      }
    }
    assertThat(kinds).containsExactly("ConfigMap", "Secret", "FlinkDeployment");
    assertThat(deployment).containsEntry("apiVersion", "flink.apache.org/v1beta1");
    Map<String, Object> spec = (Map<String, Object>) deployment.get("spec");
    assertThat(spec).containsEntry("flinkVersion", "v2_2");
    Map<String, Object> job = (Map<String, Object>) spec.get("job");
    assertThat(job).containsEntry("entryClass", "io.callqa.jobs.CallQaJob");
    assertThat(repoDir("jobs").resolve("src/main/java/io/callqa/jobs/CallQaJob.java")).exists();

    Map<String, String> flinkConfiguration = new java.util.LinkedHashMap<>();
    ((Map<String, Object>) spec.get("flinkConfiguration"))
        .forEach((k, v) -> flinkConfiguration.put(k, String.valueOf(v)));
    Set<String> known = currentOptionKeys();
    assertThat(
            flinkConfiguration.keySet().stream()
                .filter(k -> !k.startsWith("metrics.reporter.prom."))
                .filter(k -> !known.contains(k))
                .collect(Collectors.toList()))
        .as("keys that are not current Flink 2.2 options")
        .isEmpty();

    // the settings both files carry are the same (compared as Flink reads them)
    Configuration onK8s = Configuration.fromMap(flinkConfiguration);
    Configuration shipped = GlobalConfiguration.loadConfiguration(repoDir("flink-conf").toString());
    List<ConfigOption<?>> same =
        List.of(
            CoreOptions.FLINK_JVM_OPTIONS,
            CoreOptions.FLINK_TM_JVM_OPTIONS,
            CoreOptions.ALWAYS_PARENT_FIRST_LOADER_PATTERNS_ADDITIONAL,
            StateBackendOptions.STATE_BACKEND,
            CheckpointingOptions.INCREMENTAL_CHECKPOINTS,
            CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
            CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
            RestartStrategyOptions.RESTART_STRATEGY,
            TaskManagerOptions.NUM_TASK_SLOTS,
            TaskManagerOptions.TASK_OFF_HEAP_MEMORY,
            TaskManagerOptions.JVM_METASPACE,
            TaskManagerOptions.MANAGED_MEMORY_FRACTION);
    for (ConfigOption<?> option : same) {
      assertThat(onK8s.get(option)).as(option.key()).isEqualTo(shipped.get(option));
    }
  }

  /**
   * The test job: numbers 1..n (or endless when n = 0) through a counting map on every subtask,
   * which writes what it saw and where its classes came from into {@code out/subtask-i.properties}.
   */
  public static final class MarkerJob {
    public static void main(String[] args) throws Exception {
      if (args.length != 2) {
        System.err.println("usage: MarkerJob OUT_DIR N");
        System.exit(2);
      }
      Path out = Paths.get(args[0]);
      long n = Long.parseLong(args[1]);
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.fromSequence(1, n > 0 ? n : Long.MAX_VALUE)
          .map(new CountingMap(out.toString(), n == 0))
          .sinkTo(new DiscardingSink<>());
      env.execute("callqa flink-cluster marker job");
    }
  }

  /** Counts and sums its records; in close() records them and the probe's origin. */
  public static final class CountingMap extends RichMapFunction<Long, Long> {
    private final String out;
    private final boolean slow;
    private long count;
    private long sum;

    public CountingMap(String out, boolean slow) {
      this.out = out;
      this.slow = slow;
    }

    @Override
    public void open(OpenContext context) {
      count = 0;
      sum = 0;
    }

    @Override
    public Long map(Long value) throws Exception {
      if (slow) {
        Thread.sleep(5);
      }
      count++;
      sum += value;
      return value;
    }

    @Override
    public void close() throws Exception {
      Class<?> probe = Class.forName(PROBE, true, CountingMap.class.getClassLoader());
      Properties p = new Properties();
      p.setProperty(
          "subtask", String.valueOf(getRuntimeContext().getTaskInfo().getIndexOfThisSubtask()));
      p.setProperty("count", String.valueOf(count));
      p.setProperty("sum", String.valueOf(sum));
      p.setProperty("probe", (String) probe.getMethod("origin").invoke(null));
      p.setProperty("probeLoader", probe.getClassLoader().getClass().getName());
      p.setProperty("jobLoader", CountingMap.class.getClassLoader().getClass().getName());
      Path dir = Files.createDirectories(Paths.get(out));
      String name = "subtask-" + p.getProperty("subtask") + ".properties";
      try (OutputStream os = Files.newOutputStream(dir.resolve(name))) {
        p.store(os, null);
      }
    }
  }

  /** A directory of the repository (the build runs the tests in devstack/). */
  private static Path repoDir(String name) {
    for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve(name)) && Files.exists(d.resolve("pom.xml"))) {
        return d.resolve(name);
      }
    }
    throw new IllegalStateException(name + " not found above " + Paths.get("").toAbsolutePath());
  }

  /** The keys of all ConfigOptions in Flink's *Options classes on this classpath. */
  private static Set<String> currentOptionKeys() throws IOException {
    Set<String> keys = new TreeSet<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (!entry.contains("/org/apache/flink/") || !entry.endsWith(".jar")) {
        continue;
      }
      try (JarFile jar = new JarFile(entry)) {
        for (JarEntry e : Collections.list(jar.entries())) {
          String name = e.getName();
          if (!name.endsWith("Options.class") || name.contains("$")) {
            continue;
          }
          try {
            Class<?> c =
                Class.forName(
                    name.substring(0, name.length() - 6).replace('/', '.'),
                    true,
                    FlinkClusterITCase.class.getClassLoader());
            for (Field f : c.getFields()) {
              if (Modifier.isStatic(f.getModifiers())
                  && ConfigOption.class.isAssignableFrom(f.getType())) {
                keys.add(((ConfigOption<?>) f.get(null)).key());
              }
            }
          } catch (Throwable notAnOptionsClass) {
            // a class that does not load here: not one the cluster config can use
          }
        }
      }
    }
    return keys;
  }

  private static List<Properties> readMarkers(Path out) throws IOException {
    try (Stream<Path> files = Files.list(out)) {
      List<Properties> all = new ArrayList<>();
      for (Path f : files.sorted().collect(Collectors.toList())) {
        Properties p = new Properties();
        try (var in = Files.newInputStream(f)) {
          p.load(in);
        }
        all.add(p);
      }
      return all;
    }
  }

  /** Compiles {@code ai.djl.callqa.probe.Probe} whose origin() answers {@code origin}. */
  private static Path compileProbe(Path tmp, String origin) throws IOException {
    Path src = tmp.resolve("probe-src-" + origin + "/ai/djl/callqa/probe/Probe.java");
    Files.createDirectories(src.getParent());
    Files.writeString(
        src,
        "package ai.djl.callqa.probe;\n"
            + "public final class Probe {\n"
            + "  public static String origin() { return \""
            + origin
            + "\"; }\n"
            + "}\n");
    Path classes = Files.createDirectories(tmp.resolve("probe-classes-" + origin));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "-d", classes.toString(), src.toString());
    assertThat(rc).as("javac of the probe").isZero();
    return classes;
  }

  /**
   * The job jar: this test's nested job classes from target/test-classes (with their outer class,
   * which the JVM looks up for nested classes) plus the job-jar copy of the probe.
   */
  private static Path jobJar(Path jar, Path probeClasses) throws Exception {
    Path testClasses =
        Paths.get(
            FlinkClusterITCase.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path pkg = testClasses.resolve("io/callqa/devstack");
    List<Path> files;
    try (Stream<Path> s = Files.list(pkg)) {
      files =
          s.filter(f -> f.getFileName().toString().startsWith("FlinkClusterITCase"))
              .collect(Collectors.toList());
    }
    assertThat(files).anyMatch(f -> f.getFileName().toString().contains("$MarkerJob"));
    return jar(jar, probeClasses, Map.of(testClasses, files));
  }

  private static Path jar(Path jar, Path classesRoot, Map<Path, List<Path>> more)
      throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    try (JarOutputStream os = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      List<Path> probe;
      try (Stream<Path> s = Files.walk(classesRoot)) {
        probe = s.filter(Files::isRegularFile).collect(Collectors.toList());
      }
      add(os, classesRoot, probe);
      if (more != null) {
        for (Map.Entry<Path, List<Path>> e : more.entrySet()) {
          add(os, e.getKey(), e.getValue());
        }
      }
    }
    return jar;
  }

  private static void add(JarOutputStream os, Path root, List<Path> files) throws IOException {
    for (Path f : files) {
      os.putNextEntry(new JarEntry(root.relativize(f).toString().replace('\\', '/')));
      os.write(Files.readAllBytes(f));
      os.closeEntry();
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }
}
