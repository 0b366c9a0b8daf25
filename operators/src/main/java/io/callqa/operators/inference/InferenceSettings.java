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
 * @param intraOpThreads libtorch threads per forward pass (0 = libtorch default)
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
    require(intraOpThreads >= 0 && interOpThreads >= 0, "thread counts must be >= 0");
    require(language != null && !language.isBlank(), "language is required (auto for detection)");
    require(
        "withitn".equals(textnorm) || "woitn".equals(textnorm),
        "textnorm must be withitn or woitn");
    require(timeoutMs > 0, "timeoutMs must be > 0");
    require(capacity > 0, "capacity must be > 0");
    require(maxAttempts >= 1, "maxAttempts must be >= 1");
  }

  /** CPU, batches of up to 16 slots or 20 ms, auto language, ITN on, 60 s timeout, 2 attempts. */
  public static InferenceSettings defaults(String modelDir) {
    return new InferenceSettings(modelDir, "cpu", 16, 20, 0, 0, "auto", "withitn", 60_000, 64, 2);
  }

  public InferenceSettings withBatching(int maxBatch, long maxWaitMs) {
    return new InferenceSettings(
        modelDir,
        device,
        maxBatch,
        maxWaitMs,
        intraOpThreads,
        interOpThreads,
        language,
        textnorm,
        timeoutMs,
        capacity,
        maxAttempts);
  }

  public InferenceSettings withThreads(int intraOp, int interOp) {
    return new InferenceSettings(
        modelDir,
        device,
        maxBatch,
        maxWaitMs,
        intraOp,
        interOp,
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
