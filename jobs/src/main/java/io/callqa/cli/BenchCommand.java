package io.callqa.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code callqa bench ...}: benchmarks that print figures and their ratios measured side by side in
 * one run (never timed assertions in tests).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure throughput side by side in one run and print the ratios.",
    subcommands = {
      BenchFrontendCommand.class,
      BenchInferenceCommand.class,
      BenchPipelineCommand.class
    })
public final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CallQa.EXIT_USAGE;
  }
}
