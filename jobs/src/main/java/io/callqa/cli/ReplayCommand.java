package io.callqa.cli;

import io.callqa.jobs.calls.CallChunker;
import io.callqa.jobs.calls.CallFolder;
import io.callqa.jobs.calls.CallReplayer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code callqa replay}: produce calls in the call folder format to Kafka, as a recorder would. */
@Command(
    name = "replay",
    description =
        "Produce calls (a call folder or a folder of them) to Kafka as chunks and call events.")
final class ReplayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "DIR",
      description = "A call folder, or a folder of call folders.")
  Path path;

  @Option(
      names = "--bootstrap",
      required = true,
      paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers.")
  String bootstrap;

  @Option(
      names = "--realtime",
      description = "Pace the calls like live calls (all calls start together).")
  boolean realtime;

  @Option(
      names = "--speed",
      paramLabel = "X",
      defaultValue = "1.0",
      description =
          "With --realtime: call time runs X times wall time (default: ${DEFAULT-VALUE}).")
  double speed;

  @Option(
      names = "--chunk-ms",
      defaultValue = "200",
      description = "Chunk length in ms (default: ${DEFAULT-VALUE}).")
  int chunkMs;

  @Option(
      names = "--audio-topic",
      defaultValue = "call-audio",
      description = "Default: ${DEFAULT-VALUE}.")
  String audioTopic;

  @Option(
      names = "--events-topic",
      defaultValue = "call-events",
      description = "Default: ${DEFAULT-VALUE}.")
  String eventsTopic;

  @Override
  public Integer call() throws Exception {
    if (speed <= 0 || chunkMs < 10 || chunkMs > 60_000) {
      spec.commandLine()
          .getErr()
          .println("callqa replay: --speed must be > 0 and --chunk-ms 10..60000");
      return CallQa.EXIT_USAGE;
    }
    List<CallFolder> calls = CallFolder.readAll(path);
    List<CallChunker.Item> timeline = CallChunker.timeline(calls, chunkMs, Instant.now());
    long audioMs = calls.stream().mapToLong(CallFolder::durationMs).sum();
    spec.commandLine()
        .getOut()
        .printf(
            "replaying %d call(s), %.1f s of audio per channel in all, %d records%n",
            calls.size(), audioMs / 1000.0, timeline.size());
    spec.commandLine().getOut().flush();
    try (CallReplayer replayer = new CallReplayer(bootstrap, audioTopic, eventsTopic);
        ProgressBar bar =
            new ProgressBarBuilder()
                .setTaskName("replay")
                .setInitialMax(timeline.size())
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                .build()) {
      replayer.replay(timeline, realtime ? speed : 0, bar::stepTo);
    }
    spec.commandLine().getOut().println("done");
    return 0;
  }
}
