package io.callqa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callqa.devstack.DevStack;
import io.callqa.jobs.CallQaJob;
import io.callqa.jobs.JobConfig;
import io.callqa.jobs.demo.DemoRun;
import io.callqa.jobs.demo.Scoring.CallScore;
import io.callqa.operators.features.Features;
import io.callqa.operators.features.FrontEnd;
import io.callqa.operators.inference.BatchingRecognizer;
import io.callqa.operators.inference.InferenceSettings;
import io.callqa.operators.inference.SharedRecognizers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code callqa bench pipeline}: the whole job (Kafka → slotter → inference → rules →
 * Elasticsearch) against the model alone on the same slots, in one run; then the calls again in
 * real time for the alert latency (webhook receipt − moment the triggering utterance's audio
 * finished arriving).
 */
@Command(
    name = "pipeline",
    description = "Whole pipeline vs model only (same slots), alert latency in real time.")
final class BenchPipelineCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--calls", paramLabel = "DIR", description = "Calls (default: the demo calls).")
  Path calls;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description = "Model folder (default: the shipped demo model).")
  Path model;

  @Option(
      names = "--parallelism",
      defaultValue = "2",
      description = "Job parallelism (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(
      names = "--repeat",
      defaultValue = "30",
      description =
          "The calls this many times over (new call ids) in the measured full-speed run, so that "
              + "the per-call end waits do not dominate (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Option(
      names = "--warm-up",
      paramLabel = "SECONDS",
      defaultValue = "240",
      description =
          "Before the measured calls, the same job processes rounds of them for at least this"
              + " long (default: ${DEFAULT-VALUE}): on 2 busy cores the JIT compiles the job's hot"
              + " code for minutes, which a long-running job has long finished.")
  int warmUpSeconds;

  @Option(
      names = "--workers",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "The job's model.workers: concurrent forward passes (default: ${DEFAULT-VALUE} = one per"
              + " core on CPU).")
  int workers;

  @Option(
      names = "--intra-op-threads",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "The job's model.intraOpThreads: libtorch threads per pass (default: ${DEFAULT-VALUE} ="
              + " the cores shared among the workers).")
  int intraOpThreads;

  @Option(names = "--skip-realtime", description = "Skip the real-time run (no latency figures).")
  boolean skipRealtime;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Path callsDir = calls != null ? calls : CliPaths.demoCalls();
    Path modelDir = (model != null ? model : CliPaths.defaultModel()).toAbsolutePath();
    PrintWriter out = spec.commandLine().getOut();
    ObjectNode o = new ObjectMapper().createObjectNode();

    List<short[]> slots = BenchInferenceCommand.slots(callsDir);
    double slotSeconds = repeat * slots.stream().mapToLong(s -> s.length).sum() / 16_000.0;
    InferenceSettings job = jobInferenceSettings(modelDir);
    InferenceSettings fastest = fastestModelAlone(job, modelDir, slots, slotSeconds / repeat, o);
    // the reference: the fastest way over the same slots as the pipeline (all of its copies in
    // one queue), so both runs have the same length and their start and drain weigh the same
    ModelOnly alone;
    try (BatchingRecognizer b = BatchingRecognizer.load(fastest)) {
      alone = modelOnly(b, fastest, modelDir, slots, repeat, 1);
    }
    // the jobs run in this JVM's MiniCluster and share its model: holding it here keeps it loaded
    // from one run to the next, as in a long-running job
    long loadStart = System.nanoTime();
    try (SharedRecognizers.Lease model = SharedRecognizers.acquire(job)) {
      o.put("model_load_seconds", round((System.nanoTime() - loadStart) / 1e9));
      try (DevStack stack = DevStack.start()) {
        o.put("job_workers", job.effectiveWorkers());
        o.put("job_threads_per_worker", job.threadsPerWorker());
        // one job: first calls to warm it up (JIT, libtorch, consumers, indices), then the
        // measured calls on the running job, as a long-running job meets its traffic
        CpuWindow cpu = new CpuWindow();
        DemoRun.Outcome fast =
            DemoRun.run(
                stack,
                options(callsDir, modelDir, 0, repeat)
                    .warmedUpFor(Duration.ofSeconds(warmUpSeconds)),
                cpu);
        // until the job emitted its last summary, not until a 1 s poll found it in the index
        double pipelineSeconds = fast.untilLastSummary().toMillis() / 1000.0;
        double pipelineXrt = fast.audioSeconds() / pipelineSeconds;
        // the reference again right after, on the same machine with the stack up (idle): this
        // machine's speed drifts by up to 15 % between minutes, the mean brackets the run
        ModelOnly after;
        try (BatchingRecognizer b = BatchingRecognizer.load(fastest)) {
          after = modelOnly(b, fastest, modelDir, slots, repeat, 1);
        }
        double modelXrtBefore = slotSeconds / alone.wallSeconds();
        double modelXrtAfter = slotSeconds / after.wallSeconds();
        double modelXrt = (modelXrtBefore + modelXrtAfter) / 2;
        o.put("xrt_model_only_before", round(modelXrtBefore));
        o.put("xrt_model_only_after", round(modelXrtAfter));
        // the measured calls were really processed: turns found, and (demo model) exact alerts
        o.put("calls", fast.scores().size());
        o.put("calls_alerts_exact", fast.scores().stream().filter(CallScore::alertsExact).count());
        o.put("turns", fast.scores().stream().mapToInt(CallScore::turns).sum());
        o.put("turns_found", fast.scores().stream().mapToInt(CallScore::matchedTurns).sum());
        o.put("warm_up_seconds", warmUpSeconds);
        o.put("audio_seconds", round(fast.audioSeconds()));
        o.put("pipeline_seconds", round(pipelineSeconds));
        o.put("pipeline_seconds_until_seen_in_index", round(fast.wall().toMillis() / 1000.0));
        o.put("xrt_pipeline", round(pipelineXrt));
        o.put("xrt_model_only", round(modelXrt));
        o.put("slot_audio_seconds", round(slotSeconds));
        // same slots both ways: the pipeline's rate over the speech it recognised vs the model's
        double pipelineSlotsXrt = slotSeconds / pipelineSeconds;
        o.put("xrt_pipeline_slots", round(pipelineSlotsXrt));
        o.put("pipeline_vs_model", round(pipelineSlotsXrt / modelXrt));
        // every channel of every call is a real-time stream: the full-speed rate is how many such
        // streams this machine keeps up with
        o.put("realtime_channels", (long) Math.floor(pipelineXrt));
        // the model's own work per CPU second, in the pipeline (its threads' CPU time) and alone:
        // whether the pipeline feeds the model as well as ideal offline batches do
        Double modelCpu = cpu.seconds().get(CpuSplit.MODEL);
        if (modelCpu != null && modelCpu > 0) {
          o.put("model_xrt_per_cpu_second_in_pipeline", round(slotSeconds / modelCpu));
          o.put("model_xrt_per_cpu_second_alone", round(alone.slotSecondsPerCpuSecond()));
        }
        ObjectNode split = o.putObject("cpu_seconds_by_part");
        cpu.seconds().forEach((part, sec) -> split.put(part, round(sec)));
        ObjectNode rest = o.putObject("rest_of_the_job_cpu_seconds_by_thread");
        cpu.restThreadSeconds().entrySet().stream()
            .limit(8)
            .forEach(e -> rest.put(e.getKey(), round(e.getValue())));
        o.put("cpu_seconds_available", round(cpu.wallSeconds() * CORES));
        o.put("cpu_seconds_machine_busy", round(cpu.machineBusySeconds()));
        if (!skipRealtime) {
          DemoRun.Outcome live =
              DemoRun.run(stack, options(callsDir, modelDir, 1.0, 1), DemoRun.quiet());
          List<Long> lat = DemoRun.allLatencies(live);
          o.put("alerts_delivered", lat.size());
          if (!lat.isEmpty()) {
            o.put("alert_latency_p50_ms", DemoCommand.percentile(lat, 50));
            o.put("alert_latency_p99_ms", DemoCommand.percentile(lat, 99));
            o.put("alert_latency_max_ms", lat.get(lat.size() - 1));
            ObjectNode byRule = o.putObject("alert_latency_max_ms_by_rule");
            DemoRun.maxLatencyByRule(live).forEach(byRule::put);
          }
        }
      }
    }
    if (json) {
      out.println(o);
    } else {
      out.printf(
          "audio %.0f s (all channels of all calls); measured run: turns found %d/%d, calls with"
              + " exactly the expected alerts %d/%d%n",
          o.get("audio_seconds").asDouble(),
          o.get("turns_found").asInt(),
          o.get("turns").asInt(),
          o.get("calls_alerts_exact").asInt(),
          o.get("calls").asInt());
      out.printf(
          "  model only, choosing the fastest way (one copy of the slots, %.0f s, all queued at"
              + " once, best of 5):%n",
          slotSeconds / repeat);
      for (JsonNode row : o.get("model_only_by_config")) {
        out.printf(
            "    %d worker(s) × %d libtorch thread(s)%-12s %8.1f × real time%n",
            row.get("workers").asInt(),
            row.get("threads_per_worker").asInt(),
            row.get("job_default").asBoolean() ? " (the job's)" : "",
            row.get("xrt").asDouble());
      }
      out.printf(
          "  model only over the same %.0f s of slots as the pipeline (the fastest way):"
              + " %.1f × real time%n",
          slotSeconds, o.get("xrt_model_only_before").asDouble());
      out.printf(
          "  whole pipeline (the job's %d × %d, measured after a warm-up of %d s on the same"
              + " job): %.1f × real time over all audio, %.1f × over the slots (%.1f s until the"
              + " job emitted its last call summary; %.1f s until a poll saw it in the index)%n",
          o.get("job_workers").asInt(),
          o.get("job_threads_per_worker").asInt(),
          o.get("warm_up_seconds").asInt(),
          o.get("xrt_pipeline").asDouble(),
          o.get("xrt_pipeline_slots").asDouble(),
          o.get("pipeline_seconds").asDouble(),
          o.get("pipeline_seconds_until_seen_in_index").asDouble());
      out.printf(
          "  model only again after the pipeline run (the same slots, stack up): %.1f ×"
              + " real time%n",
          o.get("xrt_model_only_after").asDouble());
      out.printf(
          "  pipeline / model (mean of before and after)  %.2f"
              + "  (vs before %.2f, vs after %.2f)%n",
          o.get("pipeline_vs_model").asDouble(),
          o.get("xrt_pipeline_slots").asDouble() / o.get("xrt_model_only_before").asDouble(),
          o.get("xrt_pipeline_slots").asDouble() / o.get("xrt_model_only_after").asDouble());
      out.printf("  real-time channels sustainable     %8d%n", o.get("realtime_channels").asLong());
      out.printf(
          "  (model loaded once, %.1f s, before the runs: the rates are a running job's)%n",
          o.get("model_load_seconds").asDouble());
      if (o.has("model_xrt_per_cpu_second_in_pipeline")) {
        double in = o.get("model_xrt_per_cpu_second_in_pipeline").asDouble();
        double by = o.get("model_xrt_per_cpu_second_alone").asDouble();
        out.printf(
            "  model work per model CPU second: in the pipeline %.0f s of slots, alone %.0f s"
                + " (%.2f)%n",
            in, by, in / by);
      }
      double available = o.get("cpu_seconds_available").asDouble();
      out.printf(
          "  CPU during the full-speed run (%d cores × %.1f s = %.0f CPU s), machine busy %.0f CPU s:%n",
          CORES, available / CORES, available, o.get("cpu_seconds_machine_busy").asDouble());
      o.get("cpu_seconds_by_part")
          .properties()
          .forEach(
              e -> {
                out.printf(
                    "    %-46s %7.1f s %5.1f %%%n",
                    e.getKey(), e.getValue().asDouble(), 100 * e.getValue().asDouble() / available);
                if (e.getKey().equals(CpuSplit.REST)) {
                  o.get("rest_of_the_job_cpu_seconds_by_thread")
                      .properties()
                      .forEach(
                          t ->
                              out.printf(
                                  "      thread %-37s %7.1f s%n",
                                  t.getKey(), t.getValue().asDouble()));
                }
              });
      if (o.has("alert_latency_p50_ms")) {
        out.printf(
            "  alert latency p50 %d ms, p99 %d ms over %d webhook deliveries (real-time replay)%n",
            o.get("alert_latency_p50_ms").asLong(),
            o.get("alert_latency_p99_ms").asLong(),
            o.get("alerts_delivered").asLong());
        out.println("    slowest delivery by rule (ms): " + o.get("alert_latency_max_ms_by_rule"));
      }
    }
    return 0;
  }

  private static final int CORES = Runtime.getRuntime().availableProcessors();

  /**
   * CPU split of one run: from the job's start to the moment the last call is summarized, while the
   * job's threads still exist.
   */
  private static final class CpuWindow implements DemoRun.Progress {
    private int calls;
    private CpuSplit start;
    private long startNanos;
    private Map<String, Double> seconds = Map.of();
    private Map<String, Double> restThreadSeconds = Map.of();
    private double machineBusySeconds;
    private double wallSeconds;

    @Override
    public void started(String flinkWebUi, int calls, double audioSeconds) {
      this.calls = calls;
      this.start = CpuSplit.snapshot();
      this.startNanos = System.nanoTime();
    }

    @Override
    public void summarized(int done) {
      if (done == calls) {
        CpuSplit end = CpuSplit.snapshot();
        seconds = end.secondsSince(start);
        restThreadSeconds = end.restThreadSecondsSince(start);
        machineBusySeconds = end.machineBusySecondsSince(start);
        wallSeconds = (System.nanoTime() - startNanos) / 1e9;
      }
    }

    Map<String, Double> seconds() {
      return seconds;
    }

    Map<String, Double> restThreadSeconds() {
      return restThreadSeconds;
    }

    double wallSeconds() {
      return wallSeconds;
    }

    double machineBusySeconds() {
      return machineBusySeconds;
    }
  }

  /**
   * The model alone in each way of running it on these cores ({@link #modelConfigs}) over one copy
   * of the slots, each row in {@code o.model_only_by_config}; the fastest is the reference's.
   */
  private static InferenceSettings fastestModelAlone(
      InferenceSettings job, Path modelDir, List<short[]> slots, double slotSeconds, ObjectNode o)
      throws Exception {
    ModelOnly best = null;
    ArrayNode byConfig = o.putArray("model_only_by_config");
    for (int[] config : modelConfigs(job)) {
      InferenceSettings settings = job.withWorkers(config[0], config[1]);
      try (BatchingRecognizer b = BatchingRecognizer.load(settings)) {
        ModelOnly m = modelOnly(b, settings, modelDir, slots, 1, 5);
        ObjectNode row = byConfig.addObject();
        row.put("workers", config[0]);
        row.put("threads_per_worker", config[1]);
        row.put("xrt", round(slotSeconds / m.wallSeconds()));
        row.put(
            "job_default",
            config[0] == job.effectiveWorkers() && config[1] == job.threadsPerWorker());
        if (best == null || m.wallSeconds() < best.wallSeconds()) {
          best = m;
        }
      }
    }
    return best.settings();
  }

  /**
   * Workers × threads per worker: one pass on all cores, one single-threaded per core, and the
   * job's own when it is neither.
   */
  private static List<int[]> modelConfigs(InferenceSettings job) {
    List<int[]> configs = new ArrayList<>();
    configs.add(new int[] {1, CORES});
    if (CORES > 1) {
      configs.add(new int[] {CORES, 1});
    }
    int[] jobs = {job.effectiveWorkers(), job.threadsPerWorker()};
    if (configs.stream().noneMatch(c -> c[0] == jobs[0] && c[1] == jobs[1])) {
      configs.add(jobs);
    }
    return configs;
  }

  private InferenceSettings jobInferenceSettings(Path modelDir) {
    return CallQaJob.inferenceSettings(
        withModelWorkers(JobConfig.forDevStack("-", "-", modelDir.toString())));
  }

  private JobConfig withModelWorkers(JobConfig config) {
    return config.withModelWorkers(workers, intraOpThreads);
  }

  private DemoRun.Options options(Path callsDir, Path modelDir, double speed, int times) {
    return new DemoRun.Options(callsDir, modelDir, speed, parallelism, Duration.ofMinutes(15))
        .repeated(times)
        .tunedWith(this::withModelWorkers);
  }

  /**
   * The model alone on {@code copies} copies of these slots: every slot queued at once on the job's
   * batcher (full, length-bucketed batches), the best of {@code rounds} rounds after a warm-up
   * round over one copy.
   *
   * @param settings the workers and threads it ran with
   * @param wallSeconds front end and forward passes
   * @param slotSecondsPerCpuSecond seconds of slots per CPU second of the forward passes alone
   */
  record ModelOnly(
      InferenceSettings settings, double wallSeconds, double slotSecondsPerCpuSecond) {}

  private static ModelOnly modelOnly(
      BatchingRecognizer recognizer,
      InferenceSettings settings,
      Path modelDir,
      List<short[]> slots,
      int copies,
      int rounds)
      throws Exception {
    double slotSeconds = copies * slots.stream().mapToLong(s -> s.length).sum() / 16_000.0;
    FrontEnd frontEnd =
        FrontEnd.load(modelDir.resolve(recognizer.descriptor().frontend().cmvnFile()));
    long best = Long.MAX_VALUE;
    BenchInferenceCommand.Timing forward = BenchInferenceCommand.Timing.NONE;
    for (int round = 0; round <= rounds; round++) {
      long t0 = System.nanoTime();
      List<Features> features = new ArrayList<>();
      for (int copy = 0; copy < (round == 0 ? 1 : copies); copy++) {
        for (short[] s : slots) {
          features.add(frontEnd.compute(s));
        }
      }
      BenchInferenceCommand.Timing t = BenchInferenceCommand.runQueued(recognizer, features);
      if (round > 0) {
        best = Math.min(best, System.nanoTime() - t0);
        forward = forward.best(t);
      }
    }
    return new ModelOnly(settings, best / 1e9, slotSeconds / (forward.cpuNanos() / 1e9));
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
