package io.callqa.schemas.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callqa.schemas.AudioEncoding;
import io.callqa.schemas.CallAudioChunk;
import io.callqa.schemas.CallEvent;
import io.callqa.schemas.CallEventType;
import io.callqa.schemas.Channel;
import io.callqa.schemas.Utterance;
import io.callqa.schemas.wire.WireFormatException.Reason;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class AvroWireTest {
  /** CallEvent as a first version might have had it: without the attributes map. */
  private static final Schema CALL_EVENT_V0 =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "CallEvent", "namespace": "io.callqa.schemas", "fields": [
                {"name": "tenant", "type": "string"},
                {"name": "callId", "type": "string"},
                {"name": "type", "type": {"type": "enum", "name": "CallEventType",
                  "symbols": ["STARTED", "ENDED", "TRANSFERRED", "HOLD_START", "HOLD_END", "BOT_TO_AGENT"]}},
                {"name": "atMs", "type": "long"}
              ]}""");

  private static CallAudioChunk chunk() {
    return CallAudioChunk.newBuilder()
        .setTenant("acme")
        .setCallId("call-1")
        .setChannel(Channel.CUSTOMER)
        .setSeq(7)
        .setOffsetMs(1400)
        .setSampleRate(8000)
        .setEncoding(AudioEncoding.PCMU)
        .setPayload(ByteBuffer.wrap(new byte[] {1, 2, 3, (byte) 0xff}))
        .setAgentId("agent-7")
        .setStartedAt(java.time.Instant.parse("2026-11-21T09:00:00Z"))
        .build();
  }

  @Test
  void roundTripsARecordWithTheSingleObjectHeader() throws Exception {
    byte[] bytes = Wire.CALL_AUDIO_CHUNK.encode(chunk());

    assertThat(bytes[0] & 0xff).isEqualTo(0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    long fingerprint =
        ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(fingerprint).isEqualTo(Wire.CALL_AUDIO_CHUNK.fingerprint());
    assertThat(Wire.CALL_AUDIO_CHUNK.decode(bytes)).isEqualTo(chunk());
  }

  @Test
  void readsRecordsOfAnOlderWriterWithDefaultsForNewFields() throws Exception {
    GenericRecord old = new GenericData.Record(CALL_EVENT_V0);
    old.put("tenant", "acme");
    old.put("callId", "call-1");
    old.put(
        "type", new GenericData.EnumSymbol(CALL_EVENT_V0.getField("type").schema(), "HOLD_START"));
    old.put("atMs", 5000L);
    ByteBuffer encoded =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), CALL_EVENT_V0).encode(old);
    byte[] bytes = Arrays.copyOfRange(encoded.array(), encoded.position(), encoded.limit());

    CallEvent event = AvroWire.of(CallEvent.class, CALL_EVENT_V0).decode(bytes);

    assertThat(event.getType()).isEqualTo(CallEventType.HOLD_START);
    assertThat(event.getAtMs()).isEqualTo(5000L);
    assertThat(event.getAttributes()).isEmpty();
  }

  @Test
  void readsUtterancesWrittenBeforeTheEmotionScores() throws Exception {
    Schema v1 = Wire.history("Utterance-v1.avsc");
    assertThat(v1.getField("emotionScores")).isNull();
    GenericRecord old = new GenericData.Record(v1);
    old.put("utteranceId", "call-1/CUSTOMER/0");
    old.put("tenant", "acme");
    old.put("callId", "call-1");
    old.put("channel", new GenericData.EnumSymbol(v1.getField("channel").schema(), "CUSTOMER"));
    old.put("slotIndex", 0);
    old.put("startMs", 100L);
    old.put("endMs", 2100L);
    old.put("text", "my order has not arrived");
    old.put("language", "en");
    old.put("emotion", "SAD");
    old.put("event", "Speech");
    old.put("confidence", 0.9f);
    old.put("modelId", "m@1");
    old.put("status", new GenericData.EnumSymbol(v1.getField("status").schema(), "OK"));
    old.put("piiKinds", List.of());
    old.put("processingLatencyMs", 300L);
    ByteBuffer encoded = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old);
    byte[] bytes = Arrays.copyOfRange(encoded.array(), encoded.position(), encoded.limit());

    Utterance u = Wire.UTTERANCE.decode(bytes);

    assertThat(u.getEmotion()).isEqualTo("SAD");
    assertThat(u.getModelEmotion()).isEmpty();
    assertThat(u.getEmotionScores()).isEmpty();
    assertThat(Wire.UTTERANCE.fingerprint())
        .isNotEqualTo(SchemaNormalization.parsingFingerprint64(v1));
  }

  @Test
  void tellsAnUnknownSchemaFromACorruptRecord() {
    GenericRecord old = new GenericData.Record(CALL_EVENT_V0);
    old.put("tenant", "acme");
    old.put("callId", "c");
    old.put("type", new GenericData.EnumSymbol(CALL_EVENT_V0.getField("type").schema(), "ENDED"));
    old.put("atMs", 1L);
    byte[] bytes;
    try {
      ByteBuffer b =
          new BinaryMessageEncoder<GenericRecord>(GenericData.get(), CALL_EVENT_V0).encode(old);
      bytes = Arrays.copyOfRange(b.array(), b.position(), b.limit());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }

    assertThatThrownBy(() -> Wire.CALL_EVENT.decode(bytes))
        .isInstanceOf(WireFormatException.class)
        .satisfies(
            e -> assertThat(((WireFormatException) e).reason()).isEqualTo(Reason.UNKNOWN_SCHEMA));
  }

  @Test
  void rejectsEmptyForeignAndTruncatedBytesWithAReason() {
    byte[] good = Wire.CALL_AUDIO_CHUNK.encode(chunk());
    assertReason(new byte[0], Reason.EMPTY);
    assertReason(null, Reason.EMPTY);
    assertReason("{\"callId\":\"json is not our format\"}".getBytes(), Reason.NOT_SINGLE_OBJECT);
    assertReason(new byte[] {(byte) 0xC3, 0x01, 0}, Reason.NOT_SINGLE_OBJECT);
    assertReason(Arrays.copyOf(good, good.length - 3), Reason.CORRUPT_BODY);
    assertReason(Arrays.copyOf(good, 10), Reason.CORRUPT_BODY);
  }

  @Test
  void neverThrowsAnythingButWireFormatExceptionOnRandomBodies() {
    byte[] header = Arrays.copyOf(Wire.CALL_AUDIO_CHUNK.encode(chunk()), 10);
    Random random = new Random(42);
    int decoded = 0;
    int rejected = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] body = new byte[random.nextInt(64)];
      random.nextBytes(body);
      byte[] bytes = Arrays.copyOf(header, 10 + body.length);
      System.arraycopy(body, 0, bytes, 10, body.length);
      try {
        Wire.CALL_AUDIO_CHUNK.decode(bytes);
        decoded++;
      } catch (WireFormatException e) {
        assertThat(e.reason()).isEqualTo(Reason.CORRUPT_BODY);
        rejected++;
      }
    }
    assertThat(decoded + rejected).isEqualTo(20_000);
    assertThat(rejected).isGreaterThan(10_000);
  }

  private static void assertReason(byte[] bytes, Reason reason) {
    assertThatThrownBy(() -> Wire.CALL_AUDIO_CHUNK.decode(bytes))
        .isInstanceOf(WireFormatException.class)
        .satisfies(e -> assertThat(((WireFormatException) e).reason()).isEqualTo(reason));
  }
}
