package io.callqa.operators.sinks.elasticsearch.documents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callqa.operators.sinks.elasticsearch.EsDocument;
import io.callqa.operators.sinks.elasticsearch.EsDocumentMapper;
import io.callqa.operators.sinks.elasticsearch.documents.DocumentFields.TimeSource;
import io.callqa.schemas.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Emits one document per {@link DeadLetter} into {@code callqa-deadletters-<tenant>-<day>} (tenant
 * {@code unknown} when the input was too broken to tell), so rejected input is visible in Kibana.
 *
 * <p>The raw key and value bytes are left out (they are kept on the dead-letter topic for replay);
 * the document has their sizes ({@code rawKeyBytes}, {@code rawValueBytes}) and the key as text
 * ({@code rawKeyText}) when it is short UTF-8, as call ids are.
 *
 * <p>Id: {@code topic/partition@offset} when the dead letter came from Kafka (a replay of the same
 * input overwrites), otherwise a SHA-256 of its stage, reason, call, channel, seq, detail and raw
 * value.
 */
public final class DeadLetterDocuments implements EsDocumentMapper<DeadLetter> {
  private static final long serialVersionUID = 1L;

  /** Keys longer than this are not copied as text. */
  static final int MAX_KEY_TEXT_BYTES = 256;

  private final Clock clock;
  private final AvroJson avro = AvroJson.skippingBytes();

  public DeadLetterDocuments() {
    this(Clock.systemUTC());
  }

  public DeadLetterDocuments(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public EsDocument toDocument(DeadLetter d) {
    return new EsDocument(
        IndexNames.DEAD_LETTERS.index(d.getTenant(), time(d)),
        id(d),
        DocumentFields.bytes(json(d)));
  }

  /** The document's source. */
  public ObjectNode json(DeadLetter d) {
    ObjectNode doc = avro.toJson(d);
    DocumentFields.putTime(
        doc, time(d), d.getAtEpochMs() > 0 ? TimeSource.RECORD : TimeSource.PROCESSING);
    if (d.getRawKey() != null) {
      doc.put("rawKeyBytes", d.getRawKey().remaining());
      String text = utf8(d.getRawKey());
      if (text != null) {
        doc.put("rawKeyText", text);
      }
    }
    if (d.getRawValue() != null) {
      doc.put("rawValueBytes", d.getRawValue().remaining());
    }
    return doc;
  }

  private Instant time(DeadLetter d) {
    return d.getAtEpochMs() > 0 ? Instant.ofEpochMilli(d.getAtEpochMs()) : clock.instant();
  }

  /** Deterministic: the Kafka position when known, else a digest of what the dead letter says. */
  public static String id(DeadLetter d) {
    if (d.getSourceTopic() != null
        && d.getSourcePartition() != null
        && d.getSourceOffset() != null) {
      return d.getSourceTopic() + "/" + d.getSourcePartition() + "@" + d.getSourceOffset();
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Object part :
          new Object[] {
            d.getStage(),
            d.getReason(),
            d.getTenant(),
            d.getCallId(),
            d.getChannel(),
            d.getSeq(),
            d.getDetail()
          }) {
        sha.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      if (d.getRawValue() != null) {
        sha.update(d.getRawValue().duplicate());
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private static String utf8(ByteBuffer raw) {
    if (raw.remaining() == 0 || raw.remaining() > MAX_KEY_TEXT_BYTES) {
      return null;
    }
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(raw.duplicate());
      String s = chars.toString();
      return s.chars().anyMatch(c -> Character.isISOControl(c)) ? null : s;
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
