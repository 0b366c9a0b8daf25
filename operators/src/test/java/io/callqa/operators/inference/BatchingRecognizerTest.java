package io.callqa.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.callqa.operators.features.Features;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatchingRecognizerTest {

  @Test
  void batchesConcurrentRequestsAndGivesEachItsOwnResult() throws Exception {
    List<Features> inputs = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      inputs.add(TinyModel.randomFeatures(10 + i % 5, i));
    }
    List<Recognition> expected;
    try (SpeechRecognizer single = SpeechRecognizer.load(TinyModel.settings())) {
      expected = new ArrayList<>();
      for (Features f : inputs) {
        expected.add(single.recognize(List.of(f)).get(0));
      }
    }

    ExecutorService callers = Executors.newFixedThreadPool(4);
    try (BatchingRecognizer batcher =
        new BatchingRecognizer(SpeechRecognizer.load(TinyModel.settings()), 8, 50)) {
      List<CompletableFuture<BatchingRecognizer.Result>> futures = new ArrayList<>();
      for (Features f : inputs) {
        futures.add(
            CompletableFuture.supplyAsync(() -> batcher.submit(f), callers).thenCompose(x -> x));
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

      int maxBatch = 0;
      for (int i = 0; i < inputs.size(); i++) {
        BatchingRecognizer.Result r = futures.get(i).get();
        assertThat(r.recognition().text()).isEqualTo(expected.get(i).text());
        assertThat(r.recognition().emotion()).isEqualTo(expected.get(i).emotion());
        maxBatch = Math.max(maxBatch, r.batchSize());
        assertThat(r.batchSize()).isBetween(1, 8);
      }
      assertThat(maxBatch).as("requests were batched").isGreaterThan(1);
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void aDeepQueueIsCutIntoFullBatchesOfSimilarLengthsOldestFirst() throws Exception {
    List<Features> inputs = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      inputs.add(TinyModel.randomFeatures(i % 2 == 0 ? 10 + i % 3 : 100 + i % 5, i));
    }
    try (BatchingRecognizer batcher =
        new BatchingRecognizer(SpeechRecognizer.load(TinyModel.settings()), 16, 1_000, 1, 1)) {
      List<CompletableFuture<BatchingRecognizer.Result>> futures = new ArrayList<>();
      synchronized (batcher) { // all 32 wait before any batch is taken
        inputs.forEach(f -> futures.add(batcher.submit(f)));
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

      // short and long slots alternate in the queue: FIFO batches of 16 would pad the short ones
      // to 10× their length or be split in halves
      for (CompletableFuture<BatchingRecognizer.Result> f : futures) {
        assertThat(f.get().batchSize()).isEqualTo(16);
      }
      assertThat(futures.get(0).get().queueWaitNanos())
          .as("the oldest goes in the first batch")
          .isLessThan(futures.get(1).get().queueWaitNanos());
    }
  }

  @Test
  void workersOnOneModelGiveTheSameResultsAsOneRecognizer() throws Exception {
    List<Features> inputs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      inputs.add(TinyModel.randomFeatures(5 + i % 17, 100 + i));
    }
    List<Recognition> expected = new ArrayList<>();
    try (SpeechRecognizer single = SpeechRecognizer.load(TinyModel.settings())) {
      for (Features f : inputs) {
        expected.add(single.recognize(List.of(f)).get(0));
      }
    }
    try (BatchingRecognizer batcher =
        new BatchingRecognizer(SpeechRecognizer.load(TinyModel.settings()), 4, 5, 3, 1)) {
      List<CompletableFuture<BatchingRecognizer.Result>> futures =
          inputs.stream().map(batcher::submit).toList();
      for (int i = 0; i < inputs.size(); i++) {
        Recognition r = futures.get(i).get(60, TimeUnit.SECONDS).recognition();
        assertThat(r.text()).isEqualTo(expected.get(i).text());
        assertThat(r.emotion()).isEqualTo(expected.get(i).emotion());
      }
    }
  }

  @Test
  void aBadSlotFailsAloneNotItsBatchMates() throws Exception {
    try (BatchingRecognizer batcher =
        new BatchingRecognizer(SpeechRecognizer.load(TinyModel.settings()), 8, 1_000, 1, 1)) {
      List<CompletableFuture<BatchingRecognizer.Result>> futures = new ArrayList<>();
      synchronized (batcher) { // one batch: the bad slot and three good ones
        futures.add(batcher.submit(TinyModel.randomFeatures(12, 1)));
        futures.add(batcher.submit(new Features(12, 80, new float[12 * 80])));
        futures.add(batcher.submit(TinyModel.randomFeatures(12, 2)));
        futures.add(batcher.submit(TinyModel.randomFeatures(13, 3)));
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
          .exceptionally(e -> null)
          .get(60, TimeUnit.SECONDS);

      assertThat(futures.get(1)).isCompletedExceptionally();
      for (int i : new int[] {0, 2, 3}) {
        assertThat(futures.get(i).get().recognition()).isNotNull();
      }
    }
  }

  @Test
  void failsPendingRequestsWhenClosed() throws Exception {
    BatchingRecognizer batcher =
        new BatchingRecognizer(SpeechRecognizer.load(TinyModel.settings()), 8, 10);
    batcher.close();
    assertThat(batcher.submit(TinyModel.randomFeatures(5, 1))).isCompletedExceptionally();
  }

  @Test
  void sharesOneModelPerJvmAndFreesItWithTheLastLease() throws Exception {
    InferenceSettings s = TinyModel.settings();
    try (SharedRecognizers.Lease a = SharedRecognizers.acquire(s)) {
      try (SharedRecognizers.Lease b = SharedRecognizers.acquire(s)) {
        assertThat(b.recognizer()).isSameAs(a.recognizer());
        assertThat(SharedRecognizers.users(s)).isEqualTo(2);
      }
      assertThat(SharedRecognizers.users(s)).isEqualTo(1);
    }
    assertThat(SharedRecognizers.users(s)).isZero();
  }
}
