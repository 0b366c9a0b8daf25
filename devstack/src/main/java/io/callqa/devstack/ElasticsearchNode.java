package io.callqa.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A real single-node Elasticsearch from the {@code integ-test-zip} distribution on Maven Central:
 * loopback only, no security, a free HTTP port, data in a temp dir. Elasticsearch refuses to run as
 * root, so as root it runs as the unprivileged user {@value #ES_USER} (created if missing).
 *
 * <p>The integ-test-zip has only a handful of modules: {@code GET /} answers 405, so readiness is
 * checked on {@code /_cluster/health}.
 */
public final class ElasticsearchNode implements AutoCloseable {
  static final String ES_USER = "callqa-es";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(240);
  private static final Path DIST_CACHE =
      Paths.get(System.getProperty("java.io.tmpdir"), "callqa-devstack-dist");

  private final ManagedProcess process;
  private final String url;
  private final String version;
  private final Path dir;

  private ElasticsearchNode(ManagedProcess process, String url, String version, Path dir) {
    this.process = process;
    this.url = url;
    this.version = version;
    this.dir = dir;
  }

  /** Starts the default version (8.19, runs on Java 17). */
  public static ElasticsearchNode start(Path dir, boolean detached) throws IOException {
    return start(dir, Distribution.defaultElasticsearchVersion(), Jdks.currentHome(), detached);
  }

  /**
   * Starts the given version with the given JDK (Elasticsearch 9 needs Java 21+: see {@link
   * Jdks#atLeast}).
   */
  public static ElasticsearchNode start(Path dir, String version, Path javaHome, boolean detached)
      throws IOException {
    Path home = unpacked(version);
    Files.createDirectories(dir);
    Path config = dir.resolve("config");
    copyTree(home.resolve("config"), config);
    relocateJvmFiles(config.resolve("jvm.options"), dir);
    int httpPort = FreePorts.next();
    int transportPort = FreePorts.next();
    Files.writeString(
        config.resolve("elasticsearch.yml"),
        String.join(
            "\n",
            "cluster.name: callqa-dev",
            "node.name: callqa-dev-node",
            "network.host: 127.0.0.1",
            "http.port: " + httpPort,
            "transport.port: " + transportPort,
            "discovery.type: single-node",
            // a local dev node: plain HTTP, no users (the distribution ships x-pack-security)
            "xpack.security.enabled: false",
            "path.data: " + dir.resolve("data"),
            "path.logs: " + dir.resolve("logs"),
            // small dev disks must not turn indices read-only
            "cluster.routing.allocation.disk.threshold_enabled: false",
            "action.destructive_requires_name: false",
            ""));
    for (String sub : List.of("data", "logs", "tmp")) {
      Files.createDirectories(dir.resolve(sub));
    }
    List<String> cmd = new ArrayList<>();
    if (RunAs.isRoot()) {
      RunAs.ensureUser(ES_USER);
      RunAs.makeTraversable(dir);
      RunAs.chown(ES_USER, dir);
      cmd.addAll(RunAs.prefix(ES_USER));
    }
    cmd.add(home.resolve("bin/elasticsearch").toString());
    Path out = dir.resolve("process.out");
    ManagedProcess process =
        ManagedProcess.start(
            "elasticsearch-" + version,
            cmd,
            dir,
            out,
            detached,
            env -> {
              env.put("ES_PATH_CONF", config.toString());
              env.put("ES_JAVA_HOME", javaHome.toString());
              env.put("ES_JAVA_OPTS", "-Xms512m -Xmx512m -XX:TieredStopAtLevel=1");
              env.put("ES_TMPDIR", dir.resolve("tmp").toString());
              env.put("HOME", dir.toString());
              env.remove("JAVA_TOOL_OPTIONS");
            });
    ElasticsearchNode node =
        new ElasticsearchNode(process, "http://127.0.0.1:" + httpPort, version, dir);
    try {
      node.awaitHealthy();
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
    return node;
  }

  /** Re-attaches to a node started earlier by {@code callqa dev up}. */
  static ElasticsearchNode attach(ManagedProcess process, String url, String version, Path dir) {
    return new ElasticsearchNode(process, url, version, dir);
  }

  public String url() {
    return url;
  }

  public String version() {
    return version;
  }

  ManagedProcess process() {
    return process;
  }

  Path dir() {
    return dir;
  }

  /** True when {@code /_cluster/health} answers green or yellow. */
  public boolean isHealthy() {
    if (!process.isAlive()) {
      return false;
    }
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url + "/_cluster/health?timeout=1s"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && !r.body().contains("\"status\":\"red\"");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void awaitHealthy() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Elasticsearch " + version + " exited during start-up. Log tail:\n" + logTail());
      }
      if (isHealthy()) {
        return;
      }
      KafkaBroker.sleep(500);
    }
    throw new IllegalStateException(
        "Elasticsearch "
            + version
            + " not healthy after "
            + START_TIMEOUT
            + ". Log tail:\n"
            + logTail());
  }

  private String logTail() {
    return process.logTail(40);
  }

  @Override
  public void close() {
    process.close();
  }

  /** The distribution unpacked once into a shared cache (readable by the unprivileged user). */
  private static synchronized Path unpacked(String version) throws IOException {
    Path home = DIST_CACHE.resolve("elasticsearch-" + version);
    Path marker = home.resolve(".callqa-unpacked");
    if (Files.exists(marker)) {
      return home;
    }
    Files.createDirectories(DIST_CACHE);
    RunAs.makeTraversable(DIST_CACHE);
    Path staging = Files.createTempDirectory(DIST_CACHE, "unpack-");
    try (InputStream in = Files.newInputStream(Distribution.elasticsearchZip(version));
        ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        Path target = staging.resolve(e.getName()).normalize();
        if (!target.startsWith(staging)) {
          throw new IOException("zip entry outside its folder: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    // the zip holds one top folder elasticsearch-<version>; zip entries carry no unix modes
    Path top = staging.resolve("elasticsearch-" + version);
    try (Stream<Path> files = Files.walk(top)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        boolean executable =
            Files.isDirectory(f) || f.getParent().getFileName().toString().equals("bin");
        Files.setPosixFilePermissions(
            f, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
    if (Files.exists(home)) {
      deleteTree(home);
    }
    Files.move(top, home);
    deleteTree(staging);
    Files.createFile(marker);
    return home;
  }

  /**
   * jvm.options writes gc logs, heap dumps and error files relative to the distribution, which the
   * unprivileged user may not write to: point them into this node's own folder.
   */
  private static void relocateJvmFiles(Path jvmOptions, Path dir) throws IOException {
    String options =
        Files.readString(jvmOptions)
            .replace("file=logs/", "file=" + dir.resolve("logs") + "/")
            .replace("-XX:ErrorFile=logs/", "-XX:ErrorFile=" + dir.resolve("logs") + "/")
            .replace("-XX:HeapDumpPath=data", "-XX:HeapDumpPath=" + dir.resolve("data"));
    Files.writeString(jvmOptions, options);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(f);
      }
    }
  }
}
