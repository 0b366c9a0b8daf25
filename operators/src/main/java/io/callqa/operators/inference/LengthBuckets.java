package io.callqa.operators.inference;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Chooses the next batch among waiting slots: the oldest one plus those whose lengths are closest
 * to it, so that a forward pass, which costs batch size × the longest item, spends little on
 * padding. Pure, for {@link BatchingRecognizer}.
 */
final class LengthBuckets {

  private LengthBuckets() {}

  /**
   * Positions (ascending) of the next batch among {@code frames}, the waiting items' lengths oldest
   * first: always position 0, at most {@code maxBatch} in all, the longest at most {@code maxRatio}
   * times the shortest. Among the lengths sorted, the batch grows from the oldest item one
   * neighbour at a time, each time on the side that keeps longest / shortest lower.
   */
  static int[] pick(int[] frames, int maxBatch, double maxRatio) {
    int n = frames.length;
    Integer[] byLength =
        IntStream.range(0, n)
            .boxed()
            .sorted(Comparator.comparingInt((Integer i) -> frames[i]).thenComparingInt(i -> i))
            .toArray(Integer[]::new);
    int lo = 0;
    while (byLength[lo] != 0) {
      lo++;
    }
    int hi = lo;
    while (hi - lo + 1 < maxBatch) {
      double ifLower = lo > 0 ? ratio(frames[byLength[hi]], frames[byLength[lo - 1]]) : -1;
      double ifHigher = hi < n - 1 ? ratio(frames[byLength[hi + 1]], frames[byLength[lo]]) : -1;
      boolean lower = ifLower >= 0 && ifLower <= maxRatio;
      boolean higher = ifHigher >= 0 && ifHigher <= maxRatio;
      if (lower && (!higher || ifLower <= ifHigher)) {
        lo--;
      } else if (higher) {
        hi++;
      } else {
        break;
      }
    }
    int[] picked = new int[hi - lo + 1];
    for (int k = lo; k <= hi; k++) {
      picked[k - lo] = byLength[k];
    }
    Arrays.sort(picked);
    return picked;
  }

  private static double ratio(int longer, int shorter) {
    return longer / (double) Math.max(1, shorter);
  }
}
