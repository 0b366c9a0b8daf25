package io.callqa.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code callqa} command line: one subcommand class per verb (see docs/cli.md). */
@Command(
    name = "callqa",
    mixinStandardHelpOptions = true,
    version = "callqa 0.1.0",
    description = "Streaming quality inspection for contact-center calls.",
    subcommands = {
      CommandLine.HelpCommand.class,
      DemoCommand.class,
      DevCommand.class,
      ReplayCommand.class,
      TranscribeCommand.class,
      FeaturesCommand.class,
      BenchCommand.class,
      SetupEsCommand.class,
      ImportDashboardsCommand.class
    })
public final class CallQa {

  /** Exit code for wrong usage; picocli's default for parameter errors. */
  public static final int EXIT_USAGE = 2;

  /** Exit code when a command ran but failed (a service did not start, a check did not pass). */
  public static final int EXIT_FAILED = 1;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, also used by tests to run commands with captured output. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new CallQa());
    cli.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          cmd.getErr().println(cmd.getColorScheme().errorText("callqa: " + ex.getMessage()));
          return EXIT_FAILED;
        });
    return cli;
  }
}
