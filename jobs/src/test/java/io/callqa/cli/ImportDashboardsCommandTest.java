package io.callqa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.callqa.jobs.elasticsearch.KibanaDashboards;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code callqa import-dashboards} against a real local HTTP server standing in for Kibana's saved
 * objects import API: it checks method, path, query, headers and that the multipart file is the
 * NDJSON, and answers like Kibana does.
 */
class ImportDashboardsCommandTest {
  private static final Pattern BOUNDARY = Pattern.compile("multipart/form-data; boundary=(\\S+)");

  /** One request as the server saw it. */
  record Seen(
      String method,
      String path,
      String query,
      String xsrf,
      String contentType,
      String authorization,
      byte[] body) {}

  private HttpServer server;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  private volatile String answer;

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
    byte[] body = ex.getRequestBody().readAllBytes();
    seen.add(
        new Seen(
            ex.getRequestMethod(),
            ex.getRequestURI().getPath(),
            ex.getRequestURI().getQuery(),
            ex.getRequestHeaders().getFirst("kbn-xsrf"),
            ex.getRequestHeaders().getFirst("Content-Type"),
            ex.getRequestHeaders().getFirst("Authorization"),
            body));
    String response = answer;
    if (response == null) {
      int objects =
          (int) fileOf(seen.get(seen.size() - 1)).lines().filter(l -> !l.isBlank()).count();
      response =
          "{\"success\":true,\"successCount\":"
              + objects
              + ",\"successResults\":[],\"warnings\":[]}";
    }
    byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  /** The content of the multipart field "file", checked to be well formed. */
  private static String fileOf(Seen s) {
    Matcher m = BOUNDARY.matcher(s.contentType());
    assertThat(m.matches()).as("content type " + s.contentType()).isTrue();
    String boundary = m.group(1);
    String body = new String(s.body(), StandardCharsets.UTF_8);
    assertThat(body).startsWith("--" + boundary + "\r\n").endsWith("\r\n--" + boundary + "--\r\n");
    int headEnd = body.indexOf("\r\n\r\n");
    String head = body.substring(0, headEnd);
    assertThat(head)
        .contains("Content-Disposition: form-data; name=\"file\"; filename=\"")
        .contains(".ndjson\"")
        .contains("Content-Type: application/ndjson");
    return body.substring(headEnd + 4, body.length() - ("\r\n--" + boundary + "--\r\n").length());
  }

  @Test
  void postsTheDashboardsNdjsonToTheImportApi() {
    CliRun run = CliRun.of("import-dashboards", "--kibana", url());
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(seen).hasSize(1);
    Seen s = seen.get(0);
    assertThat(s.method()).isEqualTo("POST");
    assertThat(s.path()).isEqualTo("/api/saved_objects/_import");
    assertThat(s.query()).isEqualTo("overwrite=true");
    assertThat(s.xsrf()).isEqualTo("true");
    assertThat(s.authorization()).isNull();
    assertThat(fileOf(s)).isEqualTo(KibanaDashboards.ndjson());
    long objects = KibanaDashboards.ndjson().lines().count();
    assertThat(run.out()).contains("imported " + objects + " of " + objects + " objects");
  }

  @Test
  void importsIntoASpace() {
    CliRun run = CliRun.of("import-dashboards", "--kibana", url() + "/", "--space", "quality-team");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(seen.get(0).path()).isEqualTo("/s/quality-team/api/saved_objects/_import");
    assertThat(run.out()).contains("space quality-team");
  }

  @Test
  void importsAGivenFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("mine.ndjson");
    String ndjson =
        "{\"type\":\"index-pattern\",\"id\":\"x\",\"attributes\":{\"title\":\"x-*\"},\"references\":[]}\n";
    Files.writeString(file, ndjson);
    CliRun run = CliRun.of("import-dashboards", "--kibana", url(), "--file", file.toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(fileOf(seen.get(0))).isEqualTo(ndjson);
    assertThat(new String(seen.get(0).body(), StandardCharsets.UTF_8))
        .contains("filename=\"mine.ndjson\"");
  }

  @Test
  void sendsAnApiKeyFromTheEnvironment() {
    String var =
        System.getenv().containsKey("PATH") ? "PATH" : System.getenv().keySet().iterator().next();
    CliRun run = CliRun.of("import-dashboards", "--kibana", url(), "--api-key-env", var);
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(seen.get(0).authorization()).isEqualTo("ApiKey " + System.getenv(var));
  }

  @Test
  void objectsKibanaDidNotImportFailTheCommand() {
    answer =
        "{\"success\":false,\"successCount\":3,\"errors\":[{\"id\":\"callqa-lens-language-mix\",\"type\":\"lens\","
            + "\"meta\":{\"title\":\"Language mix\"},\"error\":{\"type\":\"missing_references\","
            + "\"references\":[{\"type\":\"index-pattern\",\"id\":\"callqa-utterances\"}]}}]}";
    CliRun run = CliRun.of("import-dashboards", "--kibana", url());
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CallQa.EXIT_FAILED);
    assertThat(run.err())
        .contains(
            "lens callqa-lens-language-mix (Language mix): missing_references missing index-pattern callqa-utterances")
        .contains("import incomplete (1 error(s))");
  }

  @Test
  void httpErrorsFailWithKibanasMessage() {
    status = 401;
    answer =
        "{\"statusCode\":401,\"error\":\"Unauthorized\",\"message\":\"missing authentication credentials\"}";
    CliRun run = CliRun.of("import-dashboards", "--kibana", url());
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CallQa.EXIT_FAILED);
    assertThat(run.err()).contains("answered 401").contains("Unauthorized");
  }

  @Test
  void unreachableKibanaFailsClearly() {
    String gone = url();
    server.stop(0);
    CliRun run = CliRun.of("import-dashboards", "--kibana", gone, "--timeout", "5");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CallQa.EXIT_FAILED);
    assertThat(run.err()).contains("Kibana unreachable").contains(gone);
  }

  @Test
  void wrongUsageIsExitCodeTwo() {
    assertThat(CliRun.of("import-dashboards").exitCode()).isEqualTo(CallQa.EXIT_USAGE);
    assertThat(CliRun.of("import-dashboards", "--kibana", url(), "--space", "Not Valid").exitCode())
        .isEqualTo(CallQa.EXIT_USAGE);
    assertThat(seen).isEmpty();
  }
}
