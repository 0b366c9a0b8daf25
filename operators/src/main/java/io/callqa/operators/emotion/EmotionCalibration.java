package io.callqa.operators.emotion;

import io.callqa.operators.inference.ModelDescriptor;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Hears a slot's emotion against its speaker: a talker who is fast or high-pitched by nature sounds
 * HAPPY to a model that hears one slot at a time, a slow or low one SAD. A channel is one speaker,
 * so the mean emotion log-probabilities of its earlier slots tell the speaker's own lean; it is
 * pulled back towards the reference (the mean over the channels of the model's domain) by {@code
 * weight} before the slot's emotion is chosen:
 *
 * <pre>
 *   score(tag) = log p(tag) − weight · (mean of log p(tag) over the channel's earlier slots − reference(tag))
 * </pre>
 *
 * Only tags in the reference take part: the model's emotion stays when it is another tag (ANGRY in
 * the demo model: the alerts rest on it, and a speaker's earlier anger must not hide the next), and
 * a calibrated emotion is never one of them. The first slot of a channel keeps the model's emotion.
 * Measured in docs/emotion.md.
 */
public final class EmotionCalibration implements Serializable {
  private static final long serialVersionUID = 1L;

  /** log(p) of a probability that underflowed to 0 in float. */
  private static final double LOG_FLOOR = Math.log(1e-30);

  /** No calibration: every slot keeps the model's emotion. */
  public static final EmotionCalibration NONE = new EmotionCalibration(0, List.of(), new double[0]);

  private final double weight;
  private final List<String> tags;
  private final double[] reference;

  private EmotionCalibration(double weight, List<String> tags, double[] reference) {
    this.weight = weight;
    this.tags = tags;
    this.reference = reference;
  }

  /** The model descriptor's calibration, or {@link #NONE} when it has none. */
  public static EmotionCalibration of(ModelDescriptor.EmotionCalibration spec) {
    if (spec == null || spec.weight() == 0) {
      return NONE;
    }
    List<String> tags = List.copyOf(spec.reference().keySet());
    double[] reference = tags.stream().mapToDouble(spec.reference()::get).toArray();
    return new EmotionCalibration(spec.weight(), tags, reference);
  }

  public boolean enabled() {
    return weight > 0;
  }

  /** The calibrated tags, in the order of {@link #logScores}' values. */
  public List<String> tags() {
    return tags;
  }

  /**
   * The slot's log-probabilities of the calibrated tags, or an empty array when the slot has no
   * score for one of them (a failed slot, another model): such a slot does not count.
   */
  public float[] logScores(Map<String, Float> probabilities) {
    if (!enabled() || probabilities == null) {
      return new float[0];
    }
    float[] out = new float[tags.size()];
    for (int k = 0; k < out.length; k++) {
      Float p = probabilities.get(tags.get(k));
      if (p == null || !(p >= 0)) {
        return new float[0];
      }
      out[k] = (float) Math.max(LOG_FLOOR, Math.log(p));
    }
    return out;
  }

  /**
   * The slot's emotion.
   *
   * @param modelEmotion what the model said about this slot alone
   * @param logScores this slot's {@link #logScores}
   * @param earlier the {@link #logScores} of the channel's earlier slots (empty ones are skipped)
   */
  public String calibrate(String modelEmotion, float[] logScores, Iterable<float[]> earlier) {
    if (!enabled() || logScores.length != tags.size() || !tags.contains(modelEmotion)) {
      return modelEmotion;
    }
    double[] mean = new double[tags.size()];
    int n = 0;
    for (float[] e : earlier) {
      if (e.length == mean.length) {
        for (int k = 0; k < mean.length; k++) {
          mean[k] += e[k];
        }
        n++;
      }
    }
    if (n == 0) {
      return modelEmotion;
    }
    int best = -1;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < mean.length; k++) {
      double score = logScores[k] - weight * (mean[k] / n - reference[k]);
      if (score > bestScore) {
        bestScore = score;
        best = k;
      }
    }
    return tags.get(best);
  }
}
