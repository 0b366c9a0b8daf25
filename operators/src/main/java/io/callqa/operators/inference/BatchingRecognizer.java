package io.callqa.operators.inference;

import io.callqa.operators.features.Features;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Micro-batches recognition requests from any number of threads into forward passes on one batcher
 * thread (the model's single Predictor): after the first request it waits up to {@code maxWaitMs}
 * for up to {@code maxBatch} requests, sorts them by length and splits them where padding would
 * more than double an item, so short slots do not pay for long ones.
 */
public final class BatchingRecognizer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchingRecognizer.class);

  /** An item is not padded to more than this many times its own length. */
  private static final double MAX_PADDING_RATIO = 2.0;

  private final SpeechRecognizer recognizer;
  private final int maxBatch;
  private final long maxWaitNanos;
  private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean running = true;

  /** The recognition of one request and how it was batched, for metrics. */
  public record Result(
      Recognition recognition, int batchSize, long queueWaitNanos, long forwardNanos) {}

  private record Request(Features features, long enqueuedNanos, CompletableFuture<Result> future) {}

  public BatchingRecognizer(SpeechRecognizer recognizer, int maxBatch, long maxWaitMs) {
    this.recognizer = recognizer;
    this.maxBatch = maxBatch;
    this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
    this.thread = new Thread(this::run, "callqa-batcher-" + recognizer.descriptor().name());
    this.thread.setDaemon(true);
    this.thread.start();
  }

  public ModelDescriptor descriptor() {
    return recognizer.descriptor();
  }

  /** Queues one slot's features; the future fails if the forward pass fails. */
  public CompletableFuture<Result> submit(Features features) {
    CompletableFuture<Result> future = new CompletableFuture<>();
    if (!running) {
      future.completeExceptionally(new IllegalStateException("recognizer closed"));
      return future;
    }
    queue.add(new Request(features, System.nanoTime(), future));
    return future;
  }

  private void run() {
    List<Request> batch = new ArrayList<>(maxBatch);
    while (running) {
      try {
        Request first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        long deadline = System.nanoTime() + maxWaitNanos;
        while (batch.size() < maxBatch) {
          long left = deadline - System.nanoTime();
          Request next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
          if (next == null) {
            break;
          }
          batch.add(next);
        }
        runBatch(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException | Error e) {
        LOG.error("batcher failed on a batch of {}", batch.size(), e);
        batch.forEach(r -> r.future().completeExceptionally(e));
      } finally {
        batch.clear();
      }
    }
    failPending(new IllegalStateException("recognizer closed"));
  }

  private void runBatch(List<Request> batch) {
    batch.sort(Comparator.comparingInt(r -> r.features().frames()));
    int start = 0;
    while (start < batch.size()) {
      int shortest = batch.get(start).features().frames();
      int end = start + 1;
      while (end < batch.size()
          && batch.get(end).features().frames() <= shortest * MAX_PADDING_RATIO) {
        end++;
      }
      forward(batch.subList(start, end));
      start = end;
    }
  }

  private void forward(List<Request> group) {
    long t0 = System.nanoTime();
    List<Recognition> results;
    try {
      results = recognizer.recognize(group.stream().map(Request::features).toList());
    } catch (RuntimeException e) {
      group.forEach(r -> r.future().completeExceptionally(e));
      return;
    }
    long forward = System.nanoTime() - t0;
    for (int i = 0; i < group.size(); i++) {
      Request r = group.get(i);
      r.future()
          .complete(new Result(results.get(i), group.size(), t0 - r.enqueuedNanos(), forward));
    }
  }

  private void failPending(Exception e) {
    for (Request r; (r = queue.poll()) != null; ) {
      r.future().completeExceptionally(e);
    }
  }

  /**
   * Stops the batcher thread (pending requests fail) and closes the model — only once the thread
   * has left its forward pass: freeing a libtorch module under a running forward crashes the JVM.
   */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(TimeUnit.MINUTES.toMillis(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    failPending(new IllegalStateException("recognizer closed"));
    if (thread.isAlive()) {
      LOG.error("batcher thread still in a forward pass after 2 min; the model is left open");
      return;
    }
    recognizer.close();
  }
}
