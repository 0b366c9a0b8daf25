package io.callqa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callqa.devstack.DevStack;
import io.callqa.jobs.demo.DemoRun;
import io.callqa.jobs.demo.HtmlReport;
import io.callqa.jobs.demo.Scoring;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code callqa demo}: the whole system on the embedded stack — real Kafka, real Elasticsearch, the
 * job on a local Flink MiniCluster, a local webhook receiver — over the demo calls (or yours).
 */
@Command(
    name = "demo",
    description =
        "Run the embedded stack end to end on the demo calls (or --calls DIR) and report.")
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--calls",
      paramLabel = "DIR",
      description = "Calls in the call folder format (default: the demo calls).")
  Path calls;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description = "Model folder (default: the shipped demo model).")
  Path model;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Write the results (per call: alerts, summary, utterances).")
  Path json;

  @Option(
      names = "--report",
      paramLabel = "DIR",
      defaultValue = "out/report",
      description = "Where the HTML report goes (default: ${DEFAULT-VALUE}).")
  Path report;

  @Option(
      names = "--speed",
      defaultValue = "1.0",
      description =
          "Replay speed: 1 = real time (calls run side by side, as live), 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
  double speed;

  @Option(
      names = "--parallelism",
      defaultValue = "2",
      description = "Job parallelism (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(
      names = "--timeout",
      defaultValue = "600",
      description = "Seconds to wait for every call's summary (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(
      names = "--restore-midway",
      description =
          "Cancel the job mid-run (at its 2nd checkpoint, 1 s apart) and restore it from that checkpoint"
              + " while the replay goes on (recovery shown end to end).")
  boolean restoreMidway;

  @Option(
      names = "--outage",
      paramLabel = "SECONDS",
      defaultValue = "0",
      description =
          "With --restore-midway: keep the job down this long before the restore; the channels'"
              + " idle timeout becomes half of it, so the outage outlasts it as a real one outlasts"
              + " the 60 s default (default: ${DEFAULT-VALUE}).")
  long outageSeconds;

  @Option(
      names = "--backlog",
      description =
          "Write every call to Kafka first, then start the job: it reads them all as a backlog,"
              + " as after a long outage (the replay speed is then irrelevant).")
  boolean backlog;

  @Option(
      names = "--repeat",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Replay every call N times under its own call id (callId-rK) (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Option(
      names = "--keep",
      description = "Leave the stack running afterwards (stop it with `callqa dev down`).")
  boolean keep;

  private DemoRun.Options options(Path callsDir, Path modelDir) {
    DemoRun.Options options =
        new DemoRun.Options(
                callsDir, modelDir, speed, parallelism, Duration.ofSeconds(timeoutSeconds))
            .repeated(repeat);
    if (restoreMidway || outageSeconds > 0) {
      options = options.withOutage(Duration.ofSeconds(outageSeconds));
    }
    return backlog ? options.asBacklog() : options;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path callsDir = calls != null ? calls : CliPaths.demoCalls();
    Path modelDir = (model != null ? model : CliPaths.defaultModel()).toAbsolutePath();
    out.println("starting the embedded stack (Kafka, Elasticsearch) ...");
    out.flush();
    DevStack stack = keep ? DevStack.startDetached() : DevStack.start();
    try {
      out.printf(
          "  kafka %s · elasticsearch %s%n", stack.bootstrapServers(), stack.elasticsearchUrl());
      out.flush();
      ProgressBar[] bar = new ProgressBar[1];
      DemoRun.Outcome outcome;
      try {
        outcome =
            DemoRun.run(
                stack,
                options(callsDir, modelDir),
                new DemoRun.Progress() {
                  @Override
                  public void started(String flinkWebUi, int n, double audioSeconds) {
                    out.printf("  flink web UI %s%n", flinkWebUi);
                    out.printf(
                        "replaying %d calls (%.0f s of audio on all channels) at %s ...%n",
                        n, audioSeconds, speed == 0 ? "full speed" : speed + "x real time");
                    out.flush();
                    bar[0] =
                        new ProgressBarBuilder()
                            .setTaskName("calls summarized")
                            .setInitialMax(n)
                            .setStyle(ProgressBarStyle.ASCII)
                            .setConsumer(new ConsoleProgressBarConsumer(System.err))
                            .build();
                  }

                  @Override
                  public void summarized(int n) {
                    bar[0].stepTo(n);
                  }
                });
      } finally {
        if (bar[0] != null) {
          bar[0].close();
        }
      }
      print(out, outcome);
      if (json != null) {
        java.nio.file.Files.createDirectories(json.toAbsolutePath().getParent());
        new ObjectMapper()
            .writerWithDefaultPrettyPrinter()
            .writeValue(json.toFile(), outcome.results());
        out.println("results: " + json.toAbsolutePath());
      }
      Path index = HtmlReport.write(report, outcome.results());
      out.println("report:  " + index.toAbsolutePath());
      if (keep) {
        out.println("the stack keeps running (callqa dev down stops it):");
        out.println(
            "  kafka " + stack.bootstrapServers() + " · elasticsearch " + stack.elasticsearchUrl());
      }
      return 0;
    } finally {
      if (!keep) {
        stack.close();
      }
    }
  }

  private static void print(PrintWriter out, DemoRun.Outcome o) {
    JsonNode calls = o.results().path("calls");
    int utterances = 0;
    Map<String, Integer> byRule = new TreeMap<>();
    long audioMs = 0;
    long coveredMs = 0;
    for (JsonNode c : calls) {
      utterances += c.path("utterances").size();
      c.path("alerts").forEach(a -> byRule.merge(a.path("rule").asText(), 1, Integer::sum));
      JsonNode cov = c.path("summary").path("coverage");
      audioMs += cov.path("audioMsReceived").asLong();
      coveredMs +=
          Math.round(
              cov.path("audioMsReceived").asLong()
                  * c.path("summary").path("coveragePercent").asDouble(0)
                  / 100);
    }
    out.println();
    if (o.restore() != null) {
      out.printf(
          Locale.ROOT,
          "restored             from %s after %d calls were summarized (down %.1f s)%n",
          o.restore().checkpoint(),
          o.restore().callsSummarizedBefore(),
          o.restore().downtime().toMillis() / 1000.0);
    }
    out.printf("calls inspected      %d%n", calls.size());
    out.printf("utterances           %d%n", utterances);
    out.printf(
        "alerts               %d%s%n",
        byRule.values().stream().mapToInt(Integer::intValue).sum(),
        byRule.isEmpty() ? "" : "  " + byRule);
    out.printf(
        Locale.ROOT,
        "coverage             %.1f%% of %.1f s of audio received%n",
        audioMs == 0 ? 0 : 100.0 * coveredMs / audioMs,
        audioMs / 1000.0);
    out.printf(
        Locale.ROOT,
        "throughput           %.1f× real time (%.0f s of audio in %.1f s)%n",
        o.audioSeconds() / Math.max(0.001, o.wall().toMillis() / 1000.0),
        o.audioSeconds(),
        o.wall().toMillis() / 1000.0);
    List<Long> lat = DemoRun.allLatencies(o);
    if (lat.isEmpty()) {
      out.println("alert latency        (no webhook deliveries)");
    } else {
      out.printf(
          "alert latency        p50 %d ms, p99 %d ms over %d webhook deliveries%n",
          percentile(lat, 50), percentile(lat, 99), lat.size());
      out.println("                     slowest by rule (ms): " + DemoRun.maxLatencyByRule(o));
    }
    Map<String, Double> t = Scoring.totals(o.scores());
    out.printf(
        Locale.ROOT,
        "vs expected          turns found %.0f%%, CER %.1f%%, emotion %.0f%% (model alone %.0f%%),"
            + " event %.0f%%, language %.0f%%, calls with exactly the expected alerts %.0f/%d%n",
        100 * t.get("turnRecall"),
        100 * t.get("cer"),
        100 * t.get("emotionAccuracy"),
        100 * t.get("modelEmotionAccuracy"),
        100 * t.get("eventAccuracy"),
        100 * t.get("languageAccuracy"),
        t.get("callsWithExactAlerts"),
        o.scores().size());
    for (Scoring.CallScore s : o.scores()) {
      if (!s.alertsExact()) {
        out.printf(
            "  %-34s expected %s, got %s%n", s.callId(), s.expectedAlerts(), s.actualAlerts());
      }
    }
  }

  static long percentile(List<Long> sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
