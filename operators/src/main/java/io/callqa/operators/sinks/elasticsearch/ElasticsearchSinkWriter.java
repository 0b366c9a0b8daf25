package io.callqa.operators.sinks.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.util.BinaryData;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends buffered documents as bulk requests ({@code index}, or {@code update} with {@code
 * doc_as_upsert} for merges) and sorts the per-item results: written, retried later
 * (429/503/timeouts, and version conflicts of merges, with backoff), or written to the dead-letter
 * index with the reason.
 */
final class ElasticsearchSinkWriter<T> extends AsyncSinkWriter<T, EsDocument> {
  private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchSinkWriter.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JSON_TYPE = "application/json";

  /** Elasticsearch's own retries of a merge whose document changed between its read and write. */
  static final int MERGE_RETRIES_ON_CONFLICT = 5;

  private final ElasticsearchSinkSettings settings;
  private final ElasticsearchAsyncClient client;
  private final ScheduledExecutorService retryTimer;
  private final Random jitter = new Random();
  private final Counter indexed;
  private final Counter retried;
  private final Counter deadLettered;
  private final Counter deadLetterWriteFailures;
  private final Counter requestFailures;

  ElasticsearchSinkWriter(
      ElementConverter<T, EsDocument> converter,
      WriterInitContext context,
      ElasticsearchSinkSettings settings,
      Collection<BufferedRequestState<EsDocument>> restored) {
    super(
        converter,
        context,
        AsyncSinkWriterConfiguration.builder()
            .setMaxBatchSize(settings.maxBatchSize())
            .setMaxBatchSizeInBytes(settings.maxBatchSizeInBytes())
            .setMaxInFlightRequests(settings.maxInFlightRequests())
            .setMaxBufferedRequests(settings.maxBufferedRequests())
            .setMaxTimeInBufferMS(settings.maxTimeInBufferMs())
            .setMaxRecordSizeInBytes(settings.maxBatchSizeInBytes())
            .setRequestTimeoutMS(settings.requestTimeoutMs())
            .setFailOnTimeout(false)
            .build(),
        restored);
    this.settings = settings;
    this.client = settings.connection().newAsyncClient();
    this.retryTimer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "es-sink-retry");
              t.setDaemon(true);
              return t;
            });
    var metrics = context.metricGroup().addGroup("elasticsearch");
    this.indexed = metrics.counter("documentsIndexed");
    this.retried = metrics.counter("documentsRetried");
    this.deadLettered = metrics.counter("documentsDeadLettered");
    this.deadLetterWriteFailures = metrics.counter("deadLetterWriteFailures");
    this.requestFailures = metrics.counter("bulkRequestFailures");
  }

  @Override
  protected void submitRequestEntries(List<EsDocument> docs, ResultHandler<EsDocument> result) {
    client
        .bulk(bulkOf(docs))
        .whenComplete(
            (response, error) -> {
              if (error != null) {
                // the whole request failed (connection, timeout): nothing is lost, all are retried
                requestFailures.inc();
                LOG.warn(
                    "bulk request of {} documents failed, retrying: {}",
                    docs.size(),
                    error.toString());
                retryLater(docs.stream().map(EsDocument::retried).toList(), result);
              } else {
                sortResults(docs, response, result);
              }
            });
  }

  private void sortResults(
      List<EsDocument> docs, BulkResponse response, ResultHandler<EsDocument> result) {
    List<EsDocument> retry = new ArrayList<>();
    List<ObjectNode> dead = new ArrayList<>();
    List<BulkResponseItem> items = response.items();
    for (int i = 0; i < items.size(); i++) {
      BulkResponseItem item = items.get(i);
      EsDocument doc = docs.get(i);
      switch (BulkItemOutcome.of(item.status(), doc.operation())) {
        case INDEXED -> indexed.inc();
        case RETRY -> {
          if (doc.attempts() < settings.maxItemRetries()) {
            retry.add(doc.retried());
          } else {
            dead.add(deadLetter(doc, item, "RETRIES_EXHAUSTED"));
          }
        }
        case DEAD_LETTER -> dead.add(deadLetter(doc, item, "REJECTED"));
      }
    }
    if (!dead.isEmpty()) {
      writeDeadLetters(dead);
    }
    if (retry.isEmpty()) {
      result.complete();
    } else {
      retried.inc(retry.size());
      retryLater(retry, result);
    }
  }

  /**
   * Holds the retried documents back for a backoff before handing them to the writer again; the
   * request stays in flight meanwhile, so an overloaded cluster slows the job down (backpressure)
   * instead of being hammered.
   */
  private void retryLater(List<EsDocument> docs, ResultHandler<EsDocument> result) {
    int attempt = docs.stream().mapToInt(EsDocument::attempts).max().orElse(1);
    long delay = settings.backoffMs(attempt, jitter);
    retryTimer.schedule(() -> result.retryForEntries(docs), delay, TimeUnit.MILLISECONDS);
  }

  private ObjectNode deadLetter(EsDocument doc, BulkResponseItem item, String reason) {
    ObjectNode d = JSON.createObjectNode();
    d.put("stage", "es-sink");
    d.put("reason", reason);
    d.put("status", item.status());
    if (item.error() != null) {
      d.put("errorType", item.error().type());
      d.put("detail", item.error().reason());
    }
    d.put("index", doc.index());
    d.put("documentId", doc.id());
    d.put("operation", doc.operation().name().toLowerCase(Locale.ROOT));
    d.put("attempts", doc.attempts());
    d.put("source", new String(doc.json(), StandardCharsets.UTF_8));
    d.put("atEpochMs", System.currentTimeMillis());
    LOG.warn(
        "document {}/{} dead-lettered ({} {}): {}",
        doc.index(),
        doc.id(),
        reason,
        item.status(),
        item.error() != null ? item.error().reason() : "");
    return d;
  }

  private void writeDeadLetters(List<ObjectNode> dead) {
    deadLettered.inc(dead.size());
    BulkRequest.Builder b = new BulkRequest.Builder();
    for (ObjectNode d : dead) {
      byte[] json = d.toString().getBytes(StandardCharsets.UTF_8);
      String id = d.get("index").asText() + "/" + d.get("documentId").asText();
      b.operations(
          op ->
              op.index(
                  i ->
                      i.index(settings.deadLetterIndex())
                          .id(id)
                          .document(BinaryData.of(json, JSON_TYPE))));
    }
    client
        .bulk(b.build())
        .whenComplete(
            (r, e) -> {
              if (e != null || r.errors()) {
                deadLetterWriteFailures.inc(dead.size());
                LOG.error(
                    "could not write {} dead letters to {}: {}",
                    dead.size(),
                    settings.deadLetterIndex(),
                    e != null ? e.toString() : "item errors");
              }
            });
  }

  static BulkRequest bulkOf(List<EsDocument> docs) {
    BulkRequest.Builder b = new BulkRequest.Builder();
    for (EsDocument doc : docs) {
      switch (doc.operation()) {
        case INDEX ->
            b.operations(
                op ->
                    op.index(
                        i ->
                            i.index(doc.index())
                                .id(doc.id())
                                .document(BinaryData.of(doc.json(), JSON_TYPE))));
        case MERGE ->
            b.operations(
                op ->
                    op.update(
                        u ->
                            u.index(doc.index())
                                .id(doc.id())
                                // two writers merging into one document at once: Elasticsearch
                                // re-reads and re-applies instead of failing with 409
                                .retryOnConflict(MERGE_RETRIES_ON_CONFLICT)
                                .binaryAction(BinaryData.of(mergeAction(doc.json()), JSON_TYPE))));
      }
    }
    return b.build();
  }

  /** {@code {"doc":<json>,"doc_as_upsert":true}}, the source bytes copied as they are. */
  static byte[] mergeAction(byte[] json) {
    byte[] head = "{\"doc\":".getBytes(StandardCharsets.UTF_8);
    byte[] tail = ",\"doc_as_upsert\":true}".getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + json.length + tail.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(json, 0, out, head.length, json.length);
    System.arraycopy(tail, 0, out, head.length + json.length, tail.length);
    return out;
  }

  @Override
  protected long getSizeInBytes(EsDocument doc) {
    return doc.sizeInBytes();
  }

  @Override
  public void close() {
    super.close();
    retryTimer.shutdownNow();
    try {
      client._transport().close();
    } catch (Exception e) {
      LOG.warn("closing the Elasticsearch client failed: {}", e.toString());
    }
  }
}
