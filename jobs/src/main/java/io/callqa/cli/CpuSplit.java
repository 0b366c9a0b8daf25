package io.callqa.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the machine's CPU time goes during a benchmark run: this JVM's threads grouped by role (the
 * model's batcher and libtorch workers, the slotter, the JIT, ...) and the dev stack's child
 * processes (Kafka broker, Elasticsearch), from Linux {@code /proc} tick counters. Two snapshots,
 * taken while the job's threads are still alive, give the split of the run between them.
 */
final class CpuSplit {
  private static final Path PROC = Path.of("/proc");
  private static final long TICKS_PER_SECOND = 100; // USER_HZ on every Linux ABI Java runs on

  static final String MODEL = "model (batcher + libtorch threads)";

  /** The machine's busy time (all CPUs, every process and the kernel) as one more part. */
  static final String MACHINE_BUSY = "machine busy (all processes, kernel)";

  static final String REST = "rest of the job (Flink, rules, sinks, replay)";

  private final Map<String, Long> ticksByPart;
  private final Map<String, Long> restTicksByThread;
  private final long machineBusyTicks;

  private CpuSplit(
      Map<String, Long> ticksByPart, Map<String, Long> restTicksByThread, long machineBusyTicks) {
    this.ticksByPart = ticksByPart;
    this.restTicksByThread = restTicksByThread;
    this.machineBusyTicks = machineBusyTicks;
  }

  /** CPU ticks so far of every thread of this JVM and of every process below it. */
  static CpuSplit snapshot() {
    Map<String, Long> ticks = new TreeMap<>();
    Map<String, Long> rest = new TreeMap<>();
    long self = ProcessHandle.current().pid();
    for (Path task : list(PROC.resolve(Long.toString(self)).resolve("task"))) {
      Stat s = Stat.read(task.resolve("stat"));
      if (s != null) {
        String part = threadPart(s.name());
        ticks.merge(part, s.ticks(), Long::sum);
        if (part.equals(REST)) {
          // numbered threads of one pool together: "pool-3-thread-1" -> "pool-#-thread-#"
          rest.merge(s.name().replaceAll("[0-9]+", "#"), s.ticks(), Long::sum);
        }
      }
    }
    ProcessHandle.current()
        .descendants()
        .forEach(
            p -> {
              String part = processPart(p);
              for (Path task : list(PROC.resolve(Long.toString(p.pid())).resolve("task"))) {
                Stat s = Stat.read(task.resolve("stat"));
                if (s != null) {
                  ticks.merge(part, s.ticks(), Long::sum);
                }
              }
            });
    return new CpuSplit(ticks, rest, machineBusyTicks());
  }

  /** All CPUs' ticks except idle and I/O wait, from the first line of {@code /proc/stat}. */
  private static long machineBusyTicks() {
    try {
      String[] f = Files.readAllLines(PROC.resolve("stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        if (i != 4 && i != 5) { // idle, iowait
          busy += Long.parseLong(f[i]);
        }
      }
      return busy;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** CPU seconds the whole machine was busy between {@code before} and this snapshot. */
  double machineBusySecondsSince(CpuSplit before) {
    if (machineBusyTicks < 0 || before.machineBusyTicks < 0) {
      return Double.NaN;
    }
    return (machineBusyTicks - before.machineBusyTicks) / (double) TICKS_PER_SECOND;
  }

  /** CPU seconds per part between {@code before} and this snapshot, largest first. */
  Map<String, Double> secondsSince(CpuSplit before) {
    return difference(ticksByPart, before.ticksByPart);
  }

  /**
   * CPU seconds of the threads in the {@link #REST} part by (15-character) thread name, numbers
   * folded, largest first: which of Flink's threads the rest of the job is.
   */
  Map<String, Double> restThreadSecondsSince(CpuSplit before) {
    return difference(restTicksByThread, before.restTicksByThread);
  }

  private static Map<String, Double> difference(Map<String, Long> now, Map<String, Long> before) {
    List<Map.Entry<String, Long>> parts = new ArrayList<>();
    for (Map.Entry<String, Long> e : now.entrySet()) {
      long earlier = before.getOrDefault(e.getKey(), 0L);
      // a thread that ended between the snapshots takes its ticks along: never below zero
      parts.add(Map.entry(e.getKey(), Math.max(0, e.getValue() - earlier)));
    }
    parts.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    Map<String, Double> seconds = new LinkedHashMap<>();
    parts.forEach(e -> seconds.put(e.getKey(), e.getValue() / (double) TICKS_PER_SECOND));
    return seconds;
  }

  /** The role of one of this JVM's threads, from its (15-character) Linux thread name. */
  static String threadPart(String name) {
    if (name.startsWith("callqa-batcher")) {
      return MODEL;
    }
    if (name.startsWith("slotter")) {
      // the slotter's task runs its chain: front end, PII redaction, the utterance sinks
      return "slotter task (slotter, front end, PII, sinks)";
    }
    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
      return "JIT compiler";
    }
    if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
      return "garbage collector";
    }
    if (name.startsWith("kafka-producer") || name.startsWith("Source Data Fet")) {
      return "Kafka clients (job + replay)";
    }
    return REST;
  }

  private static String processPart(ProcessHandle p) {
    String command;
    try {
      // the whole argument list: ProcessHandle.Info may cut a long class path short
      command =
          new String(
              Files.readAllBytes(PROC.resolve(Long.toString(p.pid())).resolve("cmdline")),
              StandardCharsets.UTF_8);
    } catch (IOException e) {
      command = "";
    }
    if (command.contains("kafka.Kafka")) {
      return "Kafka broker (process)";
    }
    if (command.toLowerCase(java.util.Locale.ROOT).contains("elasticsearch")) {
      return "Elasticsearch (process)";
    }
    return "other child processes";
  }

  private static List<Path> list(Path dir) {
    try (var s = Files.list(dir)) {
      return s.toList();
    } catch (IOException e) {
      return List.of(); // the process or thread is gone
    }
  }

  /** The name and user + system ticks of one {@code /proc/.../stat} line. */
  record Stat(String name, long ticks) {
    static Stat read(Path file) {
      String line;
      try {
        line = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return null; // the thread ended
      }
      return parse(line);
    }

    /** The name sits in parentheses and may itself contain spaces and parentheses. */
    static Stat parse(String line) {
      int open = line.indexOf('(');
      int close = line.lastIndexOf(')');
      String[] fields = line.substring(close + 2).split(" ");
      // fields[0] is the state (field 3); utime and stime are fields 14 and 15
      return new Stat(
          line.substring(open + 1, close), Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
    }
  }
}
