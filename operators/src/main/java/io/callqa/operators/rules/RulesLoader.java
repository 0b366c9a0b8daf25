package io.callqa.operators.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads the rules from a location given in the job config, or the shipped defaults.
 *
 * <p>Locations: a file path, or {@code classpath:some/resource.yaml}. Without one, the default is
 * {@value #DEFAULT_RULES} (the canonical copy lives in {@code
 * operators/src/main/resources/callqa/}; {@code flink-conf/rules.yaml} and {@code
 * flink-conf/lexicon.yaml} are links to it for deployments to copy and edit). The {@code lexicon:}
 * reference inside a rules file is resolved relative to that file (same folder, or same classpath
 * package), unless it is itself absolute or {@code classpath:}.
 */
public final class RulesLoader {
  /** The shipped default rules on the classpath. */
  public static final String DEFAULT_RULES = "classpath:callqa/rules.yaml";

  private static final String CLASSPATH = "classpath:";

  private RulesLoader() {}

  /** The shipped default rules and lexicon. */
  public static RulesConfig defaults() {
    return load(DEFAULT_RULES);
  }

  /**
   * Loads the rules at {@code location} (null or blank: the defaults).
   *
   * @throws RulesParseException when a file is missing or invalid
   */
  public static RulesConfig load(String location) {
    String loc = location == null || location.isBlank() ? DEFAULT_RULES : location.trim();
    RulesParser.Resolved rules;
    try {
      rules = read(loc);
    } catch (IOException e) {
      throw new RulesParseException(loc, "", "cannot read rules: " + e.getMessage(), e);
    }
    return RulesParser.parse(rules.text(), rules.source(), ref -> read(resolve(loc, ref)));
  }

  /** Where {@code reference}, written inside the file at {@code base}, points. */
  static String resolve(String base, String reference) {
    if (reference.startsWith(CLASSPATH) || Path.of(reference).isAbsolute()) {
      return reference;
    }
    if (base.startsWith(CLASSPATH)) {
      String resource = base.substring(CLASSPATH.length());
      int slash = resource.lastIndexOf('/');
      return CLASSPATH + (slash < 0 ? "" : resource.substring(0, slash + 1)) + reference;
    }
    Path parent = Path.of(base).toAbsolutePath().getParent();
    return parent.resolve(reference).toString();
  }

  static RulesParser.Resolved read(String location) throws IOException {
    if (location.startsWith(CLASSPATH)) {
      String resource = location.substring(CLASSPATH.length());
      ClassLoader cl = Thread.currentThread().getContextClassLoader();
      if (cl == null) {
        cl = RulesLoader.class.getClassLoader();
      }
      try (InputStream in = cl.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IOException("no classpath resource " + resource);
        }
        return new RulesParser.Resolved(
            new String(in.readAllBytes(), StandardCharsets.UTF_8), location);
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
    Path p = Path.of(location);
    return new RulesParser.Resolved(Files.readString(p, StandardCharsets.UTF_8), p.toString());
  }
}
