package io.callqa.operators.sinks.elasticsearch;

import io.callqa.operators.sinks.elasticsearch.EsDocument.Operation;

/** What to do with one bulk item, by its HTTP status. */
enum BulkItemOutcome {
  INDEXED,
  /** Elasticsearch is overloaded or unavailable for this shard: try again later. */
  RETRY,
  /**
   * Elasticsearch rejected the document itself (mapping error, bad id, ...): retrying cannot help.
   */
  DEAD_LETTER;

  static BulkItemOutcome of(int status, Operation operation) {
    if (status >= 200 && status < 300) {
      return INDEXED;
    }
    if (status == 429 || status == 502 || status == 503 || status == 504 || status == 408) {
      return RETRY;
    }
    if (status == 409 && operation == Operation.MERGE) {
      // another merge into the same document won the race even after retry_on_conflict: merging
      // again is safe (a merge only sets its own fields), so this is transient, not a bad document
      return RETRY;
    }
    return DEAD_LETTER;
  }
}
