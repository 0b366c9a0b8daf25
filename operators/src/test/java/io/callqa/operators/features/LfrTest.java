package io.callqa.operators.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LfrTest {

  /** FunASR's apply_lfr, transcribed literally (list of frames, pad, loop, repeat last). */
  static float[] funAsr(float[][] inputs, int m, int n) {
    int t = inputs.length;
    int tLfr = (int) Math.ceil((double) t / n);
    List<float[]> padded = new ArrayList<>();
    for (int i = 0; i < (m - 1) / 2; i++) {
      padded.add(inputs[0]);
    }
    padded.addAll(List.of(inputs));
    t += (m - 1) / 2;
    List<Float> out = new ArrayList<>();
    for (int i = 0; i < tLfr; i++) {
      if (m <= t - i * n) {
        for (int j = i * n; j < i * n + m; j++) {
          for (float v : padded.get(j)) {
            out.add(v);
          }
        }
      } else {
        int numPadding = m - (t - i * n);
        for (int j = i * n; j < t; j++) {
          for (float v : padded.get(j)) {
            out.add(v);
          }
        }
        for (int k = 0; k < numPadding; k++) {
          for (float v : padded.get(padded.size() - 1)) {
            out.add(v);
          }
        }
      }
    }
    float[] a = new float[out.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = out.get(i);
    }
    return a;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 17, 18, 19, 100})
  void matchesFunAsrForEveryLengthAroundTheEdges(int frames) {
    int dim = 3;
    float[][] in = new float[frames][dim];
    float[] flat = new float[frames * dim];
    for (int f = 0; f < frames; f++) {
      for (int d = 0; d < dim; d++) {
        in[f][d] = f * 10 + d;
        flat[f * dim + d] = f * 10 + d;
      }
    }

    float[] actual = Lfr.apply(flat, frames, dim, 7, 6);

    assertThat(actual).containsExactly(funAsr(in, 7, 6));
    assertThat(actual.length / (7 * dim)).isEqualTo((frames + 5) / 6);
  }

  @ParameterizedTest
  @ValueSource(ints = {0})
  void noFramesGiveNoOutput(int frames) {
    assertThat(Lfr.apply(new float[0], frames, 80)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 8})
  void firstOutputStartsWithThreeCopiesOfFrameZero(int frames) {
    float[] in = new float[frames];
    for (int f = 0; f < frames; f++) {
      in[f] = f + 1;
    }
    float[] out = Lfr.apply(in, frames, 1);
    assertThat(out[0]).isEqualTo(1f);
    assertThat(out[1]).isEqualTo(1f);
    assertThat(out[2]).isEqualTo(1f);
    assertThat(out[3]).isEqualTo(1f);
  }
}
