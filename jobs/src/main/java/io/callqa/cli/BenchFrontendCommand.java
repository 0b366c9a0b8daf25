package io.callqa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callqa.operators.audio.LocalSlotter;
import io.callqa.operators.audio.SlotterSettings;
import io.callqa.operators.features.Cmvn;
import io.callqa.operators.features.FrontEnd;
import io.callqa.operators.features.KaldiFbank;
import io.callqa.schemas.AudioEncoding;
import io.callqa.schemas.CallAudioChunk;
import io.callqa.schemas.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code callqa bench frontend}: the Java front end (fbank → LFR → CMVN) against torchaudio's Kaldi
 * fbank on the same audio, one thread each, in one run; plus the slotter's throughput.
 *
 * <ul>
 *   <li>Audio: a synthetic, seeded call (syllable trains at speaking pitch, pauses, background
 *       noise), {@code --seconds} long, 16 kHz int16.
 *   <li>Java: one thread; warm-up on up to 60 s, then {@code --repeats} full passes, median. {@code
 *       xrt_java} is audio seconds per wall second of the whole front end (more work than the
 *       torchaudio side, which stops at the fbank); {@code xrt_java_fbank} is the fbank alone.
 *   <li>torchaudio: the same samples in a {@code /usr/bin/python3} process
 *       (torch.set_num_threads(1)), warm-up on 10 s, then one pass after each Java pass, median.
 *       "not available" when that Python or torch is missing.
 *   <li>Slotter: the same kind of call at 8 kHz μ-law in 20 ms chunks through {@link LocalSlotter}
 *       — the {@code ChannelSlotter} code path the Flink {@code SlotterFunction} runs, with
 *       in-memory state instead of Flink's (Flink's test harness is test-only); audio seconds per
 *       CPU second of the feeding thread, chunk encoding excluded.
 * </ul>
 */
@Command(
    name = "frontend",
    mixinStandardHelpOptions = true,
    description =
        "Java front end vs torchaudio's Kaldi fbank (one thread each) and slotter throughput,"
            + " in x real time.")
final class BenchFrontendCommand implements Callable<Integer> {

  private static final int RATE = 16_000;
  private static final double WARMUP_SECONDS = 60;
  private static final String SCRIPT = "bench_frontend_torchaudio.py";

  @Spec CommandSpec spec;

  @Option(
      names = "--seconds",
      defaultValue = "600",
      description = "Seconds of audio per pass (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--repeats",
      defaultValue = "5",
      description = "Measured passes per side; the median counts (default: ${DEFAULT-VALUE}).")
  int repeats;

  @Option(
      names = "--python",
      defaultValue = "/usr/bin/python3",
      description = "Python with torch and torchaudio (default: ${DEFAULT-VALUE}).")
  Path python;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

  @Override
  public Integer call() throws Exception {
    if (seconds < 1 || repeats < 1) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--seconds and --repeats must be >= 1");
    }
    PrintWriter err = spec.commandLine().getErr();
    short[] audio = syntheticCall(seconds, RATE, 1);

    err.printf(
        "java front end and torchaudio fbank (%s): %d s of audio, %d passes each,"
            + " interleaved ...%n",
        python, seconds, repeats);
    err.flush();
    Measured java;
    ObjectNode torch = null;
    String torchStatus;
    try (TorchaudioProcess ta = TorchaudioProcess.start(python, audio)) {
      torchStatus =
          "torch "
              + ta.hello.path("torch").asText()
              + ", torchaudio "
              + ta.hello.path("torchaudio").asText()
              + ", "
              + ta.hello.path("threads").asInt()
              + " thread";
      double[] wall = new double[repeats];
      double[] cpu = new double[repeats];
      java =
          measureJava(
              audio,
              () -> {
                int r = ta.runs;
                JsonNode result = ta.run();
                wall[r] = result.path("wall_s").asDouble();
                cpu[r] = result.path("cpu_s").asDouble();
              });
      double s = (double) audio.length / RATE;
      torch = new ObjectMapper().createObjectNode();
      torch.put("xrt", s / median(wall));
      torch.put("xrt_cpu", s / median(cpu));
    } catch (TorchaudioUnavailable e) {
      torchStatus = "not available: " + e.getMessage();
      java = measureJava(audio, () -> {});
    }

