package io.callqa.operators.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.callqa.schemas.Alert;
import io.callqa.schemas.CallEvent;
import io.callqa.schemas.CallEventType;
import io.callqa.schemas.CallSummary;
import io.callqa.schemas.Channel;
import io.callqa.schemas.ChannelProgress;
import io.callqa.schemas.ChannelReport;
import io.callqa.schemas.Coverage;
import io.callqa.schemas.Utterance;
import io.callqa.schemas.UtteranceStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The demo calls' {@code expected} blocks (copies of calls/demo/*&#47;call.yaml in
 * src/test/resources/io/callqa/operators/rules/demo-calls) as scenario tests: each call's expected
 * turns become utterances, its events call events, and exactly the expected alerts (rule and count)
 * must come out of the rules with the shipped default rules file. Every call runs twice: with the
 * ground-truth text, and with simulated ASR errors (one wrong character or misspelt word per turn
 * of four or more tokens).
 */
class DemoScenariosTest {
  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final long HOUR = 3_600_000;
  static final String NOISY = "-asr-noise";
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static final Map<String, Map<String, Integer>> expected = new TreeMap<>();
  static final Map<String, Map<String, Integer>> actual = new HashMap<>();
  static final Map<String, CallSummary> summaries = new HashMap<>();

  static Stream<String> calls() {
    return expected.keySet().stream();
  }

