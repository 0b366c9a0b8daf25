package io.callqa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code callqa setup-es} against a local HTTP server that keeps templates the way the template API
 * does (the round trip on a real Elasticsearch is SetupEsITCase): exit codes, the report, dry runs,
 * and failures.
 */
class SetupEsCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpServer server;
  private final Map<String, JsonNode> templates = new ConcurrentHashMap<>();
  private final List<String> writes = new CopyOnWriteArrayList<>();
  private volatile String refuse;
  private volatile int healthStatus = 200;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    byte[] body = ex.getRequestBody().readAllBytes();
    if (path.equals("/_cluster/health")) {
      send(
          ex,
          healthStatus,
          healthStatus == 200
              ? "{\"cluster_name\":\"fake\",\"status\":\"green\"}"
              : "{\"error\":{\"type\":\"security_exception\",\"reason\":\"missing authentication credentials\"},\"status\":401}");
      return;
    }
    boolean index = path.startsWith("/_index_template/");
    boolean component = path.startsWith("/_component_template/");
    if (!index && !component) {
      send(ex, 405, "{\"error\":\"Incorrect HTTP method\"}");
      return;
    }
    String name = path.substring(path.lastIndexOf('/') + 1);
    String key = (index ? "index/" : "component/") + name;
    if (method.equals("GET")) {
      JsonNode t = templates.get(key);
      if (t == null) {
        send(
            ex,
            404,
            "{\"error\":{\"type\":\"resource_not_found_exception\",\"reason\":\""
                + name
                + " missing\"},\"status\":404}");
      } else {
        String list = index ? "index_templates" : "component_templates";
        String item = index ? "index_template" : "component_template";
        send(
            ex, 200, "{\"" + list + "\":[{\"name\":\"" + name + "\",\"" + item + "\":" + t + "}]}");
      }
    } else if (method.equals("PUT")) {
      if (name.equals(refuse)) {
        send(
            ex,
            400,
            "{\"error\":{\"root_cause\":[],\"type\":\"illegal_argument_exception\",\"reason\":\"index template ["
                + name
                + "] has index patterns matching patterns from existing templates\"},\"status\":400}");
        return;
      }
      templates.put(key, JSON.readTree(body));
      writes.add(key);
      send(ex, 200, "{\"acknowledged\":true}");
    } else {
      send(ex, 405, "{}");
    }
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  @Test
  void createsEveryTemplateThenFindsThemUnchanged() {
    CliRun first = CliRun.of("setup-es", "--es", url());
    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.out())
        .contains("cluster fake, status green")
        .containsPattern("component template +callqa-settings +created")
        .containsPattern("index template +callqa-alerts +created")
        .contains("6 templates: 6 created, 0 updated, 0 unchanged");
    assertThat(writes).hasSize(6);
    assertThat(writes.get(0)).startsWith("component/");
    assertThat(
            templates
                .get("component/callqa-settings")
                .at("/template/settings/index/number_of_replicas")
                .asInt())
        .isZero();

    CliRun second = CliRun.of("setup-es", "--es", url());
    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(second.out()).contains("6 templates: 0 created, 0 updated, 6 unchanged");
    assertThat(writes).hasSize(6);
  }

  @Test
  void moreReplicasUpdateOnlyTheSettingsComponent() {
    assertThat(CliRun.of("setup-es", "--es", url()).exitCode()).isZero();
    CliRun run = CliRun.of("setup-es", "--es", url(), "--replicas", "1");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .containsPattern("component template +callqa-settings +updated")
        .contains("6 templates: 0 created, 1 updated, 5 unchanged")
        .contains("existing daily indices keep their settings");
    assertThat(
            templates
                .get("component/callqa-settings")
                .at("/template/settings/index/number_of_replicas")
                .asInt())
        .isEqualTo(1);
  }

  @Test
  void dryRunChangesNothing() {
    CliRun run = CliRun.of("setup-es", "--es", url(), "--dry-run");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .containsPattern("index template +callqa-utterances +would be created")
        .contains("(dry run: nothing was changed)");
    assertThat(writes).isEmpty();
  }

  @Test
  void aRefusedTemplateFailsWithElasticsearchsReason() {
    refuse = "callqa-alerts";
    CliRun run = CliRun.of("setup-es", "--es", url());
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CallQa.EXIT_FAILED);
    assertThat(run.out()).containsPattern("index template +callqa-calls +created");
    assertThat(run.err())
        .contains(
            "Elasticsearch refused index template callqa-alerts (400 illegal_argument_exception: index template [callqa-alerts] has index patterns");
    assertThat(templates).doesNotContainKey("index/callqa-deadletters");
  }

  @Test
  void healthErrorsFailBeforeAnythingIsWritten() {
    healthStatus = 401;
    CliRun run = CliRun.of("setup-es", "--es", url());
    assertThat(run.exitCode()).isEqualTo(CallQa.EXIT_FAILED);
    assertThat(run.err())
        .contains(
            "answered 401 on /_cluster/health: security_exception: missing authentication credentials");
    assertThat(writes).isEmpty();
  }

  @Test
  void unreachableElasticsearchFailsClearly() {
    String gone = url();
    server.stop(0);
    CliRun run = CliRun.of("setup-es", "--es", gone, "--timeout", "5");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CallQa.EXIT_FAILED);
    assertThat(run.err()).contains("Elasticsearch unreachable: cannot connect to " + gone);
  }

  @Test
  void missingSecretsFailClearly() {
    CliRun run =
        CliRun.of(
            "setup-es",
            "--es",
            url(),
            "--user",
            "elastic",
            "--password-env",
            "CALLQA_TEST_SURELY_UNSET_VAR");
    assertThat(run.exitCode()).isEqualTo(CallQa.EXIT_FAILED);
    assertThat(run.err()).contains("CALLQA_TEST_SURELY_UNSET_VAR (password) is not set");
  }

  @Test
  void wrongUsageIsExitCodeTwo() {
    assertThat(CliRun.of("setup-es", "--es", url(), "--replicas", "-1").exitCode())
        .isEqualTo(CallQa.EXIT_USAGE);
    assertThat(CliRun.of("setup-es", "--es", url(), "--shards", "0").exitCode())
        .isEqualTo(CallQa.EXIT_USAGE);
    assertThat(CliRun.of("setup-es", "--es", url(), "--replicas", "many").exitCode())
        .isEqualTo(CallQa.EXIT_USAGE);
    assertThat(writes).isEmpty();
  }
}
