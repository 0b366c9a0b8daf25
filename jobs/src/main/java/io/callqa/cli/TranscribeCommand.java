package io.callqa.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callqa.operators.audio.LocalSlotter;
import io.callqa.operators.audio.SlotterSettings;
import io.callqa.operators.audio.SpeechSlot;
import io.callqa.operators.audio.WavReader;
import io.callqa.operators.emotion.EmotionCalibration;
import io.callqa.operators.features.Features;
import io.callqa.operators.features.FrontEnd;
import io.callqa.operators.inference.InferenceSettings;
import io.callqa.operators.inference.Recognition;
import io.callqa.operators.inference.SpeechRecognizer;
import io.callqa.schemas.Channel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code callqa transcribe}: offline, no Kafka — the pipeline's own slotter (VAD) cuts the file
 * into slots and the recognizer reads each: text, language, emotion (calibrated by the file's
 * earlier slots, as the job does per channel: docs/emotion.md), event.
 */
@Command(
    name = "transcribe",
    description = "Cut a WAV file into speech slots and recognise each one (offline).")
final class TranscribeCommand implements Callable<Integer> {
  private static final int BATCH = 8;

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "FILE.wav",
      description = "8/16 kHz PCM16, μ-law or A-law WAV (mono).")
  Path file;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description = "Model folder (default: the shipped demo model).")
  Path model;

  @Option(
      names = "--language",
      defaultValue = "auto",
      description = "Language hint: auto, zh, en, ... (default: ${DEFAULT-VALUE}).")
  String language;

  @Option(names = "--json", description = "One JSON object per slot per line.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Path modelDir = model != null ? model : CliPaths.defaultModel();
    WavReader.WavAudio audio = WavReader.read(file);
    List<SpeechSlot> slots =
        LocalSlotter.slotRecording(
            file.getFileName().toString(),
            Channel.MIXED,
            audio.mono(),
            audio.sampleRate(),
            audio.encoding(),
            SlotterSettings.DEFAULTS);
    InferenceSettings settings =
        new InferenceSettings(
            modelDir.toAbsolutePath().toString(),
            "cpu",
            BATCH,
            0,
            1,
            0,
            0,
            language,
            "withitn",
            60_000,
            1,
            1);
    PrintWriter out = spec.commandLine().getOut();
    ObjectMapper mapper = new ObjectMapper();
    try (SpeechRecognizer recognizer = SpeechRecognizer.load(settings)) {
      // the file is one channel: its slots calibrate each other's emotion, as in the job
      EmotionCalibration calibration =
          EmotionCalibration.of(recognizer.descriptor().emotionCalibration());
      List<float[]> earlier = new ArrayList<>();
      FrontEnd frontEnd =
          FrontEnd.load(modelDir.resolve(recognizer.descriptor().frontend().cmvnFile()));
      for (int from = 0; from < slots.size(); from += BATCH) {
        List<SpeechSlot> batch = slots.subList(from, Math.min(slots.size(), from + BATCH));
        List<Features> features = new ArrayList<>();
        for (SpeechSlot s : batch) {
          features.add(frontEnd.compute(s.samples));
        }
        List<Recognition> results = recognizer.recognize(features);
        for (int i = 0; i < batch.size(); i++) {
          SpeechSlot s = batch.get(i);
          Recognition r = results.get(i);
          float[] scores = calibration.logScores(r.emotionScores());
          String emotion = calibration.calibrate(r.emotion(), scores, earlier);
          earlier.add(scores);
          if (json) {
            ObjectNode o = mapper.createObjectNode();
            o.put("startMs", s.startMs);
            o.put("endMs", s.endMs);
            o.put("language", r.language());
            o.put("emotion", emotion);
            o.put("modelEmotion", r.emotion());
            o.put("event", r.event());
            o.put("text", r.text());
            o.put("confidence", Math.round(r.confidence() * 1000) / 1000.0);
            out.println(o);
          } else {
            out.printf(
                "%8.2f %8.2f  %-8s %-9s %-7s %s%n",
                s.startMs / 1000.0, s.endMs / 1000.0, r.language(), emotion, r.event(), r.text());
          }
        }
      }
    }
    if (slots.isEmpty() && !json) {
      out.println("(no speech found)");
    }
    return 0;
  }
}
