package io.callqa.operators.inference;

import java.io.Serializable;

/**
 * Where the model is, where it runs, and how slots are batched.
 *
 * @param modelDir a model folder (model.json + network + am.mvn + tokens)
 * @param device {@code cpu}, or {@code gpu} / {@code gpu:N} (CUDA natives via the build's gpu
 *     profile)
 * @param maxBatch most slots in one forward pass
 * @param maxWaitMs how long the batcher waits for more slots after the first one
 * @param workers forward passes run at the same time on the one loaded model, each on its own
 *     thread (0 = one per core: on CPU with a deep queue, single-threaded passes side by side leave
 *     no core idle at a thread barrier when the rest of the job takes CPU)
 * @param intraOpThreads libtorch threads per forward pass (0 = the cores divided among the workers)
 * @param interOpThreads libtorch inter-op threads (0 = libtorch default)
 * @param language language hint for the model: auto, zh, en, ...
 * @param textnorm withitn or woitn
 * @param timeoutMs per-slot timeout of the async operator
 * @param capacity slots in flight per subtask of the async operator
 * @param maxAttempts attempts per slot before it becomes a FAILED utterance
 */
public record InferenceSettings(
    String modelDir,
    String device,
    int maxBatch,
    long maxWaitMs,
    int workers,
    int intraOpThreads,
    int interOpThreads,
    String language,
    String textnorm,
    long timeoutMs,
    int capacity,
    int maxAttempts)
    implements Serializable {

  public InferenceSettings {
    require(modelDir != null && !modelDir.isBlank(), "modelDir is required");
    require(
        device != null && device.matches("cpu|gpu(:\\d+)?"),
        "device must be cpu, gpu or gpu:N, was " + device);
    require(maxBatch >= 1 && maxBatch <= 256, "maxBatch must be 1..256, was " + maxBatch);
    require(maxWaitMs >= 0 && maxWaitMs <= 10_000, "maxWaitMs must be 0..10000, was " + maxWaitMs);
    require(workers >= 0 && workers <= 64, "workers must be 0..64, was " + workers);
    require(intraOpThreads >= 0 && interOpThreads >= 0, "thread counts must be >= 0");
    require(language != null && !language.isBlank(), "language is required (auto for detection)");
    require(
        "withitn".equals(textnorm) || "woitn".equals(textnorm),
        "textnorm must be withitn or woitn");
    require(timeoutMs > 0, "timeoutMs must be > 0");
    require(capacity > 0, "capacity must be > 0");
    require(maxAttempts >= 1, "maxAttempts must be >= 1");
  }

  /**
   * CPU, batches of up to 16 slots or 20 ms, one worker per core (up to 4), auto language, ITN on,
   * 60 s timeout, 2 attempts.
   */
  public static InferenceSettings defaults(String modelDir) {
    return new InferenceSettings(
        modelDir, "cpu", 16, 20, 0, 0, 0, "auto", "withitn", 60_000, 64, 2);
  }

  /** With {@code workers: 0} on CPU, at most this many: each holds a batch's activations. */
  static final int MAX_DEFAULT_WORKERS = 4;

  /**
   * Workers to start: {@link #workers()}, or when 0 one per core on CPU (at most {@value
   * #MAX_DEFAULT_WORKERS}) and one on a GPU.
   */
  public int effectiveWorkers() {
    if (workers > 0) {
      return workers;
    }
    int cores = Runtime.getRuntime().availableProcessors();
    return "cpu".equals(device) ? Math.min(cores, MAX_DEFAULT_WORKERS) : 1;
  }

  /** libtorch threads of each worker's forward passes: {@link #intraOpThreads()}, or a share. */
  public int threadsPerWorker() {
    if (intraOpThreads > 0) {
      return intraOpThreads;
    }
    return Math.max(1, Runtime.getRuntime().availableProcessors() / effectiveWorkers());
  }

  public InferenceSettings withBatching(int maxBatch, long maxWaitMs) {
    return new InferenceSettings(
        modelDir,
        device,
        maxBatch,
        maxWaitMs,
        workers,
        intraOpThreads,
        interOpThreads,
        language,
        textnorm,
        timeoutMs,
        capacity,
        maxAttempts);
  }

  public InferenceSettings withWorkers(int workers, int intraOpThreads) {
    return new InferenceSettings(
        modelDir,
        device,
        maxBatch,
        maxWaitMs,
        workers,
        intraOpThreads,
        interOpThreads,
        language,
        textnorm,
        timeoutMs,
        capacity,
        maxAttempts);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("inference: " + message);
    }
  }
}
