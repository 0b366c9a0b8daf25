package io.callqa.operators.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callqa.operators.rules.Severity;
import io.callqa.schemas.Alert;
import io.callqa.schemas.Channel;
import io.callqa.schemas.Evidence;
import io.callqa.schemas.WebhookDelivery;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against a real local HTTP server that checks signatures and misbehaves on cue. */
class WebhookClientTest {
  static final String SECRET = "s3cr3t-for-tests";
  static final SecretResolver SECRETS = name -> name.equals("WEBHOOK_SECRET") ? SECRET : null;
  static final ObjectMapper JSON = new ObjectMapper();

  final List<TestWebhookServer> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(TestWebhookServer::close);
  }

  TestWebhookServer server(WebhookFormat format, String secret) throws Exception {
    TestWebhookServer s = new TestWebhookServer(format, secret);
    servers.add(s);
    return s;
  }

  static WebhookEndpoint endpoint(
      String name,
      WebhookFormat format,
      String url,
      String secretEnv,
      int attempts,
      long timeoutMs) {
    return new WebhookEndpoint(
        name,
        url,
        null,
        format,
        secretEnv,
        Severity.INFO,
        List.of(),
        timeoutMs,
        attempts,
        10,
        50,
        100,
        60_000);
  }

  static Alert alert(int episode) {
    return Alert.newBuilder()
        .setAlertId("call-1/anger_escalation/" + episode)
        .setTenant("acme")
        .setCallId("call-1")
        .setRule("anger_escalation")
        .setSeverity("critical")
        .setEpisode(episode)
        .setAtMs(17_000)
        .setMessage("Customer angry in 2 consecutive utterances within 5 s")
        .setAgentId("agent-7")
        .setEvidence(
            List.of(
                Evidence.newBuilder()
                    .setUtteranceId("call-1/CUSTOMER/1")
                    .setChannel(Channel.CUSTOMER)
                    .setStartMs(9_000)
                    .setEndMs(12_000)
                    .setText("你们太过分了 <b>&")
                    .setEmotion("ANGRY")
                    .build()))
        .setDetails(new HashMap<>(Map.of("spanMs", "5000")))
        .setTriggerArrivedAtEpochMs(System.currentTimeMillis() - 1_000)
        .build();
  }

  static List<WebhookDelivery> deliverAll(WebhookClient c, WebhookEndpoint e, int alerts)
      throws Exception {
    List<CompletableFuture<WebhookDelivery>> fs = new ArrayList<>();
    for (int i = 0; i < alerts; i++) {
      fs.add(c.deliver(alert(i), e));
    }
    List<WebhookDelivery> out = new ArrayList<>();
    for (CompletableFuture<WebhookDelivery> f : fs) {
      out.add(f.get(30, TimeUnit.SECONDS));
    }
    return out;
  }

  static WebhookClient client(WebhookEndpoint... endpoints) {
    return new WebhookClient(
        List.of(endpoints), SECRETS, WebhookClient.defaultHttpClient(), System::currentTimeMillis);
  }

  @Test
  void genericRetriesUntilAcceptedAndEachAlertIsAcceptedExactlyOnce() throws Exception {
    TestWebhookServer s = server(WebhookFormat.GENERIC, SECRET).failFirst(2, 503);
    WebhookEndpoint e =
        endpoint("backend", WebhookFormat.GENERIC, s.url(), "WEBHOOK_SECRET", 5, 2_000);
    List<WebhookDelivery> out = deliverAll(client(e), e, 5);
    assertThat(out)
        .allSatisfy(
            d -> {
              assertThat(d.getOutcome()).isEqualTo("DELIVERED");
              assertThat(d.getAttempts()).isEqualTo(3);
              assertThat(d.getHttpStatus()).isEqualTo(200);
              assertThat(d.getDeliveryId()).isEqualTo(d.getAlertId() + "@backend");
              assertThat(d.getEndToEndLatencyMs()).isGreaterThanOrEqualTo(1_000);
            });
    assertThat(s.badSignatures).hasValue(0);
    assertThat(s.requests).hasSize(15);
    assertThat(s.accepted).hasSize(5).allSatisfy((k, n) -> assertThat(n).isEqualTo(1));
    assertThat(s.acks).hasSize(5).allSatisfy((k, n) -> assertThat(n).isEqualTo(1));
    JsonNode body = JSON.readTree(s.requests.get(s.requests.size() - 1).body());
    assertThat(body.get("type").asText()).isEqualTo("callqa.alert");
    assertThat(body.get("rule").asText()).isEqualTo("anger_escalation");
    assertThat(body.get("evidence").get(0).get("text").asText()).isEqualTo("你们太过分了 <b>&");
    assertThat(s.requests.get(0).headers().get("x-callqa-signature")).startsWith("v1=");
  }

  @Test
  void aLostAnswerIsRetriedAndTheReceiverDedupesByIdempotencyKey() throws Exception {
    TestWebhookServer s = server(WebhookFormat.GENERIC, SECRET);
    // first attempt: processed, but the answer comes after the client gave up
    s.script =
        (r, attempt) ->
            attempt == 1 ? new TestWebhookServer.Response(200, "{}", Map.of(), 1_500, true) : null;
    WebhookEndpoint e =
        endpoint("backend", WebhookFormat.GENERIC, s.url(), "WEBHOOK_SECRET", 3, 500);
    WebhookDelivery d = deliverAll(client(e), e, 1).get(0);
    assertThat(d.getOutcome()).isEqualTo("DELIVERED");
    assertThat(d.getAttempts()).isEqualTo(2);
    assertThat(s.requests).hasSize(2);
    assertThat(s.requests)
        .extracting(TestWebhookServer.Request::key)
        .containsOnly("call-1/anger_escalation/0");
    assertThat(s.accepted).containsExactly(Map.entry("call-1/anger_escalation/0", 1));
  }

  @Test
  void aTamperedOrUnsignedRequestIsRefusedByTheReceiver() throws Exception {
    TestWebhookServer s = server(WebhookFormat.GENERIC, "another-secret");
    WebhookEndpoint e =
        endpoint("backend", WebhookFormat.GENERIC, s.url(), "WEBHOOK_SECRET", 3, 2_000);
    WebhookDelivery d = deliverAll(client(e), e, 1).get(0);
    assertThat(d.getOutcome()).isEqualTo("FAILED");
    assertThat(d.getAttempts()).isEqualTo(1); // 401 is permanent: no retries
    assertThat(d.getHttpStatus()).isEqualTo(401);
    assertThat(s.badSignatures).hasValue(1);
    assertThat(s.accepted).isEmpty();
  }

  @Test
  void dingTalkSignsTheUrlAndRetriesARateLimit() throws Exception {
    TestWebhookServer s = server(WebhookFormat.DINGTALK, SECRET);
    s.script =
        (r, attempt) ->
            attempt == 1
                ? TestWebhookServer.Response.of(
                    200, "{\"errcode\":130101,\"errmsg\":\"send too fast\"}")
                : null;
    WebhookEndpoint e =
        endpoint(
            "ding",
            WebhookFormat.DINGTALK,
            s.url() + "?access_token=tok",
            "WEBHOOK_SECRET",
            3,
            2_000);
    WebhookDelivery d = deliverAll(client(e), e, 1).get(0);
    assertThat(d.getOutcome()).isEqualTo("DELIVERED");
    assertThat(d.getAttempts()).isEqualTo(2);
    assertThat(s.badSignatures).hasValue(0);
    Map<String, String> q = TestWebhookServer.query(s.requests.get(1).query());
    assertThat(q).containsKeys("access_token", "timestamp", "sign");
    JsonNode body = JSON.readTree(s.requests.get(1).body());
    assertThat(body.get("msgtype").asText()).isEqualTo("markdown");
    assertThat(body.get("markdown").get("title").asText())
        .isEqualTo("[CRITICAL] anger_escalation · call-1");
    assertThat(body.get("markdown").get("text").asText()).contains("> CUSTOMER 0:09 你们太过分了");
  }

  @Test
  void dingTalkPermanentErrorIsNotRetried() throws Exception {
    TestWebhookServer s = server(WebhookFormat.DINGTALK, SECRET);
    s.script =
        (r, attempt) ->
            TestWebhookServer.Response.of(
                200, "{\"errcode\":310000,\"errmsg\":\"sign not match\"}");
    WebhookEndpoint e =
        endpoint("ding", WebhookFormat.DINGTALK, s.url(), "WEBHOOK_SECRET", 5, 2_000);
    WebhookDelivery d = deliverAll(client(e), e, 1).get(0);
    assertThat(d.getOutcome()).isEqualTo("FAILED");
    assertThat(d.getAttempts()).isEqualTo(1);
    assertThat(d.getError()).contains("310000");
  }

  @Test
  void weComSendsMarkdown() throws Exception {
    TestWebhookServer s = server(WebhookFormat.WECOM, null);
    WebhookEndpoint e = endpoint("wecom", WebhookFormat.WECOM, s.url() + "?key=k", null, 3, 2_000);
    assertThat(deliverAll(client(e), e, 1).get(0).getOutcome()).isEqualTo("DELIVERED");
    JsonNode body = JSON.readTree(s.requests.get(0).body());
    assertThat(body.get("msgtype").asText()).isEqualTo("markdown");
    assertThat(body.get("markdown").get("content").asText())
        .contains("anger_escalation", "call-1/anger_escalation/0");
  }

  @Test
  void slackHonoursRetryAfterAndEscapesText() throws Exception {
    TestWebhookServer s = server(WebhookFormat.SLACK, null);
    s.script =
        (r, attempt) ->
            attempt == 1
                ? new TestWebhookServer.Response(
                    429, "rate_limited", Map.of("Retry-After", "0"), 0, false)
                : null;
    WebhookEndpoint e = endpoint("slack", WebhookFormat.SLACK, s.url(), null, 3, 2_000);
    WebhookDelivery d = deliverAll(client(e), e, 1).get(0);
    assertThat(d.getOutcome()).isEqualTo("DELIVERED");
    assertThat(d.getAttempts()).isEqualTo(2);
    JsonNode body = JSON.readTree(s.requests.get(1).body());
    assertThat(body.get("text").asText()).startsWith("[CRITICAL] anger_escalation");
    String block = body.get("blocks").get(0).get("text").get("text").asText();
    assertThat(block).contains("&lt;b&gt;&amp;").doesNotContain("<b>");
  }

  @Test
  void aDeadEndpointOpensItsCircuitAndCostsNothingAfterwards() throws Exception {
    TestWebhookServer s = server(WebhookFormat.SLACK, null).failFirst(Integer.MAX_VALUE, 500);
    WebhookEndpoint e =
        new WebhookEndpoint(
            "slack",
            s.url(),
            null,
            WebhookFormat.SLACK,
            null,
            Severity.INFO,
            List.of(),
            1_000,
            2,
            10,
            20,
            3,
            60_000);
    WebhookClient c = client(e);
    WebhookDelivery first = c.deliver(alert(0), e).get(10, TimeUnit.SECONDS);
    assertThat(first.getOutcome()).isEqualTo("FAILED");
    assertThat(first.getAttempts()).isEqualTo(2);
    WebhookDelivery second = c.deliver(alert(1), e).get(10, TimeUnit.SECONDS);
    assertThat(second.getOutcome()).isEqualTo("FAILED");
    assertThat(second.getError()).contains("circuit opened");
    assertThat(c.breaker("slack").state()).isEqualTo(CircuitBreaker.State.OPEN);
    int before = s.requests.size();
    List<WebhookDelivery> later = deliverAll(c, e, 20);
    assertThat(later)
        .allSatisfy(
            d -> {
              assertThat(d.getOutcome()).isEqualTo("CIRCUIT_OPEN");
              assertThat(d.getAttempts()).isZero();
            });
    assertThat(s.requests).hasSize(before);
  }

  @Test
  void anUnreachableEndpointFailsAfterItsAttempts() throws Exception {
    WebhookEndpoint e =
        endpoint("gone", WebhookFormat.SLACK, "http://127.0.0.1:9/hook", null, 3, 500);
    WebhookDelivery d = deliverAll(client(e), e, 1).get(0);
    assertThat(d.getOutcome()).isEqualTo("FAILED");
    assertThat(d.getAttempts()).isEqualTo(3);
    assertThat(d.getHttpStatus()).isNull();
    assertThat(d.getError()).isNotBlank();
  }

  @Test
  void aMissingSecretIsReportedNotSent() throws Exception {
    TestWebhookServer s = server(WebhookFormat.GENERIC, SECRET);
    WebhookEndpoint e =
        endpoint("backend", WebhookFormat.GENERIC, s.url(), "NOT_SET_ANYWHERE", 3, 500);
    WebhookDelivery d = deliverAll(client(e), e, 1).get(0);
    assertThat(d.getOutcome()).isEqualTo("NOT_CONFIGURED");
    assertThat(d.getError()).contains("NOT_SET_ANYWHERE").doesNotContain(SECRET);
    assertThat(s.requests).isEmpty();
  }
}
