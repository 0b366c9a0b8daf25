package io.callqa.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AttemptsTest {
  @Test
  void aPassingFailureIsRetriedAndTheSecondAttemptsResultReturned() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    List<Integer> retries = new ArrayList<>();

    CompletableFuture<String> result =
        Attempts.upTo(
            2,
            () ->
                calls.incrementAndGet() == 1
                    ? CompletableFuture.failedFuture(new IllegalStateException("native OOM"))
                    : CompletableFuture.completedFuture("hello"),
            retries::add);

    assertThat(result.get()).isEqualTo("hello");
    assertThat(calls).hasValue(2);
    assertThat(retries).containsExactly(2);
  }

  @Test
  void afterTheLastAttemptTheFailureNamesHowManyThereWere() {
    AtomicInteger calls = new AtomicInteger();

    CompletableFuture<String> result =
        Attempts.upTo(
            3,
            () -> {
              calls.incrementAndGet();
              return CompletableFuture.supplyAsync(
                  () -> {
                    throw new IllegalStateException("model produced NaN logits");
                  });
            },
            n -> {});

    assertThatThrownBy(result::get)
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("model produced NaN logits (after 3 attempts)");
    assertThat(calls).hasValue(3);
  }

  @Test
  void oneAttemptMeansNoRetry() {
    AtomicInteger calls = new AtomicInteger();

    CompletableFuture<String> result =
        Attempts.upTo(
            1,
            () -> {
              calls.incrementAndGet();
              return CompletableFuture.failedFuture(new IllegalStateException("recognizer closed"));
            },
            n -> {
              throw new AssertionError("no retry expected");
            });

    assertThatThrownBy(result::get).hasMessageEndingWith("recognizer closed");
    assertThat(calls).hasValue(1);
  }
}
