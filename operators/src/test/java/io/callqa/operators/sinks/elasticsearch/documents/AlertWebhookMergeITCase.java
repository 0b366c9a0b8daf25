package io.callqa.operators.sinks.elasticsearch.documents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callqa.devstack.DevStack;
import io.callqa.devstack.DevStackExtension;
import io.callqa.operators.alerts.WebhookClient;
import io.callqa.operators.sinks.elasticsearch.ElasticsearchConnection;
import io.callqa.operators.sinks.elasticsearch.ElasticsearchSink;
import io.callqa.operators.sinks.elasticsearch.ElasticsearchSinkSettings;
import io.callqa.operators.sinks.elasticsearch.EsDocumentMapper;
import io.callqa.schemas.Alert;
import io.callqa.schemas.WebhookDelivery;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An alert's document and its webhook outcomes reach Elasticsearch through two sinks, in either
 * order and again on replays: on the real dev stack, with the real templates and the real sink,
 * every order ends with one document per alert holding the alert's fields and every outcome.
 */
@ExtendWith(DevStackExtension.class)
class AlertWebhookMergeITCase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TENANT = "merge_it";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @Test
  void alertAndOutcomesEndInOneDocumentWhateverTheOrder(DevStack stack) throws Exception {
    String es = stack.elasticsearchUrl();
    installTemplates(es);
    ElasticsearchSinkSettings settings =
        ElasticsearchSinkSettings.defaults(ElasticsearchConnection.of(es));
    Alert outcomeFirst = alert("merge-1");
    Alert alertFirst = alert("merge-2");
    Alert together = alert("merge-3");

    // outcome before its alert: the merge creates the document, the alert fills it in
    write(settings, List.of(), List.of(SampleRecords.delivered(outcomeFirst, "qa-backend")));
    write(settings, List.of(outcomeFirst), List.of());
    // alert before its outcomes (two endpoints, one failed)
    write(settings, List.of(alertFirst), List.of());
    write(
        settings,
        List.of(),
        List.of(
            SampleRecords.delivered(alertFirst, "qa-backend"), failed(alertFirst, "team.slack")));
    // both sinks of one job at once: the merges race on the same document
    write(
        settings,
        List.of(together),
        List.of(SampleRecords.delivered(together, "qa-backend"), failed(together, "team.slack")));

    for (Alert a : List.of(outcomeFirst, alertFirst, together)) {
      assertAlertWithOutcomes(es, a, a == outcomeFirst ? 1 : 2);
    }

    // a replay re-indexes every alert: the outcomes stay
    write(settings, List.of(outcomeFirst, alertFirst, together), List.of());
    for (Alert a : List.of(outcomeFirst, alertFirst, together)) {
      assertAlertWithOutcomes(es, a, a == outcomeFirst ? 1 : 2);
    }
    // and a replayed outcome replaces its endpoint's entry, never adds one
    write(settings, List.of(), List.of(SampleRecords.delivered(alertFirst, "team.slack")));
    JsonNode replayed = source(es, alertFirst);
    assertThat(replayed.at("/webhooks/" + slackKey() + "/outcome").asText()).isEqualTo("DELIVERED");
    assertThat(replayed.get("webhooks").size()).isEqualTo(2);

    refresh(es);
    JsonNode count = get(es, "/" + IndexNames.ALERTS.tenantPattern(TENANT) + "/_count");
    assertThat(count.get("count").asInt()).as("one document per alert").isEqualTo(3);

    // the outcome fields are typed by the templates, not by the first document
    String index = new AlertDocuments().toDocument(alertFirst).index();
    JsonNode entry =
        get(es, "/" + index + "/_mapping")
            .at("/" + index + "/mappings/properties/webhooks/properties/qa-backend/properties");
    assertThat(entry.at("/completedAtEpochMs/type").asText()).isEqualTo("date");
    assertThat(entry.at("/firstAttemptAtEpochMs/type").asText()).isEqualTo("date");
    assertThat(entry.at("/attempts/type").asText()).isEqualTo("integer");
    assertThat(entry.at("/httpStatus/type").asText()).isEqualTo("integer");
    assertThat(entry.at("/outcome/type").asText()).isEqualTo("keyword");
    assertThat(entry.at("/endToEndLatencyMs/type").asText()).isEqualTo("long");
    JsonNode slack =
        get(es, "/" + index + "/_mapping")
            .at(
                "/"
                    + index
                    + "/mappings/properties/webhooks/properties/"
                    + slackKey()
                    + "/properties");
    assertThat(slack.at("/error/type").asText()).isEqualTo("text");
    assertThat(slack.at("/error/fields/keyword/type").asText()).isEqualTo("keyword");

    // Kibana's question "which alerts reached no supervisor" is a plain query
    JsonNode notDelivered =
        post(
            es,
            "/" + IndexNames.ALERTS.tenantPattern(TENANT) + "/_search",
            "{\"query\":{\"term\":{\"webhooks."
                + slackKey()
                + ".outcome\":\"FAILED\"}},\"_source\":[\"alertId\"]}");
    assertThat(notDelivered.at("/hits/total/value").asInt()).isEqualTo(1);
    assertThat(notDelivered.at("/hits/hits/0/_id").asText()).isEqualTo(together.getAlertId());
  }

  private static void assertAlertWithOutcomes(String es, Alert a, int endpoints) throws Exception {
    JsonNode doc = source(es, a);
    assertThat(doc.get("rule").asText()).as(a.getAlertId()).isEqualTo("anger_escalation");
    assertThat(doc.get("evidenceCount").asInt()).isEqualTo(2);
    assertThat(doc.get("@timestamp").asText()).isEqualTo("2026-11-21T09:30:15.900Z");
    assertThat(doc.get("message").asText()).isEqualTo(a.getMessage());
    JsonNode webhooks = doc.get("webhooks");
    assertThat(webhooks).as(a.getAlertId() + " webhooks").isNotNull();
    assertThat(webhooks.size()).isEqualTo(endpoints);
    assertThat(webhooks.at("/qa-backend/outcome").asText()).isEqualTo("DELIVERED");
    assertThat(webhooks.at("/qa-backend/httpStatus").asInt()).isEqualTo(200);
    assertThat(webhooks.at("/qa-backend/attempts").asInt()).isEqualTo(1);
    if (endpoints == 2) {
      assertThat(webhooks.at("/" + slackKey() + "/endpoint").asText()).isEqualTo("team.slack");
    }
  }

  private static Alert alert(String callId) {
    Alert a = SampleRecords.angerAlert();
    a.setTenant(TENANT);
    a.setCallId(callId);
    a.setAlertId(callId + "/anger_escalation/0");
    a.setMessage("message of " + callId);
    return a;
  }

  private static WebhookDelivery failed(Alert a, String endpoint) {
    WebhookDelivery d = SampleRecords.delivered(a, endpoint);
    d.setOutcome(WebhookClient.FAILED);
    d.setAttempts(5);
    d.setHttpStatus(503);
    d.setError("HTTP 503 after 5 attempts");
    return d;
  }

  private static String slackKey() {
    return AlertDeliveryDocuments.endpointKey("team.slack");
  }

  /** One bounded job: the alerts through the alert sink, the outcomes through the outcome sink. */
  private static void write(
      ElasticsearchSinkSettings settings, List<Alert> alerts, List<WebhookDelivery> outcomes)
      throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    if (!alerts.isEmpty()) {
      sink(env.fromData(alerts, TypeInformation.of(Alert.class)), new AlertDocuments(), settings);
    }
    if (!outcomes.isEmpty()) {
      sink(
          env.fromData(outcomes, TypeInformation.of(WebhookDelivery.class)),
          new AlertDeliveryDocuments(),
          settings);
    }
    env.execute("alert/outcome merge");
  }

  private static <T> void sink(
      org.apache.flink.streaming.api.datastream.DataStream<T> stream,
      EsDocumentMapper<T> mapper,
      ElasticsearchSinkSettings settings) {
    stream.sinkTo(new ElasticsearchSink<>(mapper, settings));
  }

  private static JsonNode source(String es, Alert a) throws Exception {
    String index = new AlertDocuments().toDocument(a).index();
    String id = java.net.URLEncoder.encode(a.getAlertId(), java.nio.charset.StandardCharsets.UTF_8);
    JsonNode doc = get(es, "/" + index + "/_doc/" + id);
    assertThat(doc.get("found").asBoolean()).as(index + "/" + a.getAlertId()).isTrue();
    return doc.get("_source");
  }

  private static void installTemplates(String es) throws Exception {
    for (String name : List.of("callqa-settings", "callqa-dynamic-mappings")) {
      put(es, "/_component_template/" + name, resource("component-templates/" + name + ".json"));
    }
    put(es, "/_index_template/callqa-alerts", resource("index-templates/callqa-alerts.json"));
  }

  private static String resource(String path) throws IOException {
    try (InputStream in =
        AlertWebhookMergeITCase.class
            .getClassLoader()
            .getResourceAsStream("elasticsearch/" + path)) {
      assertThat(in).as(path).isNotNull();
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private static void refresh(String es) throws Exception {
    post(es, "/" + IndexNames.ALERTS.tenantPattern(TENANT) + "/_refresh", "");
  }

  private static JsonNode get(String es, String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(es + path)).GET(), path);
  }

  private static JsonNode put(String es, String path, String body) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(es + path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body)),
        path);
  }

  private static JsonNode post(String es, String path, String body) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(es + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)),
        path);
  }

  private static JsonNode send(HttpRequest.Builder request, String path) throws Exception {
    HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isBetween(200, 299);
    return JSON.readTree(r.body());
  }
}