  @BeforeAll
  static void runAllScenarios() throws Exception {
    List<Utterance> utterances = new ArrayList<>();
    List<CallEvent> events = new ArrayList<>();
    List<ChannelReport> reports = new ArrayList<>();
    List<ChannelProgress> progress = new ArrayList<>();
    Path dir = Path.of(DemoScenariosTest.class.getResource("demo-calls").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        JsonNode call = YAML.readTree(f.toFile());
        for (boolean noisy : List.of(false, true)) {
          String callId = call.get("callId").asText() + (noisy ? NOISY : "");
          Map<String, Integer> want = new TreeMap<>();
          for (JsonNode a : call.get("expected").get("alerts")) {
            want.merge(
                a.get("rule").asText(), a.has("count") ? a.get("count").asInt() : 1, Integer::sum);
          }
          expected.put(callId, want);
          actual.put(callId, new TreeMap<>());
          add(call, callId, noisy, utterances, events, reports);
          long end = reports.get(reports.size() - 1).getEndMs();
          progress.addAll(
              TestCalls.markers(
                  utterances.stream().filter(u -> u.getCallId().equals(callId)).toList(),
                  500,
                  end));
        }
      }
    }
    utterances.sort(Comparator.comparingLong(Utterance::getEndMs));

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    RulesConfig rules =
        RulesLoader.defaults()
            .withTiming(new TimingOptions(HOUR, HOUR, HOUR, HOUR, HOUR, 2 * HOUR, HOUR, 60_000));
    RulesAssembly.Result r =
        RulesAssembly.wire(
            rules,
            env.fromData(utterances, TypeInformation.of(Utterance.class)),
            env.fromData(events, TypeInformation.of(CallEvent.class)),
            env.fromData(reports, TypeInformation.of(ChannelReport.class)),
            env.fromData(progress, TypeInformation.of(ChannelProgress.class)));
    try (CloseableIterator<Alert> a = r.alerts().collectAsync();
        CloseableIterator<CallSummary> s = r.summaries().collectAsync()) {
      env.execute("demo-scenarios");
      a.forEachRemaining(x -> actual.get(x.getCallId()).merge(x.getRule(), 1, Integer::sum));
      s.forEachRemaining(x -> summaries.put(x.getCallId(), x));
    }
  }

  static void add(
      JsonNode call,
      String callId,
      boolean noisy,
      List<Utterance> utterances,
      List<CallEvent> events,
      List<ChannelReport> reports) {
    String tenant = call.get("tenant").asText();
    Instant startedAt = Instant.parse(call.get("startedAt").asText());
    Map<Channel, Integer> slots = new HashMap<>();
    int turnNo = 0;
    for (JsonNode t : call.get("expected").get("turns")) {
      Channel ch = Channel.valueOf(t.get("role").asText().toUpperCase(Locale.ROOT));
      int slot = slots.merge(ch, 1, Integer::sum) - 1;
      String text = t.get("text").asText();
      utterances.add(
          Utterance.newBuilder()
              .setUtteranceId(callId + "/" + ch + "/" + slot)
              .setTenant(tenant)
              .setCallId(callId)
              .setChannel(ch)
              .setSlotIndex(slot)
              .setStartMs(t.get("startMs").asLong())
              .setEndMs(t.get("endMs").asLong())
              .setText(noisy ? asrNoise(text, turnNo) : text)
              .setLanguage(t.get("language").asText())
              .setEmotion(t.get("emotion").asText())
              .setEvent(t.get("event").asText())
              .setConfidence(0.9f)
              .setStatus(UtteranceStatus.OK)
              .setAgentId(call.get("agentId").asText())
              .setStartedAt(startedAt)
              .setProcessingLatencyMs(150)
              .build());
      turnNo++;
    }
    long end = 0;
    for (JsonNode e : call.get("events")) {
      CallEventType type = CallEventType.valueOf(e.get("type").asText());
      long at = e.get("atMs").asLong();
      end = Math.max(end, at);
      events.add(
          CallEvent.newBuilder()
              .setTenant(tenant)
              .setCallId(callId)
              .setType(type)
              .setAtMs(at)
              .setAttributes(new HashMap<>())
              .build());
    }
    for (Map.Entry<Channel, Integer> e : slots.entrySet()) {
      reports.add(
          ChannelReport.newBuilder()
              .setTenant(tenant)
              .setCallId(callId)
              .setChannel(e.getKey())
              .setClosedBy("CALL_ENDED")
              .setEndMs(end)
              .setCoverage(
                  Coverage.newBuilder().setAudioMsReceived(end).setSlotsCut(e.getValue()).build())
              .build());
    }
  }

  /**
   * One ASR error per turn of four or more tokens: a CJK character replaced, or an English word
   * misspelt by a dropped letter; digits are left alone (PII must still be found).
   */
  static String asrNoise(String text, int seed) {
    List<String> tokens = TextTokens.tokenize(text);
    if (tokens.size() < 4) {
      return text;
    }
    int pick = 1 + seed % (tokens.size() - 2); // never the first or last token
    String victim = tokens.get(pick);
    if (Character.isDigit(victim.charAt(0))) {
      return text;
    }
    int at = 0;
    for (int i = 0; i < pick; i++) {
      at = text.indexOf(tokens.get(i), at) + tokens.get(i).length();
    }
    at = text.indexOf(victim, at);
    String wrong =
        victim.length() == 1
            ? (victim.equals("啊") ? "哦" : "啊")
            : victim.substring(0, victim.length() / 2) + victim.substring(victim.length() / 2 + 1);
    return text.substring(0, at) + wrong + text.substring(at + victim.length());
  }

  @org.junit.jupiter.api.Test
  void asrNoiseChangesOneTokenOfLongerTurns() {
    assertThat(asrNoise("您好请问有什么可以帮您", 0)).isEqualTo("您啊请问有什么可以帮您");
    assertThat(asrNoise("i understand your frustration", 1))
        .isEqualTo("i understand yor frustration");
    assertThat(asrNoise("my phone number is 13800138000", 3))
        .isEqualTo("my phone number is 13800138000");
    assertThat(asrNoise("okay thanks", 0)).isEqualTo("okay thanks");
    long changed = expected.keySet().stream().filter(id -> id.endsWith(NOISY)).count();
    assertThat(changed).as("a noisy twin of every scenario").isEqualTo(expected.size() - changed);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("calls")
  void exactlyTheExpectedAlerts(String callId) {
    assertThat(actual.get(callId)).as(callId).isEqualTo(expected.get(callId));
    CallSummary s = summaries.get(callId);
    assertThat(s).as("summary of " + callId).isNotNull();
    assertThat(new TreeMap<>(s.getAlertsByRule())).isEqualTo(expected.get(callId));
    assertThat(s.getCoverageComplete()).isTrue();
    assertThat(s.getEndedBy()).isEqualTo("ENDED");
  }
}
