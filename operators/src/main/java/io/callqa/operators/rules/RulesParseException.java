package io.callqa.operators.rules;

/**
 * A rules or lexicon file that cannot be used, with where ({@code source}, path inside the file)
 * and why. Thrown at job build time, so a bad file never reaches a running job.
 */
public class RulesParseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String path;

  public RulesParseException(String source, String path, String problem) {
    super(source + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
    this.source = source;
    this.path = path;
  }

  public RulesParseException(String source, String path, String problem, Throwable cause) {
    this(source, path, problem);
    initCause(cause);
  }

  /** The file (or classpath resource) that was parsed. */
  public String source() {
    return source;
  }

  /** Where in the file, e.g. {@code rules[2] (dead_air).params.thresholdMs}; empty for the file. */
  public String path() {
    return path;
  }
}
