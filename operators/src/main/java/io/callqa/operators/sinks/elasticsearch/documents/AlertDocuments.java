package io.callqa.operators.sinks.elasticsearch.documents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callqa.operators.sinks.elasticsearch.EsDocument;
import io.callqa.operators.sinks.elasticsearch.EsDocumentMapper;
import io.callqa.operators.sinks.elasticsearch.documents.DocumentFields.TimeSource;
import io.callqa.schemas.Alert;
import io.callqa.schemas.Evidence;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Emits one document per {@link Alert} into {@code callqa-alerts-<tenant>-<day>}, at id {@code
 * alertId} ({@code callId/rule/episode}), so a replay overwrites.
 *
 * <p>The document is written as a <b>merge</b> ({@link EsDocument#merge}), not a full replace: the
 * same document also receives the alert's webhook outcomes ({@value #WEBHOOKS}, from {@link
 * AlertDeliveryDocuments}) through another sink, possibly before the alert itself and again on
 * every replay; a merge of the alert's fields leaves them in place.
 *
 * <p>Besides every field of the record ({@code evidence} is a {@code nested} field, each item with
 * an added {@code role}, {@code startSec} and {@code endSec}): {@code @timestamp}, {@code
 * timeSource}, {@code atSec}, {@code evidenceCount}, and {@code evidenceSummary}: one line per
 * evidence utterance ({@code customer 12.3s: text}) for tables, which cannot show nested fields.
 *
 * <p>{@code @timestamp} and the index day: the call's start plus {@code atMs} when the record has a
 * {@code startedAt} field (the schema does not have one yet; it is picked up as soon as it is
 * added); otherwise the wall clock when the triggering audio arrived ({@code
 * triggerArrivedAtEpochMs}, close to real time in a live pipeline); otherwise processing time.
 */
public final class AlertDocuments implements EsDocumentMapper<Alert> {
  private static final long serialVersionUID = 1L;

  /** Field of the alert document holding its webhook outcomes, keyed by endpoint. */
  public static final String WEBHOOKS = "webhooks";

  /** The longest evidence text kept in {@code evidenceSummary} lines. */
  static final int SUMMARY_TEXT_CHARS = 200;

  private final Clock clock;
  private final AvroJson avro = AvroJson.skippingBytes();

  public AlertDocuments() {
    this(Clock.systemUTC());
  }

  public AlertDocuments(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public EsDocument toDocument(Alert a) {
    Instant at = eventTime(a);
    return EsDocument.merge(
        index(a.getTenant(), DocumentFields.optionalInstant(a, "startedAt"), at),
        id(a),
        DocumentFields.bytes(json(a, at)));
  }

  /** The document's source. */
  public ObjectNode json(Alert a) {
    return json(a, eventTime(a));
  }

  private ObjectNode json(Alert a, Instant at) {
    ObjectNode doc = avro.toJson(a);
    DocumentFields.putTime(doc, at, timeSource(a));
    doc.put("atSec", DocumentFields.seconds(a.getAtMs()));
    List<Evidence> evidence = a.getEvidence();
    JsonNode evidenceNodes = doc.get("evidence");
    ArrayNode summary = doc.putArray("evidenceSummary");
    for (int i = 0; i < evidence.size(); i++) {
      Evidence e = evidence.get(i);
      ObjectNode node = (ObjectNode) evidenceNodes.get(i);
      node.put(DocumentFields.ROLE, DocumentFields.role(e.getChannel()));
      node.put("startSec", DocumentFields.seconds(e.getStartMs()));
      node.put("endSec", DocumentFields.seconds(e.getEndMs()));
      summary.add(summaryLine(e));
    }
    doc.put("evidenceCount", evidence.size());
    return doc;
  }

  /** {@code customer 12.3s [ANGRY]: text}, the text cut at {@value #SUMMARY_TEXT_CHARS} chars. */
  static String summaryLine(Evidence e) {
    String text = e.getText() == null ? "" : e.getText();
    if (text.length() > SUMMARY_TEXT_CHARS) {
      text = text.substring(0, SUMMARY_TEXT_CHARS) + "…";
    }
    String emotion =
        e.getEmotion() == null || e.getEmotion().isEmpty() ? "" : " [" + e.getEmotion() + "]";
    return String.format(
        Locale.ROOT,
        "%s %.1fs%s: %s",
        DocumentFields.role(e.getChannel()),
        DocumentFields.seconds(e.getStartMs()),
        emotion,
        text);
  }

  /** {@code alertId}, or {@code callId/rule/episode} when a producer left it empty. */
  public static String id(Alert a) {
    String id = a.getAlertId();
    if (id != null && !id.isEmpty()) {
      return id;
    }
    return a.getCallId() + "/" + a.getRule() + "/" + a.getEpisode();
  }

  private Instant eventTime(Alert a) {
    Instant start = DocumentFields.optionalInstant(a, "startedAt");
    if (start != null) {
      return start.plusMillis(a.getAtMs());
    }
    return recordTimeOrNow(a.getTriggerArrivedAtEpochMs(), clock);
  }

  /**
   * The alert's index. Everything that decides it is in the alert's webhook outcomes too ({@code
   * alertStartedAt}, {@code alertTriggerArrivedAtEpochMs}), so {@link AlertDeliveryDocuments} finds
   * the same index through this method.
   *
   * @param eventTime the alert's time, used for the day when the call start is not known
   */
  static String index(String tenant, Instant startedAt, Instant eventTime) {
    // the call's start day when known, so all of a call's alerts share one index
    return IndexNames.ALERTS.index(tenant, startedAt != null ? startedAt : eventTime);
  }

  /** The trigger arrival's wall clock, or processing time when the alert has none. */
  static Instant recordTimeOrNow(long triggerArrivedAtEpochMs, Clock clock) {
    return triggerArrivedAtEpochMs > 0
        ? Instant.ofEpochMilli(triggerArrivedAtEpochMs)
        : clock.instant();
  }

  private static TimeSource timeSource(Alert a) {
    if (DocumentFields.optionalInstant(a, "startedAt") != null) {
      return TimeSource.CALL;
    }
    return a.getTriggerArrivedAtEpochMs() > 0 ? TimeSource.RECORD : TimeSource.PROCESSING;
  }
}
