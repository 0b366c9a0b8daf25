package io.callqa.operators.sinks.elasticsearch.documents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callqa.operators.sinks.elasticsearch.EsDocument;
import io.callqa.operators.sinks.elasticsearch.EsDocumentMapper;
import io.callqa.schemas.WebhookDelivery;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Puts a webhook outcome into its alert's own document: a merge ({@link EsDocument#merge}) of
 * {@code webhooks.<endpoint>} into the document that {@link AlertDocuments} writes for the alert,
 * same index and same id ({@code alertId}).
 *
 * <pre>{@code
 * "webhooks": {"qa-backend": {"endpoint": "qa-backend", "format": "generic", "outcome": "DELIVERED",
 *   "attempts": 1, "httpStatus": 200, "firstAttemptAtEpochMs": …, "completedAtEpochMs": …,
 *   "endToEndLatencyMs": 870, "deliveryId": "c-42/anger_escalation/0@qa-backend"}}
 * }</pre>
 *
 * <p>Keyed by endpoint, not a list: a merge replaces arrays whole, so each endpoint's outcome must
 * have its own path for outcomes of several endpoints (written independently) to add up. The merge
 * also carries {@code alertId}, {@code tenant}, {@code callId} and {@code rule} (the alert's own
 * values), so an outcome that reaches Elasticsearch before its alert already sits in a document
 * that says which alert it belongs to. A later outcome of the same alert and endpoint (a replay)
 * replaces the earlier one.
 *
 * <p>The index: the alert's day comes from its {@code startedAt} and {@code
 * triggerArrivedAtEpochMs}, which every outcome carries ({@code alertStartedAt}, {@code
 * alertTriggerArrivedAtEpochMs}). Only an alert with neither is dated by processing time, on each
 * path separately: around midnight UTC its outcome could then land in the next day's index.
 */
public final class AlertDeliveryDocuments implements EsDocumentMapper<WebhookDelivery> {
  private static final long serialVersionUID = 1L;

  /** Endpoint names used as field names as they are; anything else gets a hashed key. */
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

  /** Fields of the outcome that describe the alert, not the delivery: not repeated per endpoint. */
  private static final List<String> ALERT_FIELDS =
      List.of(
          "alertId", "tenant", "callId", "rule", "alertStartedAt", "alertTriggerArrivedAtEpochMs");

  private final Clock clock;
  private final AvroJson avro = AvroJson.skippingBytes();

  public AlertDeliveryDocuments() {
    this(Clock.systemUTC());
  }

  public AlertDeliveryDocuments(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public EsDocument toDocument(WebhookDelivery d) {
    Instant startedAt = d.getAlertStartedAt();
    Instant at =
        startedAt != null
            ? startedAt
            : AlertDocuments.recordTimeOrNow(d.getAlertTriggerArrivedAtEpochMs(), clock);
    return EsDocument.merge(
        AlertDocuments.index(d.getTenant(), startedAt, at),
        d.getAlertId(),
        DocumentFields.bytes(json(d)));
  }

  /** The partial document merged into the alert's document. */
  public ObjectNode json(WebhookDelivery d) {
    ObjectNode doc = avro.toJson(d);
    ObjectNode merge = doc.objectNode();
    for (String f : List.of("alertId", "tenant", "callId", "rule")) {
      merge.set(f, doc.get(f));
    }
    doc.remove(ALERT_FIELDS);
    // 0 means "never happened" (a circuit-open outcome makes no attempt): no 1970 dates
    for (String f : List.of("firstAttemptAtEpochMs", "completedAtEpochMs")) {
      if (doc.path(f).asLong() <= 0) {
        doc.remove(f);
      }
    }
    merge.putObject(AlertDocuments.WEBHOOKS).set(endpointKey(d.getEndpoint()), doc);
    return merge;
  }

  /**
   * The field name of an endpoint under {@code webhooks}: the name itself when it is a plain
   * identifier ({@code qa-backend}); otherwise (dots would nest fields, and some characters are not
   * allowed) the name with every other character replaced by {@code _} and a hash of the name
   * appended, so two endpoints never share a key. The outcome's {@code endpoint} field always holds
   * the name as configured.
   */
  public static String endpointKey(String endpoint) {
    if (endpoint != null && PLAIN_KEY.matcher(endpoint).matches()) {
      return endpoint;
    }
    String name = endpoint == null ? "" : endpoint;
    StringBuilder key = new StringBuilder();
    name.codePoints()
        .limit(48)
        .forEach(
            c ->
                key.append(
                    c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_')
                        ? (char) c
                        : '_'));
    if (key.isEmpty() || !Character.isLetterOrDigit(key.charAt(0))) {
      key.insert(0, "ep"); // a field name starting with _ may clash with metadata fields
    }
    CRC32 crc = new CRC32();
    crc.update(name.getBytes(StandardCharsets.UTF_8));
    return key + "_" + String.format(Locale.ROOT, "%08x", crc.getValue());
  }
}
