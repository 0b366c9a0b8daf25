package io.callqa.operators.sinks.elasticsearch;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Writes records to Elasticsearch with bulk requests (elasticsearch-java), one document per record
 * at a deterministic {@code _id}: indexed whole, or merged into the stored document ({@link
 * EsDocument.Operation}).
 *
 * <p><b>Delivery guarantee: at-least-once.</b> Buffered and in-flight documents are flushed before
 * a checkpoint completes and are part of the checkpointed state otherwise; after a failure some
 * documents may be written again, which overwrites them in place (same id), so the index ends up
 * exactly as if each record were written once (a merge sets the same fields again).
 *
 * <p>Per-item results: 429/503/timeouts are retried with exponential backoff; documents
 * Elasticsearch rejects (mapping errors, other 4xx) go to the dead-letter index with the reason; a
 * merge's version conflict (409) is retried. All outcomes are counted (metric group {@code
 * elasticsearch}).
 */
public final class ElasticsearchSink<T> extends AsyncSinkBase<T, EsDocument> {
  private final ElasticsearchSinkSettings settings;

  public ElasticsearchSink(EsDocumentMapper<T> mapper, ElasticsearchSinkSettings settings) {
    super(
        (element, context) -> mapper.toDocument(element),
        settings.maxBatchSize(),
        settings.maxInFlightRequests(),
        settings.maxBufferedRequests(),
        settings.maxBatchSizeInBytes(),
        settings.maxTimeInBufferMs(),
        settings.maxBatchSizeInBytes(),
        settings.requestTimeoutMs(),
        false);
    this.settings = settings;
  }

  @Override
  public StatefulSinkWriter<T, BufferedRequestState<EsDocument>> createWriter(
      WriterInitContext context) throws IOException {
    return restoreWriter(context, List.of());
  }

  @Override
  public StatefulSinkWriter<T, BufferedRequestState<EsDocument>> restoreWriter(
      WriterInitContext context, Collection<BufferedRequestState<EsDocument>> recovered)
      throws IOException {
    return new ElasticsearchSinkWriter<>(getElementConverter(), context, settings, recovered);
  }

  @Override
  public SimpleVersionedSerializer<BufferedRequestState<EsDocument>> getWriterStateSerializer() {
    return new EsDocumentStateSerializer();
  }
}
