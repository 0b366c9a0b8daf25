package io.callqa.cli;

import io.callqa.devstack.DevStack;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code callqa dev up|down|status}: the embedded Kafka + Elasticsearch stack for manual use. */
@Command(
    name = "dev",
    description =
        "Start, stop or inspect the embedded dev stack (real Kafka and Elasticsearch, no Docker).",
    subcommands = {DevCommand.Up.class, DevCommand.Down.class, DevCommand.Status.class})
final class DevCommand {

  @Command(
      name = "up",
      description = "Start Kafka and Elasticsearch in the background and print their addresses.")
  static final class Up implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Optional<DevStack> running = DevStack.attachRunning();
      if (running.isPresent() && running.get().isHealthy()) {
        out.println("dev stack already running");
        print(out, running.get());
        return 0;
      }
      running.ifPresent(DevStack::close);
      out.println("starting Kafka and Elasticsearch ...");
      out.flush();
      DevStack stack = DevStack.startDetached();
      out.printf(
          "started in %.1f s (Kafka %.1f s, Elasticsearch %.1f s)%n",
          Math.max(stack.kafkaStartup().toMillis(), stack.elasticsearchStartup().toMillis())
              / 1000.0,
          stack.kafkaStartup().toMillis() / 1000.0,
          stack.elasticsearchStartup().toMillis() / 1000.0);
      print(out, stack);
      out.println("stop it with: callqa dev down");
      return 0;
    }
  }

  @Command(
      name = "down",
      description = "Stop the dev stack started by `callqa dev up` and delete its data.")
  static final class Down implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Optional<DevStack> running = DevStack.attachRunning();
      if (running.isEmpty()) {
        out.println("no dev stack is running (" + DevStack.stateFile() + " not found)");
        return 0;
      }
      running.get().close();
      out.println("dev stack stopped");
      return 0;
    }
  }

  @Command(
      name = "status",
      description =
          "Show whether the dev stack is up, and its addresses. Exit code 1 when it is not healthy.")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Optional<DevStack> running = DevStack.attachRunning();
      if (running.isEmpty()) {
        out.println("dev stack: down");
        return CallQa.EXIT_FAILED;
      }
      DevStack stack = running.get();
      boolean kafka = stack.kafka().isHealthy();
      boolean es = stack.elasticsearch().isHealthy();
      out.println("dev stack: " + (kafka && es ? "up" : "unhealthy"));
      out.println("  kafka         " + (kafka ? "ok  " : "DOWN") + " " + stack.bootstrapServers());
      out.println("  elasticsearch " + (es ? "ok  " : "DOWN") + " " + stack.elasticsearchUrl());
      return kafka && es ? 0 : CallQa.EXIT_FAILED;
    }
  }

  static void print(PrintWriter out, DevStack stack) {
    out.println("  kafka bootstrap servers: " + stack.bootstrapServers());
    out.println(
        "  elasticsearch:           "
            + stack.elasticsearchUrl()
            + " (version "
            + stack.elasticsearch().version()
            + ")");
    out.println("  data and logs:           " + stack.dir());
  }
}
