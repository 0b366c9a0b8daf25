package io.callqa.cli;

import io.callqa.operators.audio.WavReader;
import io.callqa.operators.features.Cmvn;
import io.callqa.operators.features.Features;
import io.callqa.operators.features.FrontEnd;
import io.callqa.operators.features.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code callqa features FILE.wav --stage fbank|lfr|cmvn --out FILE.npy}: dumps the front end's
 * output at one stage as a float32 .npy (frames × dims), for debugging and parity checks against
 * Python. 8 kHz or μ-law / A-law WAVs are decoded and resampled to 16 kHz as the slotter does.
 */
@Command(
    name = "features",
    mixinStandardHelpOptions = true,
    description = "Dump front-end features of a WAV file as float32 .npy (frames x dims).")
public final class FeaturesCommand implements Callable<Integer> {

  /** Front-end stage to stop after. */
  enum Stage {
    fbank,
    lfr,
    cmvn
  }

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "FILE.wav",
      description = "16-bit PCM, mu-law or A-law WAV.")
  Path wav;

  @Option(
      names = "--stage",
      defaultValue = "cmvn",
      paramLabel = "fbank|lfr|cmvn",
      description =
          "fbank (T x 80 log-mel), lfr (ceil(T/6) x 560) or cmvn (lfr normalised)"
              + " (default: ${DEFAULT-VALUE}).")
  Stage stage;

  @Option(names = "--out", required = true, paramLabel = "FILE.npy", description = "Output file.")
  Path out;

  @Option(
      names = "--cmvn",
      paramLabel = "am.mvn",
      description =
          "CMVN for --stage cmvn (default: models/sensevoice-demo/am.mvn under the checkout).")
  Path cmvn;

  static Path defaultCmvn() {
    return Paths.get(System.getProperty("callqa.home", "."))
        .resolve("models/sensevoice-demo/am.mvn");
  }

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(wav)) {
      throw new ParameterException(spec.commandLine(), wav + ": no such file");
    }
    Cmvn normalisation = null;
    if (stage == Stage.cmvn) {
      Path file = cmvn != null ? cmvn : defaultCmvn();
      if (!Files.isRegularFile(file)) {
        throw new ParameterException(
            spec.commandLine(),
            "--stage cmvn needs an am.mvn: "
                + file
                + " does not exist (pass --cmvn FILE, or use --stage lfr)");
      }
      normalisation = Cmvn.load(file);
    }
    WavReader.WavAudio audio = WavReader.read(wav);
    short[] samples = audio.mono16k();
    FrontEnd frontEnd = new FrontEnd(normalisation);
    Features features =
        switch (stage) {
          case fbank -> frontEnd.fbank(samples);
          case lfr -> frontEnd.lfr(samples);
          case cmvn -> frontEnd.compute(samples);
        };
    Npy.write(out, features);
    spec.commandLine()
        .getOut()
        .printf(
            "%s: %d x %d float32 (%s) from %s (%d Hz %s, %d ch, %.2f s)%n",
            out,
            features.frames(),
            features.dim(),
            stage,
            wav,
            audio.sampleRate(),
            audio.encoding(),
            audio.channels(),
            audio.durationSeconds());
    return 0;
  }
}
