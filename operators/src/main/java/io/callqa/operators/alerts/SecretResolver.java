package io.callqa.operators.alerts;

import java.io.Serializable;

/**
 * Looks up a secret by the name of the environment variable that holds it. Endpoints carry only the
 * variable's name; the value is read on the task manager when the delivery operator opens and never
 * logged, printed or checkpointed.
 */
@FunctionalInterface
public interface SecretResolver extends Serializable {
  /** The value of {@code name}, or null when it is not set. */
  String resolve(String name);

  /** Reads the process environment of the task manager. */
  static SecretResolver environment() {
    return System::getenv;
  }
}