    err.printf("slotter: %d s of 8 kHz mu-law in 20 ms chunks ...%n", seconds);
    err.flush();
    SlotterRun slotter = measureSlotter();

    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("seconds", seconds);
    o.put("repeats", repeats);
    o.put("xrt_java", java.xrtFrontEnd);
    o.put("xrt_java_cpu", java.xrtFrontEndCpu);
    o.put("xrt_java_fbank", java.xrtFbank);
    if (torch != null) {
      o.put("xrt_torchaudio", torch.path("xrt").asDouble());
      o.put("xrt_torchaudio_cpu", torch.path("xrt_cpu").asDouble());
      o.put("ratio", java.xrtFrontEnd / torch.path("xrt").asDouble());
      o.put("ratio_fbank", java.xrtFbank / torch.path("xrt").asDouble());
      o.put("ratio_cpu", java.xrtFrontEndCpu / torch.path("xrt_cpu").asDouble());
    } else {
      o.putNull("xrt_torchaudio");
      o.putNull("ratio");
    }
    o.put("torchaudio", torchStatus);
    o.put("xrt_slotter", slotter.xrtCpu);
    o.put("slotter_slots", slotter.slots);
    o.put("slotter_input", "8 kHz mu-law, 20 ms chunks, LocalSlotter (ChannelSlotter path)");
    o.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    o.put("load_average", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    o.put("cpus", Runtime.getRuntime().availableProcessors());

    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(o);
    } else {
      out.printf(
          "front end on %d s of synthetic 16 kHz call audio, one thread, median of %d%n",
          seconds, repeats);
      out.printf(
          "  java  fbank+LFR+CMVN %9.0f x real time (%.0f per CPU second)%n",
          java.xrtFrontEnd, java.xrtFrontEndCpu);
      out.printf("  java  fbank only     %9.0f x real time%n", java.xrtFbank);
      if (torch != null) {
        out.printf(
            "  torchaudio fbank     %9.0f x real time (%s)%n",
            torch.path("xrt").asDouble(), torchStatus);
        out.printf(
            "  ratio java / torchaudio %6.2f (fbank only %.2f)%n",
            java.xrtFrontEnd / torch.path("xrt").asDouble(),
            java.xrtFbank / torch.path("xrt").asDouble());
      } else {
        out.printf("  torchaudio fbank     %s%n", torchStatus);
      }
      out.printf(
          "slotter (decode, resample 8->16 kHz, VAD, cut): %.0f x real time per core,"
              + " %d slots%n",
          slotter.xrtCpu, slotter.slots);
      out.printf(
          "load average %.2f on %d CPUs%n",
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          Runtime.getRuntime().availableProcessors());
    }
    out.flush();
    return 0;
  }

  private record Measured(double xrtFrontEnd, double xrtFrontEndCpu, double xrtFbank) {}

  private record SlotterRun(double xrtCpu, int slots) {}

  /** Java passes, each followed by {@code between} (a torchaudio pass when available). */
  private Measured measureJava(short[] audio, Interleaved between) throws IOException {
    float[] ones = new float[FrontEnd.LFR_DIM];
    Arrays.fill(ones, 1f);
    FrontEnd frontEnd = new FrontEnd(new Cmvn(new float[FrontEnd.LFR_DIM], ones));
    KaldiFbank fbank = new KaldiFbank();
    short[] warm = Arrays.copyOf(audio, (int) Math.min(audio.length, WARMUP_SECONDS * RATE));
    for (int i = 0; i < 5; i++) {
      frontEnd.compute(warm);
      fbank.compute(warm);
    }
    double[] wall = new double[repeats];
    double[] cpu = new double[repeats];
    double[] fbankWall = new double[repeats];
    long sink = 0;
    for (int r = 0; r < repeats; r++) {
      long c0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      sink += frontEnd.compute(audio).frames();
      long t1 = System.nanoTime();
      long c1 = threads.getCurrentThreadCpuTime();
      sink += fbank.compute(audio).length;
      long t2 = System.nanoTime();
      wall[r] = (t1 - t0) / 1e9;
      cpu[r] = (c1 - c0) / 1e9;
      fbankWall[r] = (t2 - t1) / 1e9;
      between.run();
    }
    if (sink == 42) {
      spec.commandLine().getErr().println(); // keeps the results alive for the JIT
    }
    double s = (double) audio.length / RATE;
    return new Measured(s / median(wall), s / median(cpu), s / median(fbankWall));
  }

  @FunctionalInterface
  private interface Interleaved {
    void run() throws IOException;
  }

  /** Why torchaudio could not be measured (reported as "not available: ..."). */
  private static final class TorchaudioUnavailable extends IOException {
    TorchaudioUnavailable(String message) {
      super(message);
    }
  }

  /**
   * The torchaudio side: a Python process that loads the audio once, warms up, and runs one fbank
   * pass per request, so its passes can alternate with the Java ones under the same load.
   */
  private static final class TorchaudioProcess implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final java.io.BufferedReader stdout;
    private final java.io.Writer stdin;
    final JsonNode hello;
    int runs;

    private TorchaudioProcess(Process process, Path dir) throws IOException {
      this.process = process;
      this.dir = dir;
      this.stdout =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.stdin =
          new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      this.hello = readJson();
    }

    static TorchaudioProcess start(Path python, short[] audio) throws IOException {
      if (!Files.isExecutable(python)) {
        throw new TorchaudioUnavailable(python + " not found");
      }
      Path dir = Files.createTempDirectory("callqa-bench-");
      Path script = dir.resolve(SCRIPT);
      try (InputStream in = BenchFrontendCommand.class.getResourceAsStream(SCRIPT)) {
        if (in == null) {
          throw new TorchaudioUnavailable("resource " + SCRIPT + " missing from the jar");
        }
        Files.copy(in, script);
      }
      Path input = dir.resolve("audio.s16le");
      ByteBuffer bytes = ByteBuffer.allocate(2 * audio.length).order(ByteOrder.LITTLE_ENDIAN);
      bytes.asShortBuffer().put(audio);
      Files.write(input, bytes.array());
      Process p =
          new ProcessBuilder(python.toString(), script.toString(), input.toString(), "10")
              .redirectError(dir.resolve("stderr.txt").toFile())
              .start();
      return new TorchaudioProcess(p, dir);
    }

    JsonNode run() throws IOException {
      stdin.write("run\n");
      stdin.flush();
      runs++;
      return readJson();
    }

    private JsonNode readJson() throws IOException {
      String line = stdout.readLine();
      if (line == null) {
        String err = "";
        String exit = "";
        try {
          if (process.waitFor(10, TimeUnit.SECONDS)) {
            exit = " (exit " + process.exitValue() + ")";
          }
          err = Files.readString(dir.resolve("stderr.txt")).strip();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (IOException ignored) {
          // no stderr to quote
        }
        String[] lines = err.split("\n");
        throw new TorchaudioUnavailable(
            "python stopped" + exit + (err.isEmpty() ? "" : ": " + lines[lines.length - 1]));
      }
      try {
        return new ObjectMapper().readTree(line);
      } catch (IOException e) {
        throw new TorchaudioUnavailable("unexpected output from python: " + line);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        stdin.write("quit\n");
        stdin.close();
      } catch (IOException ignored) {
        // already gone
      }
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private SlotterRun measureSlotter() {
    SlotterSettings settings = SlotterSettings.builder().closedRetentionMs(0).build();
    List<CallAudioChunk> warm =
        LocalSlotter.chunks(
            "bench",
            "warm-up",
            Channel.AGENT,
            syntheticCall((int) Math.min(seconds, WARMUP_SECONDS), 8_000, 3),
            8_000,
            AudioEncoding.PCMU,
            20);
    for (int i = 0; i < 3; i++) {
      feed(settings, warm);
    }
    List<CallAudioChunk> call =
        LocalSlotter.chunks(
            "bench",
            "measured",
            Channel.AGENT,
            syntheticCall(seconds, 8_000, 2),
            8_000,
            AudioEncoding.PCMU,
            20);
    double[] cpu = new double[repeats];
    int slots = 0;
    for (int r = 0; r < repeats; r++) {
      long c0 = threads.getCurrentThreadCpuTime();
      slots = feed(settings, call);
      cpu[r] = (threads.getCurrentThreadCpuTime() - c0) / 1e9;
    }
    return new SlotterRun(seconds / median(cpu), slots);
  }

  /** Feeds a call in real-time pacing (20 ms of processing time per chunk); returns slots cut. */
  static int feed(SlotterSettings settings, List<CallAudioChunk> call) {
    LocalSlotter slotter = new LocalSlotter(settings);
    for (CallAudioChunk c : call) {
      slotter.chunk(c);
      slotter.advanceTo(slotter.now() + 20);
    }
    if (slotter.output().reports.size() != 1) {
      throw new IllegalStateException("the benchmark call did not close");
    }
    return slotter.output().slots.size();
  }

  /**
   * A seeded stand-in for one channel of a call: talk spurts of 1–6 s (syllables of 120–280 ms with
   * a harmonic voice at 100–250 Hz gliding in pitch), pauses of 0.3–2.5 s, background noise
   * throughout.
   */
  static short[] syntheticCall(int seconds, int rate, long seed) {
    Random random = new Random(seed);
    short[] out = new short[seconds * rate];
    int pos = 0;
    boolean talking = random.nextBoolean();
    while (pos < out.length) {
      int span =
          (int) ((talking ? 1 + 5 * random.nextDouble() : 0.3 + 2.2 * random.nextDouble()) * rate);
      int end = Math.min(out.length, pos + span);
      if (talking) {
        double level = 3_000 + 6_000 * random.nextDouble();
        while (pos < end) {
          int syllable = (int) ((0.12 + 0.16 * random.nextDouble()) * rate);
          int dip = (int) ((0.03 + 0.06 * random.nextDouble()) * rate);
          double f0 = 100 + 150 * random.nextDouble();
          // intonation: the pitch glides 15-30 % over the syllable; at one fixed pitch a syllable
          // is a note of music to the VAD, and the slotter cut no slot at all
          double glide = (random.nextBoolean() ? 1 : -1) * (0.15 + 0.15 * random.nextDouble());
          double syllableSeconds = (double) syllable / rate;
          for (int i = 0; i < syllable && pos + i < end; i++) {
            double env = Math.sin(Math.PI * i / syllable);
            double t = (double) i / rate;
            double cycles = f0 * (t + glide * t * t / (2 * syllableSeconds));
            double v = 0;
            for (int h = 1; h <= 10; h++) {
              v += Math.sin(2 * Math.PI * cycles * h) / h;
            }
            out[pos + i] = (short) Math.round(level * 0.5 * env * v);
          }
          pos += syllable + dip;
        }
      }
      pos = end;
      talking = !talking;
    }
    for (int i = 0; i < out.length; i++) {
      int v = out[i] + (int) Math.round(random.nextGaussian() * 40);
      out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
    }
    return out;
  }

  private static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}
