package io.callqa.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LengthBucketsTest {

  @Test
  void aShallowQueueGoesInOneBatch() {
    assertThat(LengthBuckets.pick(new int[] {50, 40, 60, 55}, 16, 2.0)).containsExactly(0, 1, 2, 3);
    assertThat(LengthBuckets.pick(new int[] {7}, 16, 2.0)).containsExactly(0);
  }

  @Test
  void theOldestGoesWithTheLengthsClosestToIt() {
    //                       0    1    2   3    4    5   6
    int[] frames = {100, 300, 10, 95, 104, 500, 98};
    assertThat(LengthBuckets.pick(frames, 4, 2.0)).containsExactly(0, 3, 4, 6);
  }

  @Test
  void nothingIsPaddedToMoreThanTheRatio() {
    assertThat(LengthBuckets.pick(new int[] {10, 25, 19, 40}, 16, 2.0)).containsExactly(0, 2);
    assertThat(LengthBuckets.pick(new int[] {40, 10, 19, 25}, 16, 2.0)).containsExactly(0, 3);
  }

  @Test
  void aDeepQueueOfMixedLengthsGivesFullBatchesWithLittlePadding() {
    Random random = new Random(3);
    int[] frames = new int[128];
    Arrays.setAll(frames, i -> 8 + random.nextInt(130)); // slots of 0.5 to 8 s
    frames[0] = 70;
    int[] picked = LengthBuckets.pick(frames, 16, 2.0);

    assertThat(picked).hasSize(16).contains(0);
    int longest = Arrays.stream(picked).map(i -> frames[i]).max().orElseThrow();
    long sum = Arrays.stream(picked).mapToLong(i -> frames[i]).sum();
    double useful = sum / (16.0 * longest);
    assertThat(useful).as("frames that are not padding").isGreaterThan(0.85);
  }

  @Test
  void equalLengthsAreTakenOldestFirst() {
    assertThat(LengthBuckets.pick(new int[] {5, 5, 5, 5, 5}, 3, 2.0)).containsExactly(0, 1, 2);
  }
}
