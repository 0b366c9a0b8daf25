package io.callqa.operators.inference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Greedy CTC decoding of SenseVoice-style logits: positions 0..3 give the language, emotion, event
 * and ITN tags (each read as the best token of its own tag set, so a stray text token there cannot
 * be mistaken for a tag); the rest is argmax per frame, repeats collapsed, blanks dropped.
 * Thread-safe.
 */
public final class CtcDecoder {
  static final List<String> LANGUAGES = List.of("zh", "en", "yue", "ja", "ko", "nospeech");
  static final List<String> EMOTIONS =
      List.of(
          "HAPPY", "SAD", "ANGRY", "NEUTRAL", "FEARFUL", "DISGUSTED", "SURPRISED", "EMO_UNKNOWN");
  static final List<String> EVENTS =
      List.of(
          "Speech", "BGM", "Applause", "Laughter", "Cry", "Sneeze", "Breath", "Cough", "Event_UNK");
  static final List<String> ITN = List.of("withitn", "woitn");

  private final TokenTable tokens;
  private final int blankId;
  private final int frameMs;
  private final int[] languageIds;
  private final int[] emotionIds;
  private final int[] eventIds;
  private final int[] itnIds;

  public CtcDecoder(TokenTable tokens, int blankId, int frameMs) {
    this.tokens = tokens;
    this.blankId = blankId;
    this.frameMs = frameMs;
    this.languageIds = tokens.tagIds(LANGUAGES);
    this.emotionIds = tokens.tagIds(EMOTIONS);
    this.eventIds = tokens.tagIds(EVENTS);
    this.itnIds = tokens.tagIds(ITN);
  }

  /**
   * Decodes one item.
   *
   * @param logits row-major [frames][vocab] raw logits of this item (padding frames may follow)
   * @param length valid output frames of this item (encoder_out_lens, tags included)
   */
  public Recognition decode(float[] logits, int vocab, int length) {
    if (vocab != tokens.size()) {
      throw new IllegalArgumentException(
          "model vocabulary " + vocab + " != token table " + tokens.size());
    }
    if (length < ModelDescriptor.TAG_POSITIONS || (long) length * vocab > logits.length) {
      throw new IllegalArgumentException(
          "bad output length " + length + " for " + logits.length / vocab + " frames");
    }
    String language = tag(logits, vocab, 0, languageIds);
    String emotion = tag(logits, vocab, 1, emotionIds);
    String event = tag(logits, vocab, 2, eventIds);
    String itn = tag(logits, vocab, 3, itnIds);

    List<String> pieces = new ArrayList<>();
    List<Recognition.TimedToken> timed = new ArrayList<>();
    int previous = -1;
    double confidenceSum = 0;
    for (int t = ModelDescriptor.TAG_POSITIONS; t < length; t++) {
      int base = t * vocab;
      int best = 0;
      float max = logits[base];
      for (int v = 1; v < vocab; v++) {
        if (logits[base + v] > max) {
          max = logits[base + v];
          best = v;
        }
      }
      confidenceSum += maxProbability(logits, base, vocab, max);
      if (best != previous && best != blankId) {
        String piece = tokens.piece(best);
        if (!TokenTable.isTag(piece)) {
          pieces.add(piece);
          timed.add(
              new Recognition.TimedToken(
                  piece, (long) (t - ModelDescriptor.TAG_POSITIONS) * frameMs));
        }
      }
      previous = best;
    }
    int textFrames = length - ModelDescriptor.TAG_POSITIONS;
    float confidence = textFrames == 0 ? 0f : (float) (confidenceSum / textFrames);
    return new Recognition(
        language,
        emotion,
        event,
        itn,
        TokenTable.detokenize(pieces),
        timed,
        confidence,
        tagProbabilities(logits, vocab, 1, emotionIds));
  }

  /** Softmax over the candidate tags at {@code position}, by tag name (insertion order kept). */
  private Map<String, Float> tagProbabilities(
      float[] logits, int vocab, int position, int[] candidates) {
    int base = position * vocab;
    float max = Float.NEGATIVE_INFINITY;
    for (int id : candidates) {
      max = Math.max(max, logits[base + id]);
    }
    double sum = 0;
    for (int id : candidates) {
      sum += Math.exp(logits[base + id] - max);
    }
    Map<String, Float> out = new LinkedHashMap<>();
    for (int id : candidates) {
      out.put(tagName(id), (float) (Math.exp(logits[base + id] - max) / sum));
    }
    return out;
  }

  private String tag(float[] logits, int vocab, int position, int[] candidates) {
    if (candidates.length == 0) {
      return "";
    }
    int base = position * vocab;
    int best = candidates[0];
    for (int id : candidates) {
      if (logits[base + id] > logits[base + best]) {
        best = id;
      }
    }
    return tagName(best);
  }

  private String tagName(int id) {
    String piece = tokens.piece(id);
    return piece.substring(2, piece.length() - 2);
  }

  /** softmax(max) = 1 / Σ exp(x - max), computed stably. */
  private static double maxProbability(float[] logits, int base, int vocab, float max) {
    double sum = 0;
    for (int v = 0; v < vocab; v++) {
      sum += Math.exp(logits[base + v] - max);
    }
    return 1.0 / sum;
  }
}
