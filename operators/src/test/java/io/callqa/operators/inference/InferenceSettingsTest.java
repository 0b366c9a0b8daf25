package io.callqa.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InferenceSettingsTest {
  private static final int CORES = Runtime.getRuntime().availableProcessors();
  private static final InferenceSettings CPU = InferenceSettings.defaults("m");

  @Test
  void onCpuTheDefaultIsOneWorkerPerCoreUpToFourSharingTheCores() {
    int workers = Math.min(CORES, InferenceSettings.MAX_DEFAULT_WORKERS);
    assertThat(CPU.effectiveWorkers()).isEqualTo(workers);
    assertThat(CPU.threadsPerWorker()).isEqualTo(Math.max(1, CORES / workers));
  }

  @Test
  void onAGpuTheDefaultIsOneWorker() {
    InferenceSettings gpu =
        new InferenceSettings("m", "gpu:1", 16, 20, 0, 0, 0, "auto", "withitn", 1000, 4, 1);
    assertThat(gpu.effectiveWorkers()).isEqualTo(1);
  }

  @Test
  void explicitValuesWin() {
    InferenceSettings s = CPU.withWorkers(3, 5);
    assertThat(s.effectiveWorkers()).isEqualTo(3);
    assertThat(s.threadsPerWorker()).isEqualTo(5);
    assertThat(CPU.withWorkers(64, 0).threadsPerWorker()).isEqualTo(1);
  }

  @Test
  void refusesANegativeOrHugeWorkerCount() {
    assertThatThrownBy(() -> CPU.withWorkers(-1, 0)).hasMessageContaining("workers must be 0..64");
    assertThatThrownBy(() -> CPU.withWorkers(65, 0)).hasMessageContaining("workers must be 0..64");
  }
}
