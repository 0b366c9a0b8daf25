package io.callqa.operators.sinks.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import io.callqa.operators.sinks.elasticsearch.EsDocument.Operation;
import org.junit.jupiter.api.Test;

class BulkItemOutcomeTest {
  @Test
  void successIsWrittenForBothOperations() {
    for (Operation op : Operation.values()) {
      assertThat(BulkItemOutcome.of(200, op)).isEqualTo(BulkItemOutcome.INDEXED);
      assertThat(BulkItemOutcome.of(201, op)).isEqualTo(BulkItemOutcome.INDEXED);
    }
  }

  @Test
  void overloadIsRetriedForBothOperations() {
    for (Operation op : Operation.values()) {
      for (int status : new int[] {408, 429, 502, 503, 504}) {
        assertThat(BulkItemOutcome.of(status, op))
            .as(op + " " + status)
            .isEqualTo(BulkItemOutcome.RETRY);
      }
    }
  }

  @Test
  void aVersionConflictIsTransientForAMergeOnly() {
    assertThat(BulkItemOutcome.of(409, Operation.MERGE)).isEqualTo(BulkItemOutcome.RETRY);
    assertThat(BulkItemOutcome.of(409, Operation.INDEX)).isEqualTo(BulkItemOutcome.DEAD_LETTER);
  }

  @Test
  void rejectedDocumentsAreDeadLettered() {
    for (Operation op : Operation.values()) {
      assertThat(BulkItemOutcome.of(400, op)).isEqualTo(BulkItemOutcome.DEAD_LETTER);
      assertThat(BulkItemOutcome.of(404, op)).isEqualTo(BulkItemOutcome.DEAD_LETTER);
      assertThat(BulkItemOutcome.of(500, op)).isEqualTo(BulkItemOutcome.DEAD_LETTER);
    }
  }
}
