package io.callqa.operators.inference;

import io.callqa.operators.features.Features;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Micro-batches recognition requests from any number of threads into forward passes on {@code
 * workers} batcher threads, each with its own session on the one loaded model: once the oldest
 * waiting request has waited {@code maxWaitMs} or {@code maxBatch} are waiting, a free worker runs
 * the oldest with up to {@code maxBatch - 1} others of the most similar lengths ({@link
 * LengthBuckets}), none padded to more than twice its own length. When many wait (a backlog,
 * full-speed replay) the batches are full and hardly padded; the rest wait for the next pass, and
 * the oldest always goes next.
 */
public final class BatchingRecognizer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchingRecognizer.class);

  /** An item is not padded to more than this many times its own length. */
  private static final double MAX_PADDING_RATIO = 2.0;

  private final SpeechRecognizer recognizer;
  private final int maxBatch;
  private final long maxWaitNanos;

  /** Submitted, not yet taken by a worker, oldest first; guarded by {@code this}. */
  private final List<Request> waiting = new ArrayList<>();

  private final List<Thread> threads = new ArrayList<>();
  private final List<SpeechRecognizer.Session> sessions = new ArrayList<>();
  private volatile boolean running = true;

  /** The recognition of one request and how it was batched, for metrics. */
  public record Result(
      Recognition recognition, int batchSize, long queueWaitNanos, long forwardNanos) {}

  private record Request(Features features, long enqueuedNanos, CompletableFuture<Result> future) {}

  public BatchingRecognizer(SpeechRecognizer recognizer, int maxBatch, long maxWaitMs) {
    this(recognizer, maxBatch, maxWaitMs, 1, 0);
  }

  /**
   * @param workers concurrent forward passes (each on its own thread and session)
   * @param threadsPerWorker libtorch threads of each worker's passes (0: the engine's default)
   */
  public BatchingRecognizer(
      SpeechRecognizer recognizer,
      int maxBatch,
      long maxWaitMs,
      int workers,
      int threadsPerWorker) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, was " + workers);
    }
    this.recognizer = recognizer;
    this.maxBatch = maxBatch;
    this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
    for (int w = 0; w < workers; w++) {
      SpeechRecognizer.Session session = recognizer.newSession();
      sessions.add(session);
      Runnable work =
          () -> {
            if (threadsPerWorker > 0) {
              session.useThreadsOnThisThread(threadsPerWorker);
            }
            run(session);
          };
      Thread t = new Thread(work, "callqa-batcher-" + recognizer.descriptor().name() + "-" + w);
      t.setDaemon(true);
      threads.add(t);
    }
    threads.forEach(Thread::start);
  }

  /** Loads the model of {@code settings} behind a batcher with their batching and workers. */
  public static BatchingRecognizer load(InferenceSettings settings) throws IOException {
    return new BatchingRecognizer(
        SpeechRecognizer.load(settings),
        settings.maxBatch(),
        settings.maxWaitMs(),
        settings.effectiveWorkers(),
        settings.threadsPerWorker());
  }

  public ModelDescriptor descriptor() {
    return recognizer.descriptor();
  }

  /** Queues one slot's features; the future fails if the forward pass fails. */
  public CompletableFuture<Result> submit(Features features) {
    CompletableFuture<Result> future = new CompletableFuture<>();
    synchronized (this) {
      if (running) {
        waiting.add(new Request(features, System.nanoTime(), future));
        notifyAll();
        return future;
      }
    }
    future.completeExceptionally(new IllegalStateException("recognizer closed"));
    return future;
  }

  private void run(SpeechRecognizer.Session session) {
    while (running) {
      List<Request> batch = List.of();
      try {
        batch = nextBatch();
        if (!batch.isEmpty()) {
          forward(session, batch);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException | Error e) {
        LOG.error("batcher failed on a batch of {}", batch.size(), e);
        for (Request r : batch) {
          r.future().completeExceptionally(e);
        }
      }
    }
  }

  /**
   * Waits for a request, then until {@code maxBatch} wait or the oldest has waited {@code
   * maxWaitMs}, and takes the next batch; empty once closed.
   */
  private synchronized List<Request> nextBatch() throws InterruptedException {
    while (running && waiting.isEmpty()) {
      wait(100);
    }
    while (running && !waiting.isEmpty() && waiting.size() < maxBatch) {
      long left = waiting.get(0).enqueuedNanos() + maxWaitNanos - System.nanoTime();
      if (left <= 0) {
        break;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    if (!running || waiting.isEmpty()) {
      return List.of();
    }
    int[] frames = waiting.stream().mapToInt(r -> r.features().frames()).toArray();
    int[] positions = LengthBuckets.pick(frames, maxBatch, MAX_PADDING_RATIO);
    List<Request> batch = new ArrayList<>(positions.length);
    for (int p : positions) {
      batch.add(waiting.get(p));
    }
    for (int i = positions.length - 1; i >= 0; i--) {
      waiting.remove(positions[i]);
    }
    return batch;
  }

  private static void forward(SpeechRecognizer.Session session, List<Request> group) {
    long t0 = System.nanoTime();
    List<Recognition> results;
    try {
      results = session.recognize(group.stream().map(Request::features).toList());
    } catch (RuntimeException e) {
      if (group.size() == 1) {
        group.get(0).future().completeExceptionally(e);
      } else {
        // one bad slot (wrong shape, NaN logits) fails the whole pass: run each alone, so that
        // only it fails and its batch mates are not dragged through retries into failure
        LOG.warn(
            "a batch of {} failed ({}); running its slots one by one",
            group.size(),
            e.getMessage());
        group.forEach(r -> forward(session, List.of(r)));
      }
      return;
    }
    long forward = System.nanoTime() - t0;
    for (int i = 0; i < group.size(); i++) {
      Request r = group.get(i);
      r.future()
          .complete(new Result(results.get(i), group.size(), t0 - r.enqueuedNanos(), forward));
    }
  }

  /**
   * Stops the batcher threads (waiting requests fail) and closes the model — only once every thread
   * has left its forward pass: freeing a libtorch module under a running forward crashes the JVM.
   */
  @Override
  public void close() {
    List<Request> failed;
    synchronized (this) {
      running = false;
      failed = new ArrayList<>(waiting);
      waiting.clear();
      notifyAll();
    }
    failed.forEach(
        r -> r.future().completeExceptionally(new IllegalStateException("recognizer closed")));
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    for (Thread t : threads) {
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        LOG.error("{} still in a forward pass after 2 min; the model is left open", t.getName());
        return;
      }
    }
    sessions.forEach(SpeechRecognizer.Session::close);
    recognizer.close();
  }
}
