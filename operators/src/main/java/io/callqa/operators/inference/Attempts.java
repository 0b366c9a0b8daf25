package io.callqa.operators.inference;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Runs an asynchronous attempt again when it fails, up to a number of attempts: a forward pass can
 * fail for a passing reason (native memory pressure, a batch mate's bad input). The last failure is
 * returned with the number of attempts in its message.
 */
final class Attempts {
  private Attempts() {}

  /**
   * @param maxAttempts at least 1
   * @param onRetry called with the number of the attempt about to start (2, 3, ...)
   */
  static <T> CompletableFuture<T> upTo(
      int maxAttempts, Supplier<CompletableFuture<T>> attempt, IntConsumer onRetry) {
    CompletableFuture<T> result = new CompletableFuture<>();
    run(1, maxAttempts, attempt, onRetry, result);
    return result;
  }

  private static <T> void run(
      int n,
      int maxAttempts,
      Supplier<CompletableFuture<T>> attempt,
      IntConsumer onRetry,
      CompletableFuture<T> result) {
    attempt
        .get()
        .whenComplete(
            (value, error) -> {
              if (error == null) {
                result.complete(value);
              } else if (n < maxAttempts) {
                onRetry.accept(n + 1);
                run(n + 1, maxAttempts, attempt, onRetry, result);
              } else {
                Throwable cause =
                    error instanceof CompletionException && error.getCause() != null
                        ? error.getCause()
                        : error;
                result.completeExceptionally(
                    new IllegalStateException(
                        cause.getMessage() + (n > 1 ? " (after " + n + " attempts)" : ""), cause));
              }
            });
  }
}
