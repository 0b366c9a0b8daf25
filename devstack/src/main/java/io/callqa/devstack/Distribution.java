package io.callqa.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * What the build resolved for the dev stack (see devstack/pom.xml): the Kafka broker's classpath
 * and the Elasticsearch distribution zips, all from Maven Central through the local repository.
 */
final class Distribution {
  private static final String BASE = "/callqa-devstack/";
  private static final Properties PROPS = load();

  private Distribution() {}

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = Distribution.class.getResourceAsStream(BASE + "devstack.properties")) {
      if (in == null) {
        throw new IllegalStateException("devstack.properties missing: build the devstack module");
      }
      p.load(in);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String kafkaVersion() {
    return PROPS.getProperty("kafka.version");
  }

  static String defaultElasticsearchVersion() {
    return PROPS.getProperty("elasticsearch.version");
  }

  static String elasticsearch9Version() {
    return PROPS.getProperty("elasticsearch9.version");
  }

  /** Jars of kafka_2.13 and its dependencies, for the broker's child JVM. */
  static List<Path> kafkaBrokerClasspath() {
    try (InputStream in = Distribution.class.getResourceAsStream(BASE + "kafka-broker.classpath")) {
      if (in == null) {
        throw new IllegalStateException(
            "kafka-broker.classpath missing: build the devstack module");
      }
      String cp = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      List<Path> jars =
          Arrays.stream(cp.split(java.io.File.pathSeparator))
              .map(Paths::get)
              .collect(Collectors.toList());
      List<Path> missing = jars.stream().filter(j -> !Files.isRegularFile(j)).toList();
      if (!missing.isEmpty()) {
        throw new IllegalStateException(
            "Kafka broker jars are missing (run the build again to resolve them): " + missing);
      }
      return jars;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The integ-test-zip of the given Elasticsearch version. */
  static Path elasticsearchZip(String version) {
    String name = "elasticsearch-" + version + ".zip";
    Path inRepo =
        Paths.get(
            PROPS.getProperty("maven.localRepository"),
            "org/elasticsearch/distribution/integ-test-zip/elasticsearch",
            version,
            name);
    if (Files.isRegularFile(inRepo)) {
      return inRepo;
    }
    Path copied = Paths.get(PROPS.getProperty("elasticsearch.zips"), name);
    if (Files.isRegularFile(copied)) {
      return copied;
    }
    throw new IllegalStateException(
        "Elasticsearch "
            + version
            + " distribution not found at "
            + inRepo
            + ": run the build (mvn -pl devstack package) to resolve it from Maven Central");
  }
}
