package io.callqa.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process of the dev stack whose output goes to a log file, and which is stopped together
 * with every process it started (the Elasticsearch launcher forks the server JVM, for example).
 */
public final class ManagedProcess implements AutoCloseable {
  private static final Duration GRACE = Duration.ofSeconds(20);

  private final String name;
  private final ProcessHandle handle;
  private final Path log;

  private final long pid;

  private ManagedProcess(String name, ProcessHandle handle, Path log, long pid) {
    this.name = name;
    this.handle = handle;
    this.log = log;
    this.pid = pid;
  }

  /**
   * Starts {@code command} with stdout and stderr appended to {@code log}.
   *
   * @param detached run it in a new session (setsid) so it outlives this JVM and a Ctrl-C in this
   *     terminal: used by {@code callqa dev up}
   */
  public static ManagedProcess start(
      String name, List<String> command, Path workDir, Path log, boolean detached, Env env)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    if (detached) {
      cmd.add("setsid");
    }
    cmd.addAll(command);
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    env.applyTo(pb.environment());
    Process process = pb.start();
    return new ManagedProcess(name, process.toHandle(), log, process.pid());
  }

  /**
   * Re-attaches to a process started earlier (by {@code callqa dev up}) from its pid; the result is
   * not alive when that process has gone.
   */
  public static ManagedProcess attach(String name, long pid, Path log) {
    return new ManagedProcess(name, ProcessHandle.of(pid).orElse(null), log, pid);
  }

  public long pid() {
    return pid;
  }

  public boolean isAlive() {
    return handle != null && handle.isAlive();
  }

  public Path log() {
    return log;
  }

  /** The last {@code lines} lines of the log, for error messages. */
  public String logTail(int lines) {
    return tail(log, lines);
  }

  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | RuntimeException e) {
      return "(no log at " + file + ": " + e.getMessage() + ")";
    }
  }

  /**
   * Stops the process and all its descendants: SIGTERM to the whole tree (children first), then
   * SIGKILL to whatever is still alive after a grace period.
   */
  @Override
  public void close() {
    if (handle == null) {
      return;
    }
    List<ProcessHandle> tree = new ArrayList<>();
    handle.descendants().forEach(tree::add);
    tree.sort(Comparator.comparingLong(ProcessHandle::pid).reversed());
    tree.add(handle);
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + GRACE.toNanos();
    for (ProcessHandle p : tree) {
      long left = deadline - System.nanoTime();
      try {
        p.onExit().get(Math.max(left, 1), TimeUnit.NANOSECONDS);
      } catch (Exception timeoutOrInterrupt) {
        p.destroyForcibly();
      }
    }
    for (ProcessHandle p : tree) {
      try {
        p.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("callqa devstack: " + name + " pid " + p.pid() + " did not exit");
      }
    }
  }

  @Override
  public String toString() {
    return name + "(pid " + pid() + ")";
  }

  /** Environment variables for a child; secrets never pass through here. */
  public interface Env {
    void applyTo(java.util.Map<String, String> environment);

    static Env none() {
      return e -> {};
    }
  }
}
