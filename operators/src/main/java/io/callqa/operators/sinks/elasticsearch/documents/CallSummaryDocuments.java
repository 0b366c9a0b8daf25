package io.callqa.operators.sinks.elasticsearch.documents;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callqa.operators.sinks.elasticsearch.EsDocument;
import io.callqa.operators.sinks.elasticsearch.EsDocumentMapper;
import io.callqa.operators.sinks.elasticsearch.documents.DocumentFields.TimeSource;
import io.callqa.schemas.CallSummary;
import io.callqa.schemas.Coverage;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Emits one document per {@link CallSummary} into {@code callqa-calls-<tenant>-<call start day>},
 * at id {@code callId}, so a replay (or a later, more complete summary) overwrites.
 *
 * <p>Besides every field of the record ({@code alertsByRule} stays an object of counts per rule):
 *
 * <ul>
 *   <li>{@code @timestamp} = {@code startedAt} (processing time when unknown), {@code timeSource},
 *       {@code endedAt} = start + duration (when the start is known), {@code durationSec};
 *   <li>{@code alertRules}: the rules that fired at least once, sorted (keyword array: "calls with
 *       rule X" is a terms query), and {@code alertsTotal};
 *   <li>{@code coveragePercent}: recognised slots / slots cut × 100 (100 when no slot was cut);
 *       {@code coverageComplete}: every chunk accepted and every slot cut has an outcome
 *       (recognised or failed) — the proof that the call was inspected end to end;
 *   <li>{@code scoreBand}: the score's ten-point band ({@code 00-09} … {@code 90-100}), for the
 *       score distribution, when the call has a score.
 * </ul>
 */
public final class CallSummaryDocuments implements EsDocumentMapper<CallSummary> {
  private static final long serialVersionUID = 1L;

  private final Clock clock;
  private final AvroJson avro = AvroJson.skippingBytes();

  public CallSummaryDocuments() {
    this(Clock.systemUTC());
  }

  public CallSummaryDocuments(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public EsDocument toDocument(CallSummary c) {
    Instant start = c.getStartedAt() != null ? c.getStartedAt() : clock.instant();
    return new EsDocument(
        IndexNames.CALLS.index(c.getTenant(), start), c.getCallId(), DocumentFields.bytes(json(c)));
  }

  /** The document's source. */
  public ObjectNode json(CallSummary c) {
    ObjectNode doc = avro.toJson(c);
    Instant start = c.getStartedAt();
    if (start != null) {
      DocumentFields.putTime(doc, start, TimeSource.CALL);
      doc.put("endedAt", DocumentFields.iso(start.plusMillis(c.getDurationMs())));
    } else {
      DocumentFields.putTime(doc, clock.instant(), TimeSource.PROCESSING);
    }
    doc.put("durationSec", DocumentFields.seconds(c.getDurationMs()));

    ArrayNode rules = doc.putArray("alertRules");
    int total = 0;
    for (Map.Entry<String, Integer> e : new TreeMap<>(c.getAlertsByRule()).entrySet()) {
      int n = e.getValue() == null ? 0 : e.getValue();
      if (n > 0) {
        rules.add(e.getKey());
        total += n;
      }
    }
    doc.put("alertsTotal", total);

    Coverage cov = c.getCoverage();
    if (cov != null) {
      doc.put("coveragePercent", coveragePercent(cov));
      doc.put("coverageComplete", coverageComplete(cov));
    }
    if (c.getScore() != null && Double.isFinite(c.getScore())) {
      doc.put("scoreBand", scoreBand(c.getScore()));
    }
    return doc;
  }

  /** Recognised slots / slots cut × 100, rounded to 0.01; 100 when nothing was cut. */
  static double coveragePercent(Coverage cov) {
    if (cov.getSlotsCut() <= 0) {
      return 100.0;
    }
    double percent = 100.0 * cov.getSlotsRecognised() / cov.getSlotsCut();
    return Math.round(Math.min(percent, 100.0) * 100.0) / 100.0;
  }

  /** No chunk rejected, and every slot cut was either recognised or failed (none lost). */
  static boolean coverageComplete(Coverage cov) {
    return cov.getChunksRejected() == 0
        && cov.getSlotsRecognised() + cov.getSlotsFailed() == cov.getSlotsCut();
  }

  /** {@code 00-09}, {@code 10-19}, … {@code 80-89}, {@code 90-100}: sorts alphabetically. */
  static String scoreBand(double score) {
    int low = (int) Math.floor(Math.max(0, Math.min(score, 100)) / 10.0) * 10;
    if (low >= 90) {
      return "90-100";
    }
    return String.format(Locale.ROOT, "%02d-%02d", low, low + 9);
  }
}
