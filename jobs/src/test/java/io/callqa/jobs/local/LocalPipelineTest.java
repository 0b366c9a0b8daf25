package io.callqa.jobs.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPipelineTest {
  @TempDir Path dir;

  /**
   * Checkpoints kept in the JobManager's memory fail over 5 MB of state per task (840 concurrent
   * channels in {@code bench pipeline --repeat 30}): every job, retained or not, writes them to
   * disk and survives a failed one.
   */
  @Test
  void checkpointsGoToDiskEvenWhenNotRetained() {
    Configuration conf = LocalPipeline.configuration(LocalPipeline.Checkpoints.scratch(dir), 0, 2);

    assertThat(conf.get(CheckpointingOptions.CHECKPOINT_STORAGE)).isEqualTo("filesystem");
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
        .isEqualTo(dir.toUri().toString());
    assertThat(conf.get(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER)).isEqualTo(3);
    assertThat(conf.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
        .isEqualTo(ExternalizedCheckpointRetention.NO_EXTERNALIZED_CHECKPOINTS);
    assertThat(conf.getOptional(StateRecoveryOptions.SAVEPOINT_PATH)).isEmpty();
  }

  @Test
  void retainedCheckpointsSurviveCancellationAndCanBeRestored() {
    Path chk = dir.resolve("job/chk-2");
    Configuration conf =
        LocalPipeline.configuration(
            LocalPipeline.Checkpoints.retainIn(dir).restoringFrom(chk), 0, 2);

    assertThat(conf.get(CheckpointingOptions.CHECKPOINT_STORAGE)).isEqualTo("filesystem");
    assertThat(conf.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
        .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    assertThat(conf.get(StateRecoveryOptions.SAVEPOINT_PATH)).isEqualTo(chk.toString());
  }
}
