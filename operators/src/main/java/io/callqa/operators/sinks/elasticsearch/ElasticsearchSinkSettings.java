package io.callqa.operators.sinks.elasticsearch;

import java.io.Serializable;

/**
 * How the Elasticsearch sink batches and retries.
 *
 * @param deadLetterIndex where documents Elasticsearch rejects (mapping errors, other 4xx) go, with
 *     the reason
 * @param maxItemRetries how often a document refused with 429 / 503 is retried before it is
 *     dead-lettered
 * @param initialBackoffMs first retry delay; doubled per attempt up to {@code maxBackoffMs}, with
 *     jitter
 */
public record ElasticsearchSinkSettings(
    ElasticsearchConnection connection,
    String deadLetterIndex,
    int maxBatchSize,
    int maxInFlightRequests,
    int maxBufferedRequests,
    long maxBatchSizeInBytes,
    long maxTimeInBufferMs,
    long requestTimeoutMs,
    int maxItemRetries,
    long initialBackoffMs,
    long maxBackoffMs)
    implements Serializable {

  public static final String DEFAULT_DEAD_LETTER_INDEX = "callqa-deadletters";

  public ElasticsearchSinkSettings {
    require(connection != null, "connection is required");
    require(
        deadLetterIndex != null && !deadLetterIndex.isBlank(), "deadLetterIndex must not be blank");
    require(maxBatchSize > 0, "maxBatchSize must be > 0, was " + maxBatchSize);
    require(maxInFlightRequests > 0, "maxInFlightRequests must be > 0, was " + maxInFlightRequests);
    require(
        maxBufferedRequests >= maxBatchSize,
        "maxBufferedRequests ("
            + maxBufferedRequests
            + ") must be >= maxBatchSize ("
            + maxBatchSize
            + ")");
    require(maxBatchSizeInBytes > 0, "maxBatchSizeInBytes must be > 0");
    require(maxTimeInBufferMs > 0, "maxTimeInBufferMs must be > 0");
    require(requestTimeoutMs > 0, "requestTimeoutMs must be > 0");
    require(maxItemRetries >= 0, "maxItemRetries must be >= 0");
    require(
        initialBackoffMs > 0 && maxBackoffMs >= initialBackoffMs,
        "need 0 < initialBackoffMs <= maxBackoffMs");
  }

  /**
   * Defaults: batches of up to 500 documents or 5 MB, flushed at least every 200 ms (alerts and
   * utterances should appear within a second), 2 bulk requests in flight, 5 item retries, backoff
   * 100 ms .. 10 s.
   */
  public static ElasticsearchSinkSettings defaults(ElasticsearchConnection connection) {
    return new ElasticsearchSinkSettings(
        connection,
        DEFAULT_DEAD_LETTER_INDEX,
        500,
        2,
        10_000,
        5L << 20,
        200,
        30_000,
        5,
        100,
        10_000);
  }

  public ElasticsearchSinkSettings withMaxTimeInBufferMs(long ms) {
    return new ElasticsearchSinkSettings(
        connection,
        deadLetterIndex,
        maxBatchSize,
        maxInFlightRequests,
        maxBufferedRequests,
        maxBatchSizeInBytes,
        ms,
        requestTimeoutMs,
        maxItemRetries,
        initialBackoffMs,
        maxBackoffMs);
  }

  /**
   * Backoff before retry number {@code attempt} (1-based): exponential, capped, full jitter on top
   * half.
   */
  long backoffMs(int attempt, java.util.Random random) {
    long exp = initialBackoffMs << Math.min(Math.max(attempt - 1, 0), 20);
    long capped = Math.min(exp, maxBackoffMs);
    return capped / 2 + (long) (random.nextDouble() * (capped / 2 + 1));
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("elasticsearch sink: " + message);
    }
  }
}
