package io.callqa.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class CheckpointStorageWarningTest {
  @Test
  void warnsWhenCheckpointsWouldStayInTheJobManagersMemory() {
    assertThat(CallQaJob.checkpointStorageWarning(new Configuration()))
        .hasValueSatisfying(w -> assertThat(w).contains("5 MB").contains("filesystem"));

    Configuration jobManager = new Configuration();
    jobManager.set(CheckpointingOptions.CHECKPOINT_STORAGE, "jobmanager");
    jobManager.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, "file:///tmp/chk");
    assertThat(CallQaJob.checkpointStorageWarning(jobManager)).isPresent();
  }

  @Test
  void quietWithADurableCheckpointDirectory() {
    Configuration conf = new Configuration();
    conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, "s3://bucket/checkpoints");
    assertThat(CallQaJob.checkpointStorageWarning(conf)).isEmpty();

    Configuration dirOnly = new Configuration();
    dirOnly.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, "file:///shared/checkpoints");
    assertThat(CallQaJob.checkpointStorageWarning(dirOnly)).isEmpty();
  }
}
