package io.callqa.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds JDKs: the running one, and one of at least a given feature version (for Elasticsearch 9).
 */
public final class Jdks {
  private Jdks() {}

  public static Path currentHome() {
    return Paths.get(System.getProperty("java.home"));
  }

  static Path currentJava() {
    return currentHome().resolve("bin/java");
  }

  /**
   * A JDK of feature version {@code >= minVersion}: the running one, {@code CALLQA_JAVA21_HOME}, or
   * the newest under /usr/lib/jvm.
   */
  public static Optional<Path> atLeast(int minVersion) {
    if (Runtime.version().feature() >= minVersion) {
      return Optional.of(currentHome());
    }
    String env = System.getenv("CALLQA_JAVA21_HOME");
    if (env != null && featureVersion(Paths.get(env)) >= minVersion) {
      return Optional.of(Paths.get(env));
    }
    Path jvms = Paths.get("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return Optional.empty();
    }
    try (Stream<Path> homes = Files.list(jvms)) {
      return homes
          .filter(h -> Files.isExecutable(h.resolve("bin/java")))
          .filter(h -> featureVersion(h) >= minVersion)
          .max(Comparator.comparingInt(Jdks::featureVersion));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The JDK's feature version from its {@code release} file, or 0 when unknown. */
  static int featureVersion(Path home) {
    try {
      for (String line : Files.readAllLines(home.resolve("release"))) {
        if (line.startsWith("JAVA_VERSION=")) {
          String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          String major = v.startsWith("1.") ? v.split("\\.")[1] : v.split("[.+-]")[0];
          return Integer.parseInt(major);
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }
}
