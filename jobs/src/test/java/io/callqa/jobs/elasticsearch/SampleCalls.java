package io.callqa.jobs.elasticsearch;

import io.callqa.operators.sinks.elasticsearch.EsDocument;
import io.callqa.operators.sinks.elasticsearch.documents.AlertDocuments;
import io.callqa.operators.sinks.elasticsearch.documents.CallSummaryDocuments;
import io.callqa.operators.sinks.elasticsearch.documents.DeadLetterDocuments;
import io.callqa.operators.sinks.elasticsearch.documents.UtteranceDocuments;
import io.callqa.schemas.Alert;
import io.callqa.schemas.CallSummary;
import io.callqa.schemas.Channel;
import io.callqa.schemas.Coverage;
import io.callqa.schemas.DeadLetter;
import io.callqa.schemas.Evidence;
import io.callqa.schemas.Utterance;
import io.callqa.schemas.UtteranceStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, realistic contact-center day as callqa's records: four calls of three agents in two
 * tenants, bilingual turns with emotions and audio events, the alerts the rule catalog would raise
 * and each call's summary, plus one dead letter. Times are relative to a given instant so the data
 * falls into the dashboards' default time range ("last 7 days").
 */
final class SampleCalls {
  /** One turn of a scripted call. */
  record Turn(Channel channel, String text, String language, String emotion, String event) {}

  final List<Utterance> utterances = new ArrayList<>();
  final List<Alert> alerts = new ArrayList<>();
  final List<CallSummary> summaries = new ArrayList<>();
  final List<DeadLetter> deadLetters = new ArrayList<>();

  /** The call used for drill-down checks. */
  static final String ANGRY_CALL = "call-angry-1";

