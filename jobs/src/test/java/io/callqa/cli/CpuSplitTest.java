package io.callqa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuSplitTest {
  @Test
  void statLineWithParenthesesAndSpacesInTheName() {
    String line =
        "4242 (slotter: reorde) S 1 4242 4242 0 -1 4194368 1200 0 0 0 350 27 0 0 20 0 1 0 9000 0 0";

    CpuSplit.Stat stat = CpuSplit.Stat.parse(line);

    assertThat(stat.name()).isEqualTo("slotter: reorde");
    assertThat(stat.ticks()).isEqualTo(377);
    assertThat(CpuSplit.Stat.parse("7 (a (b) c) R 1 1 1 0 -1 0 0 0 0 0 5 6 0 0").ticks())
        .isEqualTo(11);
  }

  @Test
  void threadsAreGroupedByTheirRole() {
    assertThat(CpuSplit.threadPart("callqa-batcher-")).startsWith("model");
    assertThat(CpuSplit.threadPart("slotter: reorde")).startsWith("slotter");
    assertThat(CpuSplit.threadPart("C2 CompilerThre")).isEqualTo("JIT compiler");
    assertThat(CpuSplit.threadPart("Call sequencer ")).startsWith("rest of the job");
  }

  @Test
  void aBusyThreadShowsUpInItsPart() throws Exception {
    CpuSplit before = CpuSplit.snapshot();
    Thread busy =
        new Thread(
            () -> {
              long end = System.nanoTime() + 300_000_000L;
              double x = 0;
              while (System.nanoTime() < end) {
                x += Math.sqrt(x + 1);
              }
              if (x < 0) {
                throw new AssertionError();
              }
            },
            "slotter: test");
    Thread restBusy = new Thread(busy::run, "Rules 12 test");
    busy.start();
    restBusy.start();
    Thread.sleep(200); // still running at the second snapshot
    CpuSplit after = CpuSplit.snapshot();
    busy.join();
    restBusy.join();
    Map<String, Double> seconds = after.secondsSince(before);

    assertThat(seconds.get(CpuSplit.threadPart("slotter: test"))).isGreaterThan(0.05);
    assertThat(after.machineBusySecondsSince(before)).isGreaterThan(0.05);
    // the rest of the job by thread name, numbers folded
    assertThat(after.restThreadSecondsSince(before).get("Rules # test")).isPositive();
    assertThat(after.restThreadSecondsSince(before)).doesNotContainKey("slotter: test");
  }
}
