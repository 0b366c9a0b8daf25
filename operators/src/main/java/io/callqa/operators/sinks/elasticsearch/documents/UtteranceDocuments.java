package io.callqa.operators.sinks.elasticsearch.documents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callqa.operators.sinks.elasticsearch.EsDocument;
import io.callqa.operators.sinks.elasticsearch.EsDocumentMapper;
import io.callqa.operators.sinks.elasticsearch.documents.DocumentFields.TimeSource;
import io.callqa.schemas.Utterance;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Emits one document per {@link Utterance} into {@code callqa-utterances-<tenant>-<call start
 * day>}, at id {@code utteranceId} ({@code callId/CHANNEL/slotIndex}), so a replay overwrites.
 *
 * <p>Besides every field of the record: {@code @timestamp} = {@code startedAt + startMs} (the
 * moment the utterance began; processing time when {@code startedAt} is unknown, see {@link
 * TimeSource#PROCESSING}), {@code timeSource}, {@code role} (agent / customer / mixed), {@code
 * startSec}, {@code endSec} and {@code durationSec}.
 */
public final class UtteranceDocuments implements EsDocumentMapper<Utterance> {
  private static final long serialVersionUID = 1L;

  private final Clock clock;
  private final AvroJson avro = AvroJson.skippingBytes();

  public UtteranceDocuments() {
    this(Clock.systemUTC());
  }

  /** With the clock that stands in for a missing call start (tests pass a fixed one). */
  public UtteranceDocuments(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public EsDocument toDocument(Utterance u) {
    Instant start = u.getStartedAt();
    Instant day = start != null ? start : clock.instant();
    return new EsDocument(
        IndexNames.UTTERANCES.index(u.getTenant(), day), id(u), DocumentFields.bytes(json(u)));
  }

  /** The document's source. */
  public ObjectNode json(Utterance u) {
    ObjectNode doc = avro.toJson(u);
    Instant start = u.getStartedAt();
    if (start != null) {
      DocumentFields.putTime(doc, start.plusMillis(u.getStartMs()), TimeSource.CALL);
    } else {
      DocumentFields.putTime(doc, clock.instant(), TimeSource.PROCESSING);
    }
    doc.put(DocumentFields.ROLE, DocumentFields.role(u.getChannel()));
    doc.put("startSec", DocumentFields.seconds(u.getStartMs()));
    doc.put("endSec", DocumentFields.seconds(u.getEndMs()));
    doc.put("durationSec", DocumentFields.seconds(u.getEndMs() - u.getStartMs()));
    return doc;
  }

  /** {@code utteranceId}, or {@code callId/CHANNEL/slotIndex} when a producer left it empty. */
  public static String id(Utterance u) {
    String id = u.getUtteranceId();
    if (id != null && !id.isEmpty()) {
      return id;
    }
    return u.getCallId() + "/" + u.getChannel() + "/" + u.getSlotIndex();
  }
}
