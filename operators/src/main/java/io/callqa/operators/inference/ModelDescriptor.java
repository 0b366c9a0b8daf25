package io.callqa.operators.inference;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The descriptor ({@code model.json}) of a model folder that follows the SenseVoiceSmall contract:
 * which network file and engine, the front-end parameters, the token table and the id tables.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelDescriptor(
    String name,
    String version,
    String engine,
    String modelFile,
    int sampleRate,
    Frontend frontend,
    String tokens,
    int blankId,
    int outputFrameMs,
    Map<String, Integer> languageIds,
    Map<String, Integer> textnormIds,
    double maxSlotSeconds,
    EmotionCalibration emotionCalibration) {

  public static final String FILE_NAME = "model.json";

  /** Output positions 0..3 carry language, emotion, event and ITN tags; text starts after them. */
  public static final int TAG_POSITIONS = 4;

  /** Kaldi fbank + LFR + CMVN parameters of the model's front end. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Frontend(
      String type,
      int numMelBins,
      double frameLengthMs,
      double frameShiftMs,
      String window,
      double preemphasis,
      boolean removeDcOffset,
      double lowFreqHz,
      double highFreqHz,
      double dither,
      int lfrM,
      int lfrN,
      String cmvnFile) {}

  /**
   * Optional: how a channel's earlier slots calibrate a slot's emotion (docs/emotion.md).
   *
   * @param weight how far a channel's mean emotion log-probabilities are pulled back to the
   *     reference (0 = off, 1 = all the way)
   * @param reference the mean log-probability of each calibrated emotion tag over the channels of
   *     calls of the model's domain; tags not listed are never calibrated, to or from
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record EmotionCalibration(double weight, Map<String, Double> reference) {}

  /** Reads and validates {@code dir/model.json}; every problem is named in the message. */
  public static ModelDescriptor load(Path dir) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new IOException("not a model folder: " + file + " does not exist");
    }
    ModelDescriptor d =
        new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .readValue(file.toFile(), ModelDescriptor.class);
    d.validate(dir);
    return d;
  }

  private void validate(Path dir) throws IOException {
    require(name != null && !name.isBlank(), "name is missing");
    require(
        "PyTorch".equals(engine),
        "engine '" + engine + "' is not supported (PyTorch only for now)");
    require(
        modelFile != null && Files.isRegularFile(dir.resolve(modelFile)),
        "modelFile " + modelFile + " not found");
    require(sampleRate == 16_000, "sampleRate must be 16000, was " + sampleRate);
    require(frontend != null, "frontend is missing");
    require("kaldi-fbank".equals(frontend.type()), "frontend.type must be kaldi-fbank");
    require(frontend.lfrM() > 0 && frontend.lfrN() > 0, "frontend.lfrM / lfrN must be > 0");
    require(
        frontend.cmvnFile() != null && Files.isRegularFile(dir.resolve(frontend.cmvnFile())),
        "frontend.cmvnFile " + frontend.cmvnFile() + " not found");
    require(
        tokens != null && Files.isRegularFile(dir.resolve(tokens)),
        "tokens file " + tokens + " not found");
    require(outputFrameMs > 0, "outputFrameMs must be > 0");
    require(
        languageIds != null && languageIds.containsKey("auto"), "languageIds must contain auto");
    require(
        textnormIds != null && textnormIds.containsKey("withitn"),
        "textnormIds must contain withitn");
    require(maxSlotSeconds > 0, "maxSlotSeconds must be > 0");
    if (emotionCalibration != null) {
      require(
          emotionCalibration.weight() >= 0 && emotionCalibration.weight() <= 1,
          "emotionCalibration.weight must be 0..1, was " + emotionCalibration.weight());
      require(
          emotionCalibration.reference() != null
              && emotionCalibration.reference().size() >= 2
              && emotionCalibration.reference().values().stream()
                  .allMatch(v -> v != null && v <= 0 && Double.isFinite(v)),
          "emotionCalibration.reference must give two or more emotion tags a log-probability"
              + " (finite, <= 0)");
    }
  }

  private static void require(boolean ok, String message) throws IOException {
    if (!ok) {
      throw new IOException("model.json: " + message);
    }
  }

  /** Input feature dimension after LFR (80 mel × 7 = 560 for SenseVoice). */
  public int featureDim() {
    return frontend.numMelBins() * frontend.lfrM();
  }

  public String id() {
    return name + "@" + version;
  }
}
