package io.callqa.cli;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callqa.jobs.calls.CallFolder;
import io.callqa.operators.audio.LocalSlotter;
import io.callqa.operators.audio.SlotterSettings;
import io.callqa.operators.audio.SpeechSlot;
import io.callqa.operators.audio.WavReader;
import io.callqa.operators.features.Features;
import io.callqa.operators.features.FrontEnd;
import io.callqa.operators.inference.BatchingRecognizer;
import io.callqa.operators.inference.InferenceSettings;
import io.callqa.operators.inference.SpeechRecognizer;
import io.callqa.schemas.Channel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code callqa bench inference}: the recognizer on the same slots, one at a time vs in padded
 * batches, measured side by side in one run (× real time = audio seconds per wall second), plus an
 * optional soak that checks native memory does not grow.
 */
@Command(
    name = "inference",
    description = "Batched vs unbatched recognizer throughput on the same slots (× real time).")
final class BenchInferenceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description = "Model folder (default: the shipped demo model).")
  Path model;

  @Option(
      names = "--calls",
      paramLabel = "DIR",
      description = "Calls whose slots are used (default: the demo calls).")
  Path calls;

  @Option(
      names = "--batch",
      defaultValue = "16",
      description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--threads",
      split = ",",
      paramLabel = "N",
      description =
          "libtorch intra-op threads, each measured in turn (default: 1 and all cores, the job's "
              + "default).")
  List<Integer> threads;

  @Option(
      names = "--rounds",
      defaultValue = "5",
      description = "Measured rounds of each mode, alternating (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--soak",
      defaultValue = "0",
      paramLabel = "N",
      description =
          "Then recognise N slots in batches and report native memory (RSS) before/after.")
  int soak;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Path modelDir = model != null ? model : CliPaths.defaultModel();
    List<short[]> slots = slots(calls != null ? calls : CliPaths.demoCalls());
    if (slots.isEmpty()) {
      spec.commandLine().getErr().println("callqa bench inference: no speech slots found");
      return CallQa.EXIT_FAILED;
    }
    double audioSeconds = slots.stream().mapToLong(s -> s.length).sum() / 16_000.0;
    InferenceSettings settings =
        new InferenceSettings(
            modelDir.toAbsolutePath().toString(),
            "cpu",
            batch,
            0,
            1,
            0,
            1,
            "auto",
            "withitn",
            600_000,
            1,
            1);
    List<Integer> threadCounts = threads != null ? threads : List.of(1, CORES);
    PrintWriter out = spec.commandLine().getOut();
    try (SpeechRecognizer recognizer = SpeechRecognizer.load(settings)) {
      FrontEnd frontEnd =
          FrontEnd.load(modelDir.resolve(recognizer.descriptor().frontend().cmvnFile()));
      List<Features> features = new ArrayList<>();
      for (short[] s : slots) {
        features.add(frontEnd.compute(s));
      }
      ObjectNode o = new ObjectMapper().createObjectNode();
      o.put("model", recognizer.descriptor().id());
      o.put("slots", slots.size());
      o.put("audio_seconds", round(audioSeconds));
      o.put("batch", batch);
      ArrayNode byThreads = o.putArray("by_threads");
      for (int t : threadCounts) {
        // libtorch's thread count belongs to the calling thread: this one runs every forward pass
        JniUtils.setNumThreads(t);
        // warm-up: both code paths, all shapes once
        runBatched(recognizer, features, 1);
        runBatched(recognizer, features, batch);
        Timing unbatched = Timing.NONE;
        Timing batched = Timing.NONE;
        for (int r = 0; r < rounds; r++) {
          unbatched = unbatched.best(runBatched(recognizer, features, 1));
          batched = batched.best(runBatched(recognizer, features, batch));
        }
        ObjectNode row = byThreads.addObject();
        row.put("threads", t);
        putComparison(row, audioSeconds, unbatched, batched);
      }
      // the job's default way: its workers on the batcher, every slot queued at once, batches of 1
      // vs batches of the batch size; each batcher loads the model once
      try (BatchingRecognizer unbatchedOnWorkers = onJobWorkers(settings, 1);
          BatchingRecognizer batchedOnWorkers = onJobWorkers(settings, batch)) {
        if (JOB_WORKERS > 1) {
          // warm-up: a fresh module per batcher
          runQueued(unbatchedOnWorkers, features);
          runQueued(batchedOnWorkers, features);
          Timing unbatched = Timing.NONE;
          Timing batched = Timing.NONE;
          for (int r = 0; r < rounds; r++) {
            unbatched = unbatched.best(runQueued(unbatchedOnWorkers, features));
            batched = batched.best(runQueued(batchedOnWorkers, features));
          }
          ObjectNode row = o.putObject("workers");
          row.put("workers", JOB_WORKERS);
          row.put("threads", JOB_THREADS);
          putComparison(row, audioSeconds, unbatched, batched);
        }
        if (soak > 0) {
          // through the job's default batcher and workers. RSS counts the Java heap the JVM
          // commits as it grows, so native memory is RSS minus the JVM's committed memory, sampled
          // five times: a leak grows it in every interval
          ArrayNode samples = o.putArray("soak_samples");
          samples.add(memorySample(0));
          int done = 0;
          int every = Math.max(batch, soak / 5);
          while (done < soak) {
            int n = Math.min(batch * JOB_WORKERS, soak - done);
            List<Features> group = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
              group.add(features.get((done + i) % features.size()));
            }
            runQueued(batchedOnWorkers, group);
            done += n;
            if (done % every < n || done == soak) {
              samples.add(memorySample(done));
            }
          }
          o.put("soak_slots", soak);
        }
      }
      if (json) {
        out.println(o);
      } else {
        out.printf(
            "model %s, %d slots, %.1f s of audio, best of %d rounds%n",
            o.get("model").asText(), slots.size(), audioSeconds, rounds);
        List<JsonNode> rows = new ArrayList<>();
        o.get("by_threads").forEach(rows::add);
        if (o.has("workers")) {
          rows.add(o.get("workers"));
        }
        for (JsonNode row : rows) {
          out.printf(
              "  %s%n",
              row.has("workers")
                  ? row.get("workers").asInt()
                      + " workers × "
                      + row.get("threads").asInt()
                      + " thread(s) on the batcher, all slots queued (the job's default)"
                  : row.get("threads").asInt() + " libtorch thread(s), one pass at a time");
          out.printf(
              "    unbatched          %8.1f × real time (%.2f cores busy)%n",
              row.get("xrt_unbatched").asDouble(), row.get("cores_busy_unbatched").asDouble());
          out.printf(
              "    batched (batch %2d) %8.1f × real time (%.2f cores busy)%n",
              batch, row.get("xrt_batched").asDouble(), row.get("cores_busy_batched").asDouble());
          out.printf("    ratio              %8.2f%n", row.get("ratio").asDouble());
        }
        if (soak > 0) {
          out.printf(
              "  soak %d slots on %d workers × %d thread(s) (native = RSS − JVM committed):%n",
              soak, JOB_WORKERS, JOB_THREADS);
          for (JsonNode m : o.get("soak_samples")) {
            out.printf(
                "    after %6d slots: RSS %5d MB, JVM committed %5d MB, native %5d MB%n",
                m.get("slots").asInt(),
                m.get("rss_mb").asLong(),
                m.get("jvm_committed_mb").asLong(),
                m.get("native_mb").asLong());
          }
        }
      }
    }
    return 0;
  }

  private static final int CORES = Runtime.getRuntime().availableProcessors();

  /** The job's default workers and threads per worker on this machine. */
  private static final int JOB_WORKERS = InferenceSettings.defaults("-").effectiveWorkers();

  private static final int JOB_THREADS = InferenceSettings.defaults("-").threadsPerWorker();

  /** Wall and process CPU time of one measured pass; {@link #best} keeps the faster. */
  record Timing(long wallNanos, long cpuNanos) {
    static final Timing NONE = new Timing(Long.MAX_VALUE, 0);

    Timing best(Timing other) {
      return other.wallNanos < wallNanos ? other : this;
    }

    double wallSeconds() {
      return wallNanos / 1e9;
    }

    double coresBusy() {
      return (double) cpuNanos / wallNanos;
    }
  }

  /**
   * Wall and CPU time to recognise all features in groups of {@code size}, sorted by length like
   * the batcher.
   */
  static Timing runBatched(SpeechRecognizer recognizer, List<Features> features, int size) {
    List<Features> sorted = new ArrayList<>(features);
    sorted.sort(Comparator.comparingInt(Features::frames));
    long cpu0 = PROCESS.getProcessCpuTime();
    long t0 = System.nanoTime();
    for (int i = 0; i < sorted.size(); i += size) {
      recognizer.recognize(sorted.subList(i, Math.min(sorted.size(), i + size)));
    }
    return new Timing(System.nanoTime() - t0, PROCESS.getProcessCpuTime() - cpu0);
  }

  /** A batcher of batches up to {@code maxBatch} on the job's default workers. */
  private static BatchingRecognizer onJobWorkers(InferenceSettings settings, int maxBatch)
      throws IOException {
    return BatchingRecognizer.load(settings.withWorkers(0, 0).withBatching(maxBatch, 0));
  }

  /** One comparison row: both rates, their ratio and the cores each kept busy. */
  private static void putComparison(
      ObjectNode row, double audioSeconds, Timing unbatched, Timing batched) {
    row.put("xrt_unbatched", round(audioSeconds / unbatched.wallSeconds()));
    row.put("xrt_batched", round(audioSeconds / batched.wallSeconds()));
    row.put("ratio", round(unbatched.wallSeconds() / batched.wallSeconds()));
    row.put("cores_busy_unbatched", round(unbatched.coresBusy()));
    row.put("cores_busy_batched", round(batched.coresBusy()));
  }

  /** Wall and CPU time to recognise all features queued at once on {@code batcher}. */
  static Timing runQueued(BatchingRecognizer batcher, List<Features> features) {
    long cpu0 = PROCESS.getProcessCpuTime();
    long t0 = System.nanoTime();
    List<CompletableFuture<BatchingRecognizer.Result>> all =
        features.stream().map(batcher::submit).toList();
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    return new Timing(System.nanoTime() - t0, PROCESS.getProcessCpuTime() - cpu0);
  }

  private static final com.sun.management.OperatingSystemMXBean PROCESS =
      (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  /** The pipeline's own slots of every channel of every call. */
  static List<short[]> slots(Path callsDir) throws IOException {
    List<short[]> slots = new ArrayList<>();
    for (CallFolder call : CallFolder.readAll(callsDir)) {
      for (Map.Entry<Channel, WavReader.WavAudio> c : call.channels().entrySet()) {
        for (SpeechSlot s :
            LocalSlotter.slotRecording(
                call.callId(),
                c.getKey(),
                c.getValue().samples(),
                c.getValue().sampleRate(),
                c.getValue().encoding(),
                SlotterSettings.DEFAULTS)) {
          slots.add(s.samples);
        }
      }
    }
    return slots;
  }

  private static ObjectNode memorySample(int slots) throws IOException {
    java.lang.management.MemoryMXBean mx = java.lang.management.ManagementFactory.getMemoryMXBean();
    long committed =
        mx.getHeapMemoryUsage().getCommitted() + mx.getNonHeapMemoryUsage().getCommitted();
    long rss = rssKb() * 1024;
    ObjectNode m = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    m.put("slots", slots);
    m.put("rss_mb", rss >> 20);
    m.put("jvm_committed_mb", committed >> 20);
    m.put("native_mb", (rss - committed) >> 20);
    return m;
  }

  private static long rssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
