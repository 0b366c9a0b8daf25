package io.callqa.jobs.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callqa.devstack.DevStack;
import io.callqa.jobs.JobConfig;
import io.callqa.jobs.calls.CallChunker;
import io.callqa.jobs.calls.CallFolder;
import io.callqa.jobs.calls.CallReplayer;
import io.callqa.jobs.elasticsearch.IndexTemplates;
import io.callqa.jobs.elasticsearch.JsonHttp;
import io.callqa.jobs.elasticsearch.TemplateInstaller;
import io.callqa.jobs.local.LocalPipeline;
import io.callqa.jobs.local.WebhookReceiver;
import io.callqa.operators.alerts.SecretResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;

/**
 * The demo end to end on a running dev stack: index templates, the job on a local MiniCluster, a
 * local webhook receiver, the calls replayed to Kafka, then wait until every call has its summary
 * and read everything back. Used by {@code callqa demo} and by the end-to-end test, so the test
 * runs exactly what users run.
 */
public final class DemoRun {
  /** The secret the demo's webhook receiver checks signatures with (demo only). */
  public static final String DEMO_WEBHOOK_SECRET = "callqa-demo-secret";

  /**
   * The demo's one webhook endpoint (its outcomes: {@code webhooks.demo-supervisors} of alerts).
   */
  public static final String WEBHOOK_ENDPOINT = "demo-supervisors";

  private static final String SECRET_NAME = "CALLQA_DEMO_WEBHOOK_SECRET";

  /**
   * How to run the demo: the calls once each, no restore, the default rules, unless a wither says
   * otherwise. Immutable: every wither returns a changed copy.
   */
  public static final class Options implements Cloneable {
    private final Path calls;
    private final Path model;
    private final double speed;
    private final int slots;
    private final Duration timeout;
    private int repeat = 1;
    private boolean restoreMidway;
    private Instant readFrom;
    private Duration outage = Duration.ZERO;
    private boolean backlog;
    private String rules;
    private Duration warmUp = Duration.ZERO;
    private UnaryOperator<JobConfig> tuning = UnaryOperator.identity();

    /**
     * @param speed 0 = replay as fast as possible, else call time runs {@code speed} × wall time
     * @param slots MiniCluster task slots = job parallelism
     */
    public Options(Path calls, Path model, double speed, int slots, Duration timeout) {
      this.calls = calls;
      this.model = model;
      this.speed = speed;
      this.slots = slots;
      this.timeout = timeout;
    }

    private Options with(Consumer<Options> change) {
      try {
        Options copy = (Options) clone();
        change.accept(copy);
        return copy;
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e);
      }
    }

    /** This run with the job cancelled mid-run and restored from a checkpoint at once. */
    public Options withRestoreMidway() {
      return withOutage(Duration.ZERO);
    }

    /**
     * This run with the job cancelled at its second completed checkpoint while calls are still in
     * flight and restored from that checkpoint after {@code outage} (the replay goes on meanwhile):
     * recovery shown end to end. The channels' idle timeout is then half the outage, so that — as a
     * real outage outlasts the 60 s default — every timer set before it is overdue when the job
     * comes back.
     */
    public Options withOutage(Duration outage) {
      return with(
          o -> {
            o.restoreMidway = true;
            o.outage = outage;
          });
    }

    /**
     * This run with the job reading the topics from {@code from} on, e.g. an earlier run's start:
     * that run's records then come first, as a backlog. Default: this run's start, so records of
     * earlier runs on the same stack are not read again.
     */
    public Options readingFrom(Instant from) {
      return with(o -> o.readFrom = from);
    }

    /**
     * This run with every call written to Kafka before the job starts, which then reads them all as
     * a backlog (as after a long outage): the call-events topic runs far ahead of the audio.
     */
    public Options asBacklog() {
      return with(o -> o.backlog = true);
    }

    /** This run with every call {@code times} times, each under its own id (callId-rK). */
    public Options repeated(int times) {
      return with(o -> o.repeat = times);
    }

    /** This run with another rules file (a path or {@code classpath:} location). */
    public Options withRules(String location) {
      return with(o -> o.rules = location);
    }

    /**
     * This run measured on a running job: before the measured calls, the same job processes rounds
     * of the calls (each {@code repeat} times, under ids of their own: callId-wNrK), each until its
     * summaries are in, for at least {@code warmUp}. The measured calls then meet a job whose JIT
     * has caught up and whose consumers are assigned, as in production; the outcome covers them
     * only.
     */
    public Options warmedUpFor(Duration warmUp) {
      return with(o -> o.warmUp = warmUp);
    }

