package io.callqa.operators.sinks.elasticsearch.documents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callqa.schemas.Channel;
import io.callqa.schemas.Evidence;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class AvroJsonTest {
  private static final AvroJson SKIP = AvroJson.skippingBytes();
  private static final AvroJson BASE64 = new AvroJson(AvroJson.BytesPolicy.BASE64);

  /** 2026-11-21T09:30:00.250Z */
  private static final Instant AT = Instant.parse("2026-11-21T09:30:00.250Z");

  private static JsonNode one(Schema fieldSchema, Object value) {
    return one(SKIP, fieldSchema, value);
  }

  private static JsonNode one(AvroJson avro, Schema fieldSchema, Object value) {
    Schema schema =
        SchemaBuilder.record("R").fields().name("f").type(fieldSchema).noDefault().endRecord();
    GenericRecord r = new GenericData.Record(schema);
    r.put("f", value);
    return avro.toJson(r).get("f");
  }

  private static Schema parse(String json) {
    return new Schema.Parser().parse(json);
  }

  @Test
  void writesPrimitivesAsJsonScalars() {
    assertThat(one(Schema.create(Schema.Type.BOOLEAN), true).booleanValue()).isTrue();
    assertThat(one(Schema.create(Schema.Type.INT), 42).isInt()).isTrue();
    assertThat(one(Schema.create(Schema.Type.INT), 42).intValue()).isEqualTo(42);
    assertThat(one(Schema.create(Schema.Type.LONG), 1L << 40).longValue()).isEqualTo(1L << 40);
    assertThat(one(Schema.create(Schema.Type.FLOAT), 0.5f).floatValue()).isEqualTo(0.5f);
    assertThat(one(Schema.create(Schema.Type.DOUBLE), 2.25).doubleValue()).isEqualTo(2.25);
  }

  @Test
  void writesStringsFromStringAndUtf8() {
    assertThat(one(Schema.create(Schema.Type.STRING), "你好 hello").asText()).isEqualTo("你好 hello");
    assertThat(one(Schema.create(Schema.Type.STRING), new Utf8("utf8")).asText()).isEqualTo("utf8");
  }

  @Test
  void leavesOutNanAndInfinity() {
    assertThat(one(Schema.create(Schema.Type.DOUBLE), Double.NaN)).isNull();
    assertThat(one(Schema.create(Schema.Type.FLOAT), Float.POSITIVE_INFINITY)).isNull();
  }

  @Test
  void writesEnumsAsTheirSymbol() {
    // generated enum
    assertThat(one(Channel.SCHEMA$, Channel.CUSTOMER).asText()).isEqualTo("CUSTOMER");
    // generic enum symbol
    Schema e = SchemaBuilder.enumeration("Color").symbols("RED", "GREEN");
    assertThat(one(e, new GenericData.EnumSymbol(e, "GREEN")).asText()).isEqualTo("GREEN");
  }

  @Test
  void writesNestedRecordsAsObjects() {
    Evidence ev =
        Evidence.newBuilder()
            .setUtteranceId("c1/CUSTOMER/3")
            .setChannel(Channel.CUSTOMER)
            .setStartMs(1200)
            .setEndMs(3400)
            .setText("太慢了")
            .setEmotion("ANGRY")
            .build();
    JsonNode node = one(Evidence.SCHEMA$, ev);
    assertThat(node.get("utteranceId").asText()).isEqualTo("c1/CUSTOMER/3");
    assertThat(node.get("channel").asText()).isEqualTo("CUSTOMER");
    assertThat(node.get("startMs").asLong()).isEqualTo(1200);
    assertThat(node.get("text").asText()).isEqualTo("太慢了");
    assertThat(node.size()).isEqualTo(6);
  }

  @Test
  void writesArraysAndLeavesOutNullItems() {
    Schema items =
        Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING));
    JsonNode node =
        one(Schema.createArray(items), java.util.Arrays.asList("PHONE", null, "ID_CARD"));
    assertThat(node.isArray()).isTrue();
    assertThat(node).extracting(JsonNode::asText).containsExactly("PHONE", "ID_CARD");
    assertThat(one(Schema.createArray(Schema.create(Schema.Type.STRING)), List.of()).size())
        .isZero();
  }

  @Test
  void writesMapsAsObjectsKeyedByTheMapKeys() {
    Map<Object, Object> counts = new java.util.LinkedHashMap<>();
    counts.put(new Utf8("anger_escalation"), 2);
    counts.put("banned_phrase", 1);
    JsonNode node = one(Schema.createMap(Schema.create(Schema.Type.INT)), counts);
    assertThat(node.get("anger_escalation").asInt()).isEqualTo(2);
    assertThat(node.get("banned_phrase").asInt()).isEqualTo(1);
  }

  @Test
  void unionWithNullWritesTheValueOrLeavesTheFieldOut() {
    Schema schema =
        SchemaBuilder.record("R")
            .fields()
            .optionalString("agentId")
            .optionalLong("seq")
            .endRecord();
    GenericRecord withValues =
        new GenericRecordBuilder(schema).set("agentId", "a-7").set("seq", 3L).build();
    ObjectNode json = SKIP.toJson(withValues);
    assertThat(json.get("agentId").asText()).isEqualTo("a-7");
    assertThat(json.get("seq").asLong()).isEqualTo(3);

    ObjectNode empty = SKIP.toJson(new GenericRecordBuilder(schema).build());
    assertThat(empty.has("agentId")).isFalse();
    assertThat(empty.has("seq")).isFalse();
    assertThat(empty.size()).isZero();
  }

  @Test
  void unionOfSeveralTypesPicksTheBranchOfTheValue() {
    Schema union =
        parse(
            "[\"null\", \"string\", \"long\", {\"type\": \"record\", \"name\": \"P\", \"fields\":"
                + " [{\"name\": \"x\", \"type\": \"int\"}]}]");
    assertThat(one(union, "text").asText()).isEqualTo("text");
    assertThat(one(union, 7L).isLong()).isTrue();
    GenericRecord p = new GenericData.Record(union.getTypes().get(3));
    p.put("x", 5);
    assertThat(one(union, p).get("x").asInt()).isEqualTo(5);
  }

  @Test
  void timestampMillisBecomesIsoUtcFromInstantAndFromLong() {
    Schema ts = parse("{\"type\": \"long\", \"logicalType\": \"timestamp-millis\"}");
    assertThat(one(ts, AT).asText()).isEqualTo("2026-11-21T09:30:00.250Z");
    assertThat(one(ts, AT.toEpochMilli()).asText()).isEqualTo("2026-11-21T09:30:00.250Z");
    Schema optional = Schema.createUnion(Schema.create(Schema.Type.NULL), ts);
    assertThat(one(optional, AT).asText()).isEqualTo("2026-11-21T09:30:00.250Z");
    assertThat(one(optional, null)).isNull();
  }

  @Test
  void timestampMicrosKeepsMicroseconds() {
    Schema ts = parse("{\"type\": \"long\", \"logicalType\": \"timestamp-micros\"}");
    assertThat(one(ts, AT.toEpochMilli() * 1000 + 7).asText())
        .isEqualTo("2026-11-21T09:30:00.250007Z");
  }

  @Test
  void localTimestampHasNoZone() {
    Schema ts = parse("{\"type\": \"long\", \"logicalType\": \"local-timestamp-millis\"}");
    assertThat(one(ts, AT.toEpochMilli()).asText()).isEqualTo("2026-11-21T09:30:00.250");
  }

  @Test
  void dateAndTimeOfDay() {
    Schema date = parse("{\"type\": \"int\", \"logicalType\": \"date\"}");
    int day = (int) LocalDate.of(2026, 11, 21).toEpochDay();
    assertThat(one(date, day).asText()).isEqualTo("2026-11-21");
    assertThat(one(date, LocalDate.of(2026, 11, 21)).asText()).isEqualTo("2026-11-21");
    Schema time = parse("{\"type\": \"int\", \"logicalType\": \"time-millis\"}");
    assertThat(one(time, (9 * 3600 + 30 * 60) * 1000 + 250).asText()).isEqualTo("09:30:00.250");
  }

  @Test
  void decimalBecomesANumber() {
    Schema dec =
        parse(
            "{\"type\": \"bytes\", \"logicalType\": \"decimal\", \"precision\": 6, \"scale\": 2}");
    ByteBuffer unscaled = ByteBuffer.wrap(java.math.BigInteger.valueOf(12345).toByteArray());
    assertThat(one(dec, unscaled).decimalValue()).isEqualByComparingTo(new BigDecimal("123.45"));
    assertThat(one(dec, new BigDecimal("1.50")).decimalValue())
        .isEqualByComparingTo(new BigDecimal("1.5"));
  }

  @Test
  void bytesAreLeftOutByDefaultOrWrittenAsBase64() {
    Schema bytes = Schema.create(Schema.Type.BYTES);
    ByteBuffer payload = ByteBuffer.wrap("audio".getBytes(StandardCharsets.US_ASCII));
    assertThat(one(bytes, payload)).isNull();
    assertThat(one(BASE64, bytes, payload).asText()).isEqualTo("YXVkaW8=");
    assertThat(payload.remaining()).as("the record's buffer is not consumed").isEqualTo(5);
  }

  @Test
  void fixedIsLeftOutByDefaultOrWrittenAsBase64() {
    Schema fixed = Schema.createFixed("Md5", null, null, 2);
    GenericData.Fixed value = new GenericData.Fixed(fixed, new byte[] {1, 2});
    assertThat(one(fixed, value)).isNull();
    assertThat(one(BASE64, fixed, value).asText()).isEqualTo("AQI=");
  }

  @Test
  void fieldsAddedToASchemaAppearWithoutCodeChanges() {
    // an Evidence written by a newer schema with one more field
    Schema newer =
        parse(
            Evidence.SCHEMA$
                .toString()
                .replace(
                    "\"fields\":[",
                    "\"fields\":[{\"name\":\"speakerScore\",\"type\":\"double\",\"default\":0},"));
    GenericRecord r = new GenericData.Record(newer);
    r.put("speakerScore", 0.75);
    r.put("utteranceId", "c/AGENT/0");
    r.put("channel", new GenericData.EnumSymbol(newer.getField("channel").schema(), "AGENT"));
    r.put("startMs", 0L);
    r.put("endMs", 10L);
    r.put("text", "hi");
    r.put("emotion", "");
    ObjectNode json = SKIP.toJson(r);
    assertThat(json.get("speakerScore").asDouble()).isEqualTo(0.75);
    assertThat(json.get("channel").asText()).isEqualTo("AGENT");
  }
}
