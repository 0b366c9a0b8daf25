package io.callqa.operators.inference;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * One model per TaskManager JVM, shared by all subtasks that use the same model folder and device:
 * libtorch natives load once per JVM and a model's weights are memory that should exist once.
 * Reference-counted: the last {@link Lease#close()} stops the batcher and frees the model.
 *
 * <p>This is a shared resource, not operator state: nothing in it survives a failure or needs to.
 */
public final class SharedRecognizers {
  private static final Map<String, Entry> MODELS = new HashMap<>();

  static {
    // a forward pass still running while the JVM exits meets libtorch's teardown and crashes:
    // stop every batcher (each waits for its forward pass) before the JVM goes down
    Runtime.getRuntime()
        .addShutdownHook(new Thread(SharedRecognizers::closeAll, "callqa-models-shutdown"));
  }

  private SharedRecognizers() {}

  private static final class Entry {
    final BatchingRecognizer recognizer;
    int users;

    Entry(BatchingRecognizer recognizer) {
      this.recognizer = recognizer;
    }
  }

  /** A handle on a shared recognizer; close it exactly once. */
  public static final class Lease implements AutoCloseable {
    private final String key;
    private final BatchingRecognizer recognizer;
    private boolean closed;

    private Lease(String key, BatchingRecognizer recognizer) {
      this.key = key;
      this.recognizer = recognizer;
    }

    public BatchingRecognizer recognizer() {
      return recognizer;
    }

    @Override
    public void close() {
      synchronized (MODELS) {
        if (closed) {
          return;
        }
        closed = true;
        Entry e = MODELS.get(key);
        if (e != null && --e.users == 0) {
          MODELS.remove(key);
          e.recognizer.close();
        }
      }
    }
  }

  /**
   * The shared recognizer for these settings, loading the model on first use. Batching and worker
   * settings of the first user win (they are per job anyway).
   */
  public static Lease acquire(InferenceSettings settings) throws IOException {
    String key = key(settings);
    synchronized (MODELS) {
      Entry e = MODELS.get(key);
      if (e == null) {
        e = new Entry(BatchingRecognizer.load(settings));
        MODELS.put(key, e);
      }
      e.users++;
      return new Lease(key, e.recognizer);
    }
  }

  private static void closeAll() {
    synchronized (MODELS) {
      MODELS.values().forEach(e -> e.recognizer.close());
      MODELS.clear();
    }
  }

  /** How many JVM-wide users a model has (for tests). */
  static int users(InferenceSettings settings) {
    String key = key(settings);
    synchronized (MODELS) {
      Entry e = MODELS.get(key);
      return e == null ? 0 : e.users;
    }
  }

  private static String key(InferenceSettings s) {
    return s.modelDir() + "|" + s.device() + "|" + s.language() + "|" + s.textnorm();
  }
}
