package io.callqa.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callqa.operators.audio.WavReader;
import io.callqa.operators.features.Features;
import io.callqa.operators.features.FrontEnd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real SenseVoiceSmall export names a SentencePiece model as its token table. The fixture is the
 * demo model's {@code tokens.txt} written as a SentencePiece model ({@code
 * models/tooling/make_bpe_tokens.py}), read through DJL's sentencepiece extension.
 */
class SentencePieceTokensTest {
  private static final Path MODEL = Paths.get("../models/sensevoice-demo");
  private static final Path BPE = Paths.get("src/test/resources/inference/demo-tokens.bpe.model");
  private static final Path CLIPS = Paths.get("../models/testclips");

  @Test
  void aSentencePieceModelGivesTheSameIdsAndPiecesAsTheTextTable() throws Exception {
    TokenTable text = TokenTable.load(MODEL.resolve("tokens.txt"));
    TokenTable bpe = TokenTable.load(BPE);

    assertThat(bpe.size()).isEqualTo(text.size()).isEqualTo(224);
    for (int id = 0; id < text.size(); id++) {
      assertThat(bpe.piece(id)).as("id %d", id).isEqualTo(text.piece(id));
    }
    assertThat(bpe.id("<|ANGRY|>")).isEqualTo(text.id("<|ANGRY|>")).isPositive();
    assertThat(bpe.id("▁refund")).isEqualTo(text.id("▁refund")).isPositive();
  }

  @Test
  void theDemoModelRecognisesTheSameThroughEitherTable(@TempDir Path dir) throws Exception {
    // the demo model folder with its descriptor pointing at the SentencePiece model
    try (Stream<Path> files = Files.list(MODEL)) {
      for (Path f : files.toList()) {
        Files.createSymbolicLink(dir.resolve(f.getFileName()), f.toAbsolutePath());
      }
    }
    Files.copy(BPE, dir.resolve("tokens.bpe.model"));
    ObjectMapper json = new ObjectMapper();
    ObjectNode descriptor = (ObjectNode) json.readTree(MODEL.resolve("model.json").toFile());
    descriptor.put("tokens", "tokens.bpe.model");
    Files.delete(dir.resolve("model.json"));
    json.writeValue(dir.resolve("model.json").toFile(), descriptor);

    List<Features> clips = new ArrayList<>();
    FrontEnd frontEnd = FrontEnd.load(MODEL.resolve("am.mvn"));
    try (Stream<Path> wavs = Files.list(CLIPS)) {
      for (Path wav : wavs.filter(p -> p.toString().endsWith(".wav")).sorted().toList()) {
        clips.add(frontEnd.compute(WavReader.read(wav).mono16k()));
      }
    }
    assertThat(clips).hasSizeGreaterThan(10);

    List<Recognition> viaText = recognizeAll(MODEL, clips);
    List<Recognition> viaBpe = recognizeAll(dir, clips);

    assertThat(viaBpe).isEqualTo(viaText);
    assertThat(viaBpe).anySatisfy(r -> assertThat(r.text()).isNotBlank());
  }

  @Test
  void aFileThatIsNotASentencePieceModelIsRefusedWithItsName(@TempDir Path dir) throws IOException {
    Path garbage = dir.resolve("broken.bpe.model");
    Files.writeString(garbage, "this is not a protobuf");

    assertThatThrownBy(() -> TokenTable.load(garbage))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("broken.bpe.model");
  }

  private static List<Recognition> recognizeAll(Path model, List<Features> clips)
      throws IOException {
    InferenceSettings settings = InferenceSettings.defaults(model.toAbsolutePath().toString());
    try (SpeechRecognizer recognizer = SpeechRecognizer.load(settings)) {
      List<Recognition> out = new ArrayList<>();
      for (Features f : clips) {
        out.add(recognizer.recognize(List.of(f)).get(0));
      }
      return out;
    }
  }
}
