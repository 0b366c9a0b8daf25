package io.callqa.operators.inference;

import ai.djl.sentencepiece.SpProcessor;
import ai.djl.sentencepiece.SpTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Token id → piece, SentencePiece style: "▁" (U+2581) marks a word start, SenseVoice's tags are
 * pieces like {@code <|en|>}. The demo model's {@code tokens.txt} has one piece per line (line
 * number = id); a "piece id" pair per line (sherpa style) is read too, and so is a SentencePiece
 * model file ({@code *.model}).
 */
public final class TokenTable {
  public static final char WORD_START = '\u2581';

  private final List<String> pieces;
  private final Map<String, Integer> ids;

  private TokenTable(List<String> pieces) {
    this.pieces = Collections.unmodifiableList(pieces);
    Map<String, Integer> m = new HashMap<>();
    for (int i = 0; i < pieces.size(); i++) {
      m.putIfAbsent(pieces.get(i), i);
    }
    this.ids = m;
  }

  public static TokenTable of(List<String> pieces) {
    return new TokenTable(new ArrayList<>(pieces));
  }

  /**
   * Reads a token table: a SentencePiece model ({@code *.model}, e.g. a real SenseVoiceSmall
   * export's {@code chn_jpn_yue_eng_ko_spectok.bpe.model}) through DJL's sentencepiece extension,
   * or a text table ({@code tokens.txt}).
   */
  public static TokenTable load(Path file) throws IOException {
    if (file.getFileName().toString().endsWith(".model")) {
      return new TokenTable(sentencePieces(file));
    }
    return new TokenTable(textPieces(file));
  }

  /** Id → piece of every id of a SentencePiece model (the CTC head's output ids). */
  private static List<String> sentencePieces(Path file) throws IOException {
    byte[] model = Files.readAllBytes(file);
    int size = countPieces(model, file);
    try (SpTokenizer tokenizer = new SpTokenizer(model)) {
      SpProcessor processor = tokenizer.getProcessor();
      List<String> pieces = new ArrayList<>(size);
      for (int id = 0; id < size; id++) {
        pieces.add(processor.getToken(id));
      }
      return pieces;
    } catch (RuntimeException e) {
      // the native library's "failed to parse" and friends
      throw new IOException(file + ": not a SentencePiece model: " + e.getMessage(), e);
    }
  }

  /**
   * Number of pieces of a SentencePiece model: the entries of its repeated field 1 ({@code
   * ModelProto.pieces}), counted on the protobuf wire format. DJL's vocabulary does not tell its
   * size, and asking the native library for an id past the end is undefined.
   */
  static int countPieces(byte[] model, Path file) throws IOException {
    int count = 0;
    int[] pos = {0};
    try {
      while (pos[0] < model.length) {
        long tag = varint(model, pos);
        int field = (int) (tag >>> 3);
        switch ((int) (tag & 7)) {
          case 0 -> varint(model, pos);
          case 1 -> pos[0] += 8;
          case 2 -> {
            long length = varint(model, pos);
            if (length < 0 || pos[0] + length > model.length) {
              throw new IOException("truncated field " + field);
            }
            pos[0] += (int) length;
            count += field == 1 ? 1 : 0;
          }
          case 5 -> pos[0] += 4;
          default -> throw new IOException("wire type " + (tag & 7) + " at byte " + pos[0]);
        }
      }
    } catch (IOException | ArrayIndexOutOfBoundsException e) {
      throw new IOException(file + ": not a SentencePiece model: " + e.getMessage(), e);
    }
    if (count == 0 || pos[0] != model.length) {
      throw new IOException(file + ": not a SentencePiece model: no pieces");
    }
    return count;
  }

  private static long varint(byte[] b, int[] pos) throws IOException {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte next = b[pos[0]++];
      value |= (long) (next & 0x7f) << shift;
      if (next >= 0) {
        return value;
      }
    }
    throw new IOException("varint longer than 10 bytes");
  }

  private static List<String> textPieces(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<String> pieces = new ArrayList<>(lines.size());
    boolean pairs =
        !lines.isEmpty()
            && lines.stream().filter(l -> !l.isEmpty()).allMatch(l -> l.matches(".+ \\d+"));
    for (String line : lines) {
      if (line.isEmpty()) {
        continue;
      }
      if (pairs) {
        int space = line.lastIndexOf(' ');
        int id = Integer.parseInt(line.substring(space + 1));
        while (pieces.size() <= id) {
          pieces.add(null);
        }
        pieces.set(id, line.substring(0, space));
      } else {
        pieces.add(line);
      }
    }
    if (pieces.contains(null)) {
      throw new IOException(file + ": token ids are not contiguous");
    }
    return pieces;
  }

  public int size() {
    return pieces.size();
  }

  public String piece(int id) {
    return pieces.get(id);
  }

  /** The id of a piece, or -1. */
  public int id(String piece) {
    return ids.getOrDefault(piece, -1);
  }

  /**
   * Ids of the given tag names, e.g. {@code ["HAPPY","SAD"]} → ids of {@code <|HAPPY|>}, {@code
   * <|SAD|>}.
   */
  int[] tagIds(List<String> names) {
    return names.stream().mapToInt(n -> id("<|" + n + "|>")).filter(i -> i >= 0).toArray();
  }

  static boolean isTag(String piece) {
    return piece.startsWith("<|") && piece.endsWith("|>");
  }

  /**
   * Concatenates pieces SentencePiece style: ▁ becomes a space; runs of spaces collapse; trimmed.
   */
  static String detokenize(List<String> pieces) {
    StringBuilder sb = new StringBuilder();
    for (String p : pieces) {
      sb.append(p.replace(WORD_START, ' '));
    }
    return sb.toString().replaceAll(" {2,}", " ").trim();
  }
}
