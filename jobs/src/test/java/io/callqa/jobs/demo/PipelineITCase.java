package io.callqa.jobs.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callqa.devstack.DevStack;
import io.callqa.devstack.DevStackExtension;
import io.callqa.jobs.calls.CallFolder;
import io.callqa.jobs.elasticsearch.JsonHttp;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * End to end on the real stack with the shipped demo model and demo calls: the calls go to Kafka,
 * the job runs on a MiniCluster, and Elasticsearch must hold, for every call, its summary with
 * complete coverage, one utterance per true turn, and the results a second run over the same input
 * leaves unchanged (deterministic ids: no duplicates).
 */
@ExtendWith(DevStackExtension.class)
class PipelineITCase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path CALLS = Paths.get("../calls/demo").toAbsolutePath().normalize();
  private static final Path MODEL =
      Paths.get("../models/sensevoice-demo").toAbsolutePath().normalize();

  /**
   * How long the job stays down in the second run: the channels' idle timeout is then 10 s, so
   * every idle timer of the restored state is overdue when the job comes back.
   */
  private static final Duration OUTAGE = Duration.ofSeconds(20);

  @Test
  void inspectsEveryCallAndEverySecondOfAudioWithoutDuplicates(DevStack stack) throws Exception {
    List<CallFolder> calls = CallFolder.readAll(CALLS);
    DemoRun.Options options = new DemoRun.Options(CALLS, MODEL, 0, 2, Duration.ofMinutes(8));

    DemoRun.Outcome first = DemoRun.run(stack, options, DemoRun.quiet());

    assertCompleteCoverage(calls, first);
    Map<String, Double> totals = Scoring.totals(first.scores());
    System.out.println("end-to-end vs expected: " + totals);
    assertThat(totals.get("turnRecall"))
        .as("true turns found as utterances")
        .isGreaterThanOrEqualTo(0.95);
    assertThat(totals.get("extraUtterances")).as("utterances where nobody spoke").isZero();
    // the model card's held-out figures (CER 1-3 %, emotion 88-90 %, LID 99.9 %) with a margin
    assertThat(totals.get("cer"))
        .as("character error rate vs the true turns")
        .isLessThanOrEqualTo(0.05);
    assertThat(totals.get("emotionAccuracy")).as("emotion accuracy").isGreaterThanOrEqualTo(0.9);
    assertThat(totals.get("languageAccuracy")).as("language accuracy").isGreaterThanOrEqualTo(0.95);
    assertThat(totals.get("eventAccuracy")).as("event accuracy").isGreaterThanOrEqualTo(0.95);
    // the rules: every demo call raises exactly its expected alerts (precision = recall = 100 %)
    List<String> wrong = new java.util.ArrayList<>();
    for (Scoring.CallScore s : first.scores()) {
      if (!s.alertsExact()) {
        wrong.add(s.callId() + ": expected " + s.expectedAlerts() + ", got " + s.actualAlerts());
      }
    }
    assertThat(wrong).as("calls whose alerts differ from expected").isEmpty();
    int alerts =
        first.scores().stream()
            .mapToInt(s -> s.actualAlerts().values().stream().mapToInt(Integer::intValue).sum())
            .sum();
    assertThat(first.deliveredAlertIds())
        .as("one signed webhook delivery per alert")
        .isEqualTo(alertIds(first.results()))
        .hasSize(alerts);
    assertThat(first.webhookDuplicates()).isZero();
    List<String> callIds = calls.stream().map(CallFolder::callId).toList();
    assertEveryAlertCarriesItsDelivery(stack, callIds, alerts);

    // the same input again, and the job cancelled mid-run and restored from its last checkpoint
    // after an outage longer than the channels' idle timeout:
    // restored state keeps the counters exact, deterministic ids overwrite what is re-processed
    // the job reads the topics from the first run's start: the first run's records come first, a
    // backlog whose call events (a small topic) run far ahead of the audio
    DemoRun.Outcome second =
        DemoRun.run(
            stack, options.withOutage(OUTAGE).readingFrom(first.startedAt()), DemoRun.quiet());
    assertThat(second.restore()).as("the job was restored from a checkpoint").isNotNull();
    System.out.println("restored mid-run: " + second.restore());
    assertThat(second.restore().callsSummarizedBefore()).isLessThan(calls.size());
    assertCompleteCoverage(calls, second);
    assertThat(ids(second.results())).isEqualTo(ids(first.results()));
    // each slot's emotion is calibrated by exactly its channel's earlier slots, restore or not
    assertThat(emotions(second.results())).isEqualTo(emotions(first.results()));
    // through the backlog and the restore, every alert is raised again and delivered once per id
    assertThat(second.deliveredAlertIds())
        .as("alerts delivered by the webhook after the restore")
        .isEqualTo(first.deliveredAlertIds());
    // re-written alert documents keep (or get again) their delivery outcome
    assertEveryAlertCarriesItsDelivery(stack, callIds, alerts);
  }

  /**
   * A backlog that takes longer to read than the rules' dead-source waits (shortened here to 6 s so
   * that 20 × the demo calls suffice): every call is written to Kafka before the job starts, so
   * every ENDED and TRANSFERRED arrives long before the call's audio. Without the waits' watermark
   * check, calls were summarised without their audio and transfers released before the requests.
   */
  @Test
  void aBacklogLongerThanTheDeadSourceWaitsLosesNothing(DevStack stack) throws Exception {
    List<CallFolder> calls = DemoRun.repeated(CallFolder.readAll(CALLS), BACKLOG_REPEAT);
    DemoRun.Options options =
        new DemoRun.Options(CALLS, MODEL, 0, 2, Duration.ofMinutes(8))
            .asBacklog()
            .repeated(BACKLOG_REPEAT)
            .withRules(rulesWithWaitsOf(6_000).toString());

    DemoRun.Outcome outcome = DemoRun.run(stack, options, DemoRun.quiet());

    assertCompleteCoverage(calls, outcome);
    List<String> wrong = new ArrayList<>();
    for (Scoring.CallScore s : outcome.scores()) {
      if (!s.alertsExact()) {
        wrong.add(s.callId() + ": expected " + s.expectedAlerts() + ", got " + s.actualAlerts());
      }
    }
    assertThat(wrong).as("calls whose alerts differ from expected").isEmpty();
  }

  private static final int BACKLOG_REPEAT = 20;

  /** The shipped rules with both dead-source waits (channel progress, channel reports) set. */
  private static Path rulesWithWaitsOf(long waitMs) throws Exception {
    String rules;
    try (var in = PipelineITCase.class.getClassLoader().getResourceAsStream("callqa/rules.yaml")) {
      rules = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    String changed =
        rules
            .replace("lexicon: lexicon.yaml", "lexicon: classpath:callqa/lexicon.yaml")
            .replace("channelProgressTimeoutMs: 20000", "channelProgressTimeoutMs: " + waitMs)
            .replace("channelReportWaitMs: 30000", "channelReportWaitMs: " + waitMs);
    assertThat(changed)
        .as("the shipped rules' lexicon and waits were found")
        .contains("lexicon: classpath:callqa/lexicon.yaml")
        .contains("channelProgressTimeoutMs: " + waitMs + " ")
        .contains("channelReportWaitMs: " + waitMs + " ");
    Path file = java.nio.file.Files.createTempFile("callqa-rules-", ".yaml");
    java.nio.file.Files.writeString(file, changed);
    return file;
  }

  /**
   * Every chunk sent was received, every slot cut became an utterance, nothing was rejected.
   * Checkpoints are at-least-once: after a restore a chunk may come twice; the slotter counts it as
   * received and as a duplicate, so the unique chunks are received − duplicates.
   */
  private static void assertCompleteCoverage(List<CallFolder> calls, DemoRun.Outcome outcome) {
    JsonNode results = outcome.results().path("calls");
    assertThat(results).hasSize(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      CallFolder call = calls.get(i);
      JsonNode r = results.get(i);
      JsonNode coverage = r.path("summary").path("coverage");
      long sentChunks =
          call.channels().values().stream()
              .mapToLong(a -> (long) Math.ceil(a.durationSeconds() * 1000 / 200.0))
              .sum();
      assertThat(
              coverage.path("chunksReceived").asLong() - coverage.path("duplicateChunks").asLong())
          .as(call.callId() + " unique chunks received (" + coverage + ")")
          .isEqualTo(sentChunks);
      assertThat(coverage.path("chunksRejected").asLong()).as(call.callId() + " rejected").isZero();
      assertThat(coverage.path("audioMsReceived").asLong())
          .as(call.callId() + " audio ms")
          .isBetween(
              call.durationMs() * call.channels().size() - 400,
              call.durationMs() * call.channels().size() + 400);
      assertThat(coverage.path("slotsRecognised").asLong() + coverage.path("slotsFailed").asLong())
          .as(call.callId() + " every slot cut became an utterance")
          .isEqualTo(coverage.path("slotsCut").asLong());
      assertThat(r.path("utterances").size())
          .as(call.callId() + " utterances indexed")
          .isEqualTo(coverage.path("slotsCut").asInt());
      assertThat(r.path("summary").path("coveragePercent").asDouble()).isEqualTo(100.0);
    }
  }

  /**
   * Every alert document of the demo calls holds its webhook outcome, merged in by the outcome
   * sink, which may reach Elasticsearch a flush after the alert: polled for up to 30 s.
   */
  private static void assertEveryAlertCarriesItsDelivery(
      DevStack stack, List<String> callIds, int alerts) throws Exception {
    JsonHttp es = new JsonHttp(stack.elasticsearchUrl(), null, Duration.ofSeconds(30));
    ObjectNode query = JSON.createObjectNode().put("size", 10_000);
    callIds.forEach(query.putObject("query").putObject("terms").putArray("callId")::add);
    query.putArray("_source").add("alertId").add("webhooks");
    byte[] body = JSON.writeValueAsBytes(query);
    String outcome = "/webhooks/" + DemoRun.WEBHOOK_ENDPOINT + "/outcome";
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<String> notDelivered;
    int documents;
    do {
      es.post("/callqa-alerts-*/_refresh", "application/json", new byte[0]);
      JsonHttp.Response r = es.post("/callqa-alerts-*/_search", "application/json", body);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      JsonNode hits = r.json().path("hits").path("hits");
      documents = hits.size();
      notDelivered = new ArrayList<>();
      for (JsonNode h : hits) {
        if (!"DELIVERED".equals(h.path("_source").at(outcome).asText())) {
          notDelivered.add(h.path("_id").asText() + " " + h.path("_source").path("webhooks"));
        }
      }
      if (notDelivered.isEmpty() && documents == alerts) {
        break;
      }
      Thread.sleep(500);
    } while (System.nanoTime() < deadline);
    assertThat(documents)
        .as("alert documents (outcomes merged in, no extra document)")
        .isEqualTo(alerts);
    assertThat(notDelivered).as("alert documents without a DELIVERED webhook outcome").isEmpty();
  }

  private static Set<String> alertIds(JsonNode results) {
    Set<String> ids = new java.util.TreeSet<>();
    for (JsonNode c : results.path("calls")) {
      c.path("alerts").forEach(a -> ids.add(a.path("alertId").asText()));
    }
    return ids;
  }

  /** utteranceId → emotion (calibrated) / modelEmotion. */
  private static Map<String, String> emotions(JsonNode results) {
    Map<String, String> emotions = new java.util.TreeMap<>();
    for (JsonNode c : results.path("calls")) {
      for (JsonNode u : c.path("utterances")) {
        emotions.put(
            u.path("utteranceId").asText(),
            u.path("emotion").asText() + "/" + u.path("modelEmotion").asText());
      }
    }
    return emotions;
  }

  private static Set<String> ids(JsonNode results) {
    Set<String> ids = new HashSet<>();
    for (JsonNode c : results.path("calls")) {
      for (JsonNode u : c.path("utterances")) {
        assertThat(ids.add(u.path("utteranceId").asText()))
            .as("duplicate " + u.path("utteranceId"))
            .isTrue();
      }
    }
    return ids;
  }
}
