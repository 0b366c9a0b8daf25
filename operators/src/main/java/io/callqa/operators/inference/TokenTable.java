package io.callqa.operators.inference;

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
 * number = id); a "piece id" pair per line (sherpa style) is read too.
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

  public static TokenTable load(Path file) throws IOException {
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
    return new TokenTable(pieces);
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