  SampleCalls(Instant now) {
    Instant yesterday = now.minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
    call(
        "acme",
        ANGRY_CALL,
        "agent-li",
        "billing",
        yesterday.plus(9, ChronoUnit.HOURS),
        "zh",
        48.0,
        List.of(
            new Turn(Channel.AGENT, "您好，请问有什么可以帮您", "zh", "NEUTRAL", "Speech"),
            new Turn(Channel.CUSTOMER, "我的账单又错了，太慢了", "zh", "ANGRY", "Speech"),
            new Turn(Channel.AGENT, "这不是我们的问题", "zh", "NEUTRAL", "Speech"),
            new Turn(Channel.CUSTOMER, "我已经打了三次电话了，你们到底管不管", "zh", "ANGRY", "Cough"),
            new Turn(Channel.CUSTOMER, "我要投诉，转人工", "zh", "ANGRY", "Speech"),
            new Turn(Channel.AGENT, "好的", "zh", "SAD", "Breath")),
        Map.of(
            "anger_escalation", 1, "banned_phrase", 1, "complaint_risk", 1, "missing_closing", 1));
    call(
        "acme",
        "call-calm-2",
        "agent-li",
        "sales",
        yesterday.plus(11, ChronoUnit.HOURS),
        "en",
        93.5,
        List.of(
            new Turn(
                Channel.AGENT, "Thank you for calling, how can I help", "en", "HAPPY", "Speech"),
            new Turn(
                Channel.CUSTOMER, "I would like to upgrade my plan", "en", "NEUTRAL", "Speech"),
            new Turn(
                Channel.AGENT, "Sure, the premium plan is ten dollars more", "en", "HAPPY", "BGM"),
            new Turn(Channel.CUSTOMER, "Great, thanks", "en", "HAPPY", "Laughter"),
            new Turn(Channel.AGENT, "Thank you, have a nice day", "en", "HAPPY", "Speech")),
        Map.of());
    call(
        "acme",
        "call-rude-3",
        "agent-wang",
        "billing",
        yesterday.plus(14, ChronoUnit.HOURS),
        "zh",
        61.0,
        List.of(
            new Turn(Channel.CUSTOMER, "喂，我的网络断了", "zh", "NEUTRAL", "Speech"),
            new Turn(Channel.AGENT, "你自己重启一下", "zh", "NEUTRAL", "Speech"),
            new Turn(Channel.CUSTOMER, "重启过了", "zh", "SAD", "Speech"),
            new Turn(Channel.AGENT, "那我没办法", "zh", "NEUTRAL", "Speech")),
        Map.of("missing_greeting", 1, "missing_closing", 1, "banned_phrase", 1));
    call(
        "Beta-Corp",
        "call-mixed-4",
        "agent-zhao",
        "support",
        yesterday.plus(16, ChronoUnit.HOURS),
        "auto",
        77.0,
        List.of(
            new Turn(Channel.MIXED, "hello 您好 how can I help", "en", "NEUTRAL", "Speech"),
            new Turn(Channel.MIXED, "我的 order 没有到", "zh", "SURPRISED", "Speech"),
            new Turn(Channel.MIXED, "I will check it for you", "en", "NEUTRAL", "Applause")),
        Map.of("dead_air", 1));
    deadLetters.add(
        DeadLetter.newBuilder()
            .setStage("kafka-decode")
            .setReason("NOT_SINGLE_OBJECT")
            .setDetail("first bytes 7b 22")
            .setAtEpochMs(yesterday.plus(10, ChronoUnit.HOURS).toEpochMilli())
            .setSourceTopic("call-audio")
            .setSourcePartition(0)
            .setSourceOffset(17L)
            .setRawKey(ByteBuffer.wrap("call-43".getBytes(StandardCharsets.UTF_8)))
            .setRawValue(ByteBuffer.wrap("{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8)))
            .build());
    deadLetters.add(
        DeadLetter.newBuilder()
            .setStage("slotter")
            .setReason("UNKNOWN_ENCODING")
            .setDetail("encoding UNKNOWN (written by a newer producer)")
            .setTenant("acme")
            .setCallId("call-calm-2")
            .setChannel("CUSTOMER")
            .setSeq(12L)
            .setAtEpochMs(yesterday.plus(11, ChronoUnit.HOURS).toEpochMilli())
            .build());
    sinkDeadLetterAtEpochMs = yesterday.plus(12, ChronoUnit.HOURS).toEpochMilli();
  }

  /** When the Elasticsearch sink dead-lettered a refused document (its own format, below). */
  private final long sinkDeadLetterAtEpochMs;

  /**
   * A document Elasticsearch refused, as the Elasticsearch sink writes it to its dead-letter index
   * {@code callqa-deadletters} (fields of ElasticsearchSinkWriter#deadLetter).
   */
  EsDocument sinkDeadLetter() {
    String json =
        "{\"stage\": \"es-sink\", \"reason\": \"REJECTED\", \"status\": 400,"
            + " \"errorType\": \"document_parsing_exception\","
            + " \"detail\": \"failed to parse field [score] of type [float]\","
            + " \"index\": \"callqa-calls-acme-2026.11.21\", \"documentId\": \"call-x\", \"attempts\": 0,"
            + " \"source\": \"{\\\"callId\\\": \\\"call-x\\\", \\\"score\\\": \\\"high\\\"}\","
            + " \"atEpochMs\": "
            + sinkDeadLetterAtEpochMs
            + "}";
    return new EsDocument(
        "callqa-deadletters",
        "callqa-calls-acme-2026.11.21/call-x",
        json.getBytes(StandardCharsets.UTF_8));
  }

  private void call(
      String tenant,
      String callId,
      String agentId,
      String queue,
      Instant start,
      String language,
      double score,
      List<Turn> turns,
      Map<String, Integer> alertsByRule) {
    List<Utterance> mine = new ArrayList<>();
    Map<Channel, Integer> slots = new LinkedHashMap<>();
    long t = 1_500;
    for (Turn turn : turns) {
      int slot = slots.merge(turn.channel(), 1, Integer::sum) - 1;
      long duration = 1_000 + 180L * turn.text().length();
      Utterance u =
          Utterance.newBuilder()
              .setUtteranceId(callId + "/" + turn.channel() + "/" + slot)
              .setTenant(tenant)
              .setCallId(callId)
              .setChannel(turn.channel())
              .setSlotIndex(slot)
              .setStartMs(t)
              .setEndMs(t + duration)
              .setText(turn.text())
              .setLanguage(turn.language())
              .setEmotion(turn.emotion())
              .setEvent(turn.event())
              .setConfidence(0.9f)
              .setModelId("callqa-demo-1")
              .setStatus(UtteranceStatus.OK)
              .setPiiKinds(List.of())
              .setAgentId(agentId)
              .setStartedAt(start)
              .setProcessingLatencyMs(300)
              .build();
      mine.add(u);
      t += duration + 700;
    }
    utterances.addAll(mine);
    long durationMs = t + 2_000;
    for (Map.Entry<String, Integer> e : alertsByRule.entrySet()) {
      String rule = e.getKey();
      Utterance trigger = trigger(rule, mine);
      alerts.add(
          Alert.newBuilder()
              .setAlertId(callId + "/" + rule + "/0")
              .setTenant(tenant)
              .setCallId(callId)
              .setRule(rule)
              .setSeverity(
                  rule.equals("anger_escalation")
                      ? "critical"
                      : rule.startsWith("missing") ? "info" : "warning")
              .setEpisode(0)
              .setAtMs(trigger.getEndMs())
              .setMessage(rule.replace('_', ' '))
              .setAgentId(agentId)
              .setEvidence(List.of(evidence(trigger)))
              .setTriggerArrivedAtEpochMs(start.toEpochMilli() + trigger.getEndMs() + 100)
              .build());
    }
    summaries.add(
        CallSummary.newBuilder()
            .setTenant(tenant)
            .setCallId(callId)
            .setAgentId(agentId)
            .setQueue(queue)
            .setStartedAt(start)
            .setDurationMs(durationMs)
            .setEndedBy("ENDED")
            .setLanguage(language)
            .setUtterances(mine.size())
            .setAlertsByRule(alertsByRule)
            .setScore(score)
            .setCoverage(
                Coverage.newBuilder()
                    .setChunksReceived(durationMs / 20)
                    .setAudioMsReceived(durationMs * 2)
                    .setSlotsCut(mine.size())
                    .setSlotsRecognised(mine.size())
                    .build())
            .build());
  }

  private static Utterance trigger(String rule, List<Utterance> turns) {
    Channel wanted =
        rule.equals("anger_escalation") || rule.equals("complaint_risk")
            ? Channel.CUSTOMER
            : Channel.AGENT;
    Utterance last = turns.get(turns.size() - 1);
    for (Utterance u : turns) {
      if (u.getChannel() == wanted) {
        last = u;
      }
    }
    return last;
  }

  private static Evidence evidence(Utterance u) {
    return Evidence.newBuilder()
        .setUtteranceId(u.getUtteranceId())
        .setChannel(u.getChannel())
        .setStartMs(u.getStartMs())
        .setEndMs(u.getEndMs())
        .setText(u.getText())
        .setEmotion(u.getEmotion())
        .build();
  }

  /** Every record as the document its mapper makes. */
  List<EsDocument> documents() {
    List<EsDocument> docs = new ArrayList<>();
    UtteranceDocuments u = new UtteranceDocuments();
    AlertDocuments a = new AlertDocuments();
    CallSummaryDocuments c = new CallSummaryDocuments();
    DeadLetterDocuments d = new DeadLetterDocuments();
    utterances.forEach(x -> docs.add(u.toDocument(x)));
    alerts.forEach(x -> docs.add(a.toDocument(x)));
    summaries.forEach(x -> docs.add(c.toDocument(x)));
    deadLetters.forEach(x -> docs.add(d.toDocument(x)));
    docs.add(sinkDeadLetter());
    return docs;
  }

  long utterancesOf(String callId) {
    return utterances.stream().filter(u -> u.getCallId().equals(callId)).count();
  }
}
