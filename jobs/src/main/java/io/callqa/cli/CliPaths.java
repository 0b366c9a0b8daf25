package io.callqa.cli;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the CLI finds the checkout's shipped files: {@code -Dcallqa.home} (set by ./callqa) or the
 * working dir.
 */
final class CliPaths {
  private CliPaths() {}

  static Path home() {
    return Paths.get(System.getProperty("callqa.home", "."));
  }

  static Path defaultModel() {
    return home().resolve("models/sensevoice-demo");
  }

  static Path demoCalls() {
    return home().resolve("calls/demo");
  }
}
