package io.callqa.operators.time;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WatermarkProgressTest {
  final WatermarkProgress sources = new WatermarkProgress();

  @Test
  void withoutAnyWatermarkNothingCountsAsStillBeingRead() {
    sources.observe(Long.MIN_VALUE, 1_000);
    assertThat(sources.stillReading(5_000, 1_000, 30_000)).isFalse();
  }

  @Test
  void aWatermarkBehindTheRecordThatMovedWithinTheWindowIsStillReading() {
    sources.observe(2_000, 10_000);
    assertThat(sources.stillReading(5_000, 39_999, 30_000)).isTrue();
    assertThat(sources.stillReading(5_000, 40_000, 30_000)).as("stood still").isFalse();
    assertThat(sources.stillReading(2_000, 10_000, 30_000)).as("read up to it").isFalse();
  }

  @Test
  void onlyAnAdvanceRestartsTheWindow() {
    sources.observe(2_000, 10_000);
    sources.observe(2_000, 35_000); // same watermark, later
    sources.observe(1_000, 36_000); // an older one
    assertThat(sources.stillReading(5_000, 40_000, 30_000)).isFalse();
    sources.observe(3_000, 41_000);
    assertThat(sources.stillReading(5_000, 70_000, 30_000)).isTrue();
  }
}
