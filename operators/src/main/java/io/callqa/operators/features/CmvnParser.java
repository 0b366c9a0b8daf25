package io.callqa.operators.features;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Parses the Kaldi nnet text format of a FunASR / SenseVoice {@code am.mvn}:
 *
 * <pre>
 * &lt;Nnet&gt;
 * &lt;Splice&gt; 560 560
 * [ 0 ]
 * &lt;AddShift&gt; 560 560
 * &lt;LearnRateCoef&gt; 0 [ -8.31 -8.60 ... ]
 * &lt;Rescale&gt; 560 560
 * &lt;LearnRateCoef&gt; 0 [ 0.155 0.154 ... ]
 * &lt;/Nnet&gt;
 * </pre>
 *
 * Other components are skipped. Every error names the file, the component and what was wrong.
 */
public final class CmvnParser {

  private CmvnParser() {}

  public static Cmvn parse(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    return parse(text, file.toString());
  }

  /** Parses {@code text}; {@code source} names it in error messages. */
  public static Cmvn parse(String text, String source) {
    String[] tokens = text.trim().split("\\s+");
    float[] shift = readComponent(tokens, "<AddShift>", source);
    float[] scale = readComponent(tokens, "<Rescale>", source);
    if (shift.length != scale.length) {
      throw new IllegalArgumentException(
          source
              + ": <AddShift> has "
              + shift.length
              + " values but <Rescale> has "
              + scale.length);
    }
    return new Cmvn(shift, scale);
  }

  private static float[] readComponent(String[] tokens, String name, String source) {
    int at = -1;
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i].equals(name)) {
        if (at >= 0) {
          throw new IllegalArgumentException(source + ": " + name + " appears twice");
        }
        at = i;
      }
    }
    if (at < 0) {
      throw new IllegalArgumentException(source + ": no " + name + " component (not an am.mvn?)");
    }
    if (at + 2 >= tokens.length) {
      throw new IllegalArgumentException(source + ": " + name + " is truncated");
    }
    int outDim = parseDim(tokens[at + 1], name, "output", source);
    int inDim = parseDim(tokens[at + 2], name, "input", source);
    if (outDim != inDim) {
      throw new IllegalArgumentException(
          source + ": " + name + " dims differ (" + outDim + " vs " + inDim + ")");
    }
    int i = at + 3;
    while (i < tokens.length && !tokens[i].equals("[")) {
      if (tokens[i].startsWith("<") && !tokens[i].equals("<LearnRateCoef>")) {
        throw new IllegalArgumentException(
            source + ": " + name + " has no '[' before " + tokens[i]);
      }
      i++;
    }
    if (i >= tokens.length) {
      throw new IllegalArgumentException(source + ": " + name + " has no '[ values ]'");
    }
    i++;
    float[] values = new float[outDim];
    int count = 0;
    for (; i < tokens.length && !tokens[i].equals("]"); i++) {
      if (count == outDim) {
        throw new IllegalArgumentException(
            source + ": " + name + " has more than the declared " + outDim + " values");
      }
      float v;
      try {
        // decimal → double → float, as FunASR's load_cmvn (np.float64 then torch.float32)
        v = (float) Double.parseDouble(tokens[i]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            source + ": " + name + " value " + count + " is not a number: '" + tokens[i] + "'");
      }
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException(
            source
                + ": "
                + name
                + " value "
                + count
                + " is not a finite number: '"
                + tokens[i]
                + "'");
      }
      values[count++] = v;
    }
    if (i >= tokens.length) {
      throw new IllegalArgumentException(source + ": " + name + " values are not closed by ']'");
    }
    if (count != outDim) {
      throw new IllegalArgumentException(
          source + ": " + name + " declares " + outDim + " values but has " + count);
    }
    return values;
  }

  private static int parseDim(String token, String name, String which, String source) {
    try {
      int d = Integer.parseInt(token);
      if (d <= 0) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          source + ": " + name + " " + which + " dim is not a positive integer: '" + token + "'");
    }
  }
}