    /** This run with {@code tuning} applied to the job's config last (e.g. other model workers). */
    public Options tunedWith(UnaryOperator<JobConfig> tuning) {
      return with(o -> o.tuning = tuning);
    }

    public Path calls() {
      return calls;
    }

    public Path model() {
      return model;
    }

    public double speed() {
      return speed;
    }

    public int slots() {
      return slots;
    }

    public Duration timeout() {
      return timeout;
    }

    public int repeat() {
      return repeat;
    }

    public boolean restoreMidway() {
      return restoreMidway;
    }

    public Instant readFrom() {
      return readFrom;
    }

    public Duration outage() {
      return outage;
    }

    public boolean backlog() {
      return backlog;
    }

    public String rules() {
      return rules;
    }

    public Duration warmUp() {
      return warmUp;
    }

    public UnaryOperator<JobConfig> tuning() {
      return tuning;
    }
  }

  /**
   * A cancel-and-restore in the middle of a run.
   *
   * @param checkpoint the retained checkpoint the job was restored from
   * @param callsSummarizedBefore calls summarized when the job was cancelled (the rest were in
   *     flight)
   * @param downtime from the cancel until the restored job was running
   */
  public record Restore(String checkpoint, int callsSummarizedBefore, Duration downtime) {}

  /** Where the demo is, for printing while it runs. */
  public interface Progress {
    void started(String flinkWebUi, int calls, double audioSeconds);

    void summarized(int calls);
  }

  /** What came out. */
  public record Outcome(
      Instant startedAt,
      ObjectNode results,
      List<Scoring.CallScore> scores,
      double audioSeconds,
      Duration wall,
      Duration untilLastSummary,
      Map<String, List<Long>> alertLatenciesMsByRule,
      Set<String> deliveredAlertIds,
      int webhookDuplicates,
      Restore restore) {}

  /**
   * From the start of the replay to the moment the job emitted its last call summary (the
   * analyzer's own clock): the run's processing time without the poll's interval and the index
   * refresh that {@code wall} also holds.
   */
  private static Duration untilLastSummary(ObjectNode results, long startEpochMs, Duration wall) {
    long last = 0;
    for (JsonNode call : results.path("calls")) {
      last = Math.max(last, call.path("summary").path("emittedAtEpochMs").asLong());
    }
    return last > startEpochMs ? Duration.ofMillis(last - startEpochMs) : wall;
  }

  /** The slowest webhook delivery of each rule, in ms. */
  public static Map<String, Long> maxLatencyByRule(Outcome outcome) {
    Map<String, Long> max = new TreeMap<>();
    outcome
        .alertLatenciesMsByRule()
        .forEach((rule, l) -> max.put(rule, l.stream().mapToLong(x -> x).max().orElse(0)));
    return max;
  }

  /** Alert latencies of every rule together. */
  public static List<Long> allLatencies(Outcome outcome) {
    List<Long> all = new ArrayList<>();
    outcome.alertLatenciesMsByRule().values().forEach(all::addAll);
    all.sort(Long::compare);
    return all;
  }

  /** Checkpoint interval of a run that is restored midway: short, so little is replayed. */
  private static final long RESTORE_CHECKPOINT_INTERVAL_MS = 1_000;

  private DemoRun() {}

  public static Outcome run(DevStack stack, Options options, Progress progress) throws Exception {
    if (!options.warmUp().isZero() && (options.backlog() || options.restoreMidway())) {
      throw new IllegalArgumentException("a warm-up is for a live replay without a restore");
    }
    List<CallFolder> read = CallFolder.readAll(options.calls());
    List<CallFolder> calls = repeated(read, options.repeat());
    List<String> callIds = calls.stream().map(CallFolder::callId).toList();
    JsonHttp es = new JsonHttp(stack.elasticsearchUrl(), null, Duration.ofSeconds(30));
    new TemplateInstaller(es).install(IndexTemplates.all(1, 0), false, r -> {});

    double audioSeconds =
        calls.stream().mapToLong(c -> c.durationMs() * c.channels().size()).sum() / 1000.0;
    WebhookReceiver receiver = WebhookReceiver.start(DEMO_WEBHOOK_SECRET, 0);
    Instant runStart = Instant.now();
    JobConfig config =
        JobConfig.forDevStack(
                stack.bootstrapServers(), stack.elasticsearchUrl(), options.model().toString())
            .readingFrom(options.readFrom() != null ? options.readFrom() : runStart)
            .withWebhook(
                new JobConfig.Webhook(WEBHOOK_ENDPOINT, receiver.url(), "generic", SECRET_NAME));
    if (options.rules() != null) {
      config = config.withRules(options.rules());
    }
    config = options.tuning().apply(config);
    SecretResolver secrets = name -> SECRET_NAME.equals(name) ? DEMO_WEBHOOK_SECRET : null;
    LocalPipeline.Checkpoints checkpoints = null;
    if (options.restoreMidway()) {
      config = config.withCheckpointInterval(RESTORE_CHECKPOINT_INTERVAL_MS);
      if (!options.outage().isZero()) {
        config = config.withSlottingIdleTimeout(options.outage().toMillis() / 2);
      }
      checkpoints =
          LocalPipeline.Checkpoints.retainIn(Files.createTempDirectory("callqa-checkpoints"));
    }
    LocalPipeline[] running = {null}; // replaced by the restored job; stopped before the receiver
    try (receiver;
        AutoCloseable stopJob = () -> stop(running[0]);
        CallReplayer replayer =
            new CallReplayer(
                stack.bootstrapServers(),
                config.kafka().topics().audio(),
                config.kafka().topics().events())) {
      long startedAtEpochMs = System.currentTimeMillis();
      // the calls start when they are replayed (after a warm-up, later than the warm-up calls)
      Runnable replayAll =
          () -> {
            try {
              replayer.replay(
                  CallChunker.timeline(calls, CallChunker.DEFAULT_CHUNK_MS, Instant.now()),
                  options.backlog() ? 0 : options.speed(),
                  n -> {});
            } catch (Exception e) {
              throw new IllegalStateException("replay failed: " + e.getMessage(), e);
            }
          };
      if (options.backlog()) {
        replayAll.run();
      }
      LocalPipeline pipeline =
          LocalPipeline.start(stack.kafka(), config, secrets, options.slots(), checkpoints);
      running[0] = pipeline;
      CallResults reader = new CallResults(es);
      if (!options.warmUp().isZero()) {
        warmUp(read, options, replayer, pipeline, reader);
      }
      progress.started(pipeline.webUiUrl(), calls.size(), audioSeconds);
      long t0 = System.nanoTime();
      long t0EpochMs = System.currentTimeMillis();
      CompletableFuture<Void> replay =
          options.backlog()
              ? CompletableFuture.completedFuture(null)
              : CompletableFuture.runAsync(replayAll);
      long deadline = System.nanoTime() + options.timeout().toNanos();
      int done = 0;
      Restore restore = null;
      String lastPollError = null;
      while (done < calls.size()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "only "
                  + done
                  + " of "
                  + calls.size()
                  + " calls were summarized within "
                  + options.timeout()
                  + (lastPollError == null ? "" : " (last poll error: " + lastPollError + ")"));
        }
        if (replay.isCompletedExceptionally()) {
          replay.join();
        }
        requireRunning(pipeline);
        // while a restore is due, look for the first checkpoint often: a fast machine finishes
        // the demo calls within a few checkpoint intervals
        Thread.sleep(checkpoints != null && restore == null ? 200 : 1000);
        int now;
        try {
          now = reader.summarized(callIds, startedAtEpochMs);
        } catch (IllegalStateException e) {
          // e.g. a search while a new daily index's shards still initialize: poll again
          lastPollError = e.getMessage();
          continue;
        }
        if (now != done) {
          done = now;
          progress.summarized(done);
        }
        if (checkpoints != null && restore == null && done < calls.size()) {
          Optional<Path> last = LocalPipeline.latestCheckpoint(checkpoints.dir());
          // the second checkpoint, not the first: state taken while the calls were being processed
          if (last.isPresent() && LocalPipeline.checkpointId(last.get()) >= 2) {
            long cancelledAt = System.nanoTime();
            pipeline.close();
            Thread.sleep(options.outage().toMillis());
            // after the cancel: a newer checkpoint may have replaced (deleted) the one seen above
            Path retained = LocalPipeline.latestCheckpoint(checkpoints.dir()).orElseThrow();
            pipeline =
                LocalPipeline.start(
                    stack.kafka(),
                    config,
                    secrets,
                    options.slots(),
                    checkpoints.restoringFrom(retained));
            running[0] = pipeline;
            restore =
                new Restore(
                    retained.toString(), done, Duration.ofNanos(System.nanoTime() - cancelledAt));
          }
        }
      }
      replay.join();
      Duration wall = Duration.ofNanos(System.nanoTime() - t0);
      // late alerts may still be on their way: give the sinks one more flush interval
      Thread.sleep(1500);
      ObjectNode results = reader.read(callIds);
      List<Scoring.CallScore> scores = new ArrayList<>();
      for (int i = 0; i < calls.size(); i++) {
        scores.add(Scoring.score(calls.get(i).meta(), results.path("calls").get(i)));
      }
      Map<String, List<Long>> latencies = new TreeMap<>();
      for (WebhookReceiver.Delivery d : receiver.deliveries()) {
        JsonNode trigger = d.body().path("triggerArrivedAtEpochMs");
        if (trigger.asLong() > 0) {
          latencies
              .computeIfAbsent(d.body().path("rule").asText(), r -> new ArrayList<>())
              .add(d.receivedAtEpochMs() - trigger.asLong());
        }
      }
      return new Outcome(
          runStart,
          results,
          scores,
          audioSeconds,
          wall,
          untilLastSummary(results, t0EpochMs, wall),
          latencies,
          receiver.deliveries().stream()
              .map(WebhookReceiver.Delivery::alertId)
              .collect(Collectors.toSet()),
          receiver.duplicates(),
          restore);
    }
  }

  /**
   * Replays rounds of the calls through the running job, each until all its calls are summarized,
   * until {@code options.warmUp()} has passed.
   */
  private static void warmUp(
      List<CallFolder> calls,
      Options options,
      CallReplayer replayer,
      LocalPipeline pipeline,
      CallResults reader)
      throws Exception {
    long start = System.nanoTime();
    for (int round = 0; System.nanoTime() - start < options.warmUp().toNanos(); round++) {
      List<CallFolder> warmUpCalls = copies(calls, options.repeat(), "-w" + round + "r");
      long since = System.currentTimeMillis();
      replayer.replay(
          CallChunker.timeline(warmUpCalls, CallChunker.DEFAULT_CHUNK_MS, Instant.now()),
          options.speed(),
          n -> {});
      List<String> ids = warmUpCalls.stream().map(CallFolder::callId).toList();
      long deadline = System.nanoTime() + options.timeout().toNanos();
      int done = 0;
      while (done < ids.size()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "only " + done + " of " + ids.size() + " warm-up calls were summarized in time");
        }
        requireRunning(pipeline);
        Thread.sleep(500);
        try {
          done = reader.summarized(ids, since);
        } catch (IllegalStateException e) {
          // a search while a new daily index's shards still initialize: poll again
        }
      }
    }
  }

  private static void requireRunning(LocalPipeline pipeline) throws Exception {
    JobStatus status = pipeline.job().getJobStatus().get();
    if (status.isGloballyTerminalState()) {
      throw new IllegalStateException("the job stopped: " + status);
    }
  }

  private static void stop(LocalPipeline pipeline) throws Exception {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  /** Each call {@code times} times under its own call id (callId-rN), for throughput runs. */
  static List<CallFolder> repeated(List<CallFolder> calls, int times) {
    return times <= 1 ? calls : copies(calls, times, "-r");
  }

  /** Each call {@code times} times, call ids callId + suffix + N. */
  private static List<CallFolder> copies(List<CallFolder> calls, int times, String suffix) {
    List<CallFolder> out = new ArrayList<>();
    for (int r = 0; r < times; r++) {
      for (CallFolder c : calls) {
        CallFolder.Meta m = c.meta();
        CallFolder.Meta copy =
            new CallFolder.Meta(
                m.tenant(),
                m.callId() + suffix + r,
                m.agentId(),
                m.queue(),
                m.language(),
                m.startedAt(),
                m.events(),
                m.expected());
        out.add(new CallFolder(c.dir(), copy, c.channels()));
      }
    }
    return out;
  }

  /** A no-op progress for tests. */
  public static Progress quiet() {
    return new Progress() {
      @Override
      public void started(String flinkWebUi, int calls, double audioSeconds) {}

      @Override
      public void summarized(int calls) {}
    };
  }
}
