package io.callqa.operators.sinks.elasticsearch.documents;

import io.callqa.operators.alerts.WebhookClient;
import io.callqa.operators.alerts.WebhookConfig;
import io.callqa.schemas.Alert;
import io.callqa.schemas.CallSummary;
import io.callqa.schemas.Channel;
import io.callqa.schemas.Coverage;
import io.callqa.schemas.DeadLetter;
import io.callqa.schemas.Evidence;
import io.callqa.schemas.Utterance;
import io.callqa.schemas.UtteranceStatus;
import io.callqa.schemas.WebhookDelivery;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Records of one realistic call (an angry customer, a banned phrase), with named times. */
final class SampleRecords {
  private SampleRecords() {}

  /** When the call started. */
  static final Instant CALL_START = Instant.parse("2026-11-21T09:30:00Z");

  /** Processing time, a day later: stands in for unknown call starts. */
  static final Instant PROCESSING_TIME = Instant.parse("2026-11-22T08:00:00Z");

  static final Clock PROCESSING_CLOCK = Clock.fixed(PROCESSING_TIME, ZoneOffset.UTC);

  static Utterance customerUtterance() {
    return Utterance.newBuilder()
        .setUtteranceId("call-7/CUSTOMER/3")
        .setTenant("Acme")
        .setCallId("call-7")
        .setChannel(Channel.CUSTOMER)
        .setSlotIndex(3)
        .setStartMs(12_300)
        .setEndMs(15_800)
        .setText("我已经打了三次电话了，你们到底管不管")
        .setLanguage("zh")
        .setEmotion("ANGRY")
        .setModelEmotion("ANGRY")
        .setEmotionScores(Map.of("ANGRY", 0.81f, "NEUTRAL", 0.12f, "SAD", 0.04f, "HAPPY", 0.03f))
        .setEvent("Speech")
        .setConfidence(0.87f)
        .setModelId("callqa-demo-1")
        .setStatus(UtteranceStatus.OK)
        .setPiiKinds(List.of("PHONE"))
        .setAgentId("agent-12")
        .setStartedAt(CALL_START)
        .setProcessingLatencyMs(420)
        .build();
  }

  static Alert angerAlert() {
    return Alert.newBuilder()
        .setAlertId("call-7/anger_escalation/0")
        .setTenant("Acme")
        .setCallId("call-7")
        .setRule("anger_escalation")
        .setSeverity("critical")
        .setEpisode(0)
        .setAtMs(15_800)
        .setMessage("customer angry twice within 60 s")
        .setAgentId("agent-12")
        .setEvidence(
            List.of(
                evidence("call-7/CUSTOMER/2", Channel.CUSTOMER, 5_000, 8_000, "太慢了", "ANGRY"),
                evidence(
                    "call-7/CUSTOMER/3",
                    Channel.CUSTOMER,
                    12_300,
                    15_800,
                    "我已经打了三次电话了，你们到底管不管",
                    "ANGRY")))
        .setTriggerArrivedAtEpochMs(CALL_START.toEpochMilli() + 15_900)
        .build();
  }

  /** What the webhook client reports for {@code alert} at {@code endpoint} after one 200. */
  static WebhookDelivery delivered(Alert alert, String endpoint) {
    long completed = CALL_START.toEpochMilli() + 16_800;
    return WebhookClient.outcomeOf(
            alert,
            WebhookConfig.endpoint(endpoint, "http://127.0.0.1:9/hook", "generic", "SECRET_VAR"))
        .setOutcome(WebhookClient.DELIVERED)
        .setAttempts(1)
        .setHttpStatus(200)
        .setFirstAttemptAtEpochMs(completed - 40)
        .setCompletedAtEpochMs(completed)
        .setEndToEndLatencyMs(completed - alert.getTriggerArrivedAtEpochMs())
        .build();
  }

  static Evidence evidence(
      String id, Channel channel, long startMs, long endMs, String text, String emotion) {
    return Evidence.newBuilder()
        .setUtteranceId(id)
        .setChannel(channel)
        .setStartMs(startMs)
        .setEndMs(endMs)
        .setText(text)
        .setEmotion(emotion)
        .build();
  }

  static Coverage coverage() {
    return Coverage.newBuilder()
        .setChunksReceived(600)
        .setChunksRejected(0)
        .setDuplicateChunks(2)
        .setAudioMsReceived(120_000)
        .setGapMsFilled(40)
        .setSlotsCut(20)
        .setSlotsRecognised(19)
        .setSlotsFailed(1)
        .build();
  }

  static CallSummary callSummary() {
    return CallSummary.newBuilder()
        .setTenant("Acme")
        .setCallId("call-7")
        .setAgentId("agent-12")
        .setQueue("billing")
        .setStartedAt(CALL_START)
        .setDurationMs(125_500)
        .setEndedBy("ENDED")
        .setLanguage("zh")
        .setUtterances(20)
        .setAlertsByRule(Map.of("anger_escalation", 1, "banned_phrase", 2, "dead_air", 0))
        .setScore(72.5)
        .setCoverage(coverage())
        .build();
  }

  static DeadLetter kafkaDeadLetter() {
    return DeadLetter.newBuilder()
        .setStage("kafka-decode")
        .setReason("NOT_SINGLE_OBJECT")
        .setDetail("first bytes 7b 22")
        .setTenant(null)
        .setCallId(null)
        .setAtEpochMs(CALL_START.toEpochMilli() + 60_000)
        .setSourceTopic("call-audio")
        .setSourcePartition(3)
        .setSourceOffset(1234L)
        .setRawKey(ByteBuffer.wrap("call-43".getBytes(StandardCharsets.UTF_8)))
        .setRawValue(
            ByteBuffer.wrap("{\"this is\": \"not a chunk\"}".getBytes(StandardCharsets.UTF_8)))
        .build();
  }
}
