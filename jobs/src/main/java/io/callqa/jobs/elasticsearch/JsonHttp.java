package io.callqa.jobs.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * A small JSON-over-HTTP client for Elasticsearch's REST API (java.net.http): the setup commands
 * need a handful of calls, and this keeps them independent of client-library version checks (the
 * dev stack's distribution answers {@code GET /} with 405, which the official client's {@code
 * info()} and {@code ping()} treat as failure).
 */
public final class JsonHttp {
  static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final String authorization;
  private final Duration timeout;
  private final HttpClient http;

  /** A response: its status and body (parsed lazily). */
  public record Response(int status, String body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("response is not JSON: " + abbreviate(body), e);
      }
    }

    /** Elasticsearch's error type and reason, or the body when it has none. */
    public String errorText() {
      try {
        JsonNode error = JSON.readTree(body).path("error");
        if (error.isObject()) {
          JsonNode root = error.path("root_cause").path(0);
          String type = error.path("type").asText();
          String reason = error.path("reason").asText();
          if (reason.isEmpty() && root.isObject()) {
            reason = root.path("reason").asText();
          }
          return type + ": " + reason;
        }
        if (error.isTextual()) {
          JsonNode message = JSON.readTree(body).path("message");
          return message.isTextual() ? error.asText() + ": " + message.asText() : error.asText();
        }
      } catch (IOException | RuntimeException e) {
        // not JSON: fall through
      }
      return abbreviate(body);
    }
  }

  /**
   * @param baseUrl e.g. {@code http://localhost:9200}
   * @param authorization the {@code Authorization} header value, or {@code null}
   */
  public JsonHttp(String baseUrl, String authorization, Duration timeout) {
    Objects.requireNonNull(baseUrl, "baseUrl");
    if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
      throw new IllegalArgumentException(
          "URL '" + baseUrl + "' must start with http:// or https://");
    }
    this.base =
        URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
    this.authorization = authorization;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  public URI base() {
    return base;
  }

  public Response get(String path) throws UnreachableException {
    return send(request(path).GET());
  }

  public Response put(String path, JsonNode body) throws UnreachableException {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)));
  }

  public Response post(String path, String contentType, byte[] body) throws UnreachableException {
    return send(
        request(path)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  public Response delete(String path) throws UnreachableException {
    return send(request(path).DELETE());
  }

  HttpRequest.Builder request(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(timeout)
            .header("Accept", "application/json");
    return authorization == null ? b : b.header("Authorization", authorization);
  }

  Response send(HttpRequest.Builder request) throws UnreachableException {
    HttpRequest r = request.build();
    try {
      HttpResponse<String> response =
          http.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(response.statusCode(), response.body());
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new UnreachableException("cannot connect to " + base + " (" + describe(e) + ")", e);
    } catch (HttpTimeoutException e) {
      throw new UnreachableException(
          "no answer from "
              + base
              + " within "
              + timeout.toSeconds()
              + " s ("
              + r.method()
              + " "
              + r.uri().getPath()
              + ")",
          e);
    } catch (IOException e) {
      throw new UnreachableException("cannot talk to " + base + " (" + describe(e) + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnreachableException("interrupted while calling " + base, e);
    }
  }

  private static String describe(Exception e) {
    if (e instanceof ConnectException && e.getMessage() == null) {
      return "connection refused";
    }
    String m = e.getMessage();
    if (m == null && e.getCause() != null) {
      m = e.getCause().toString();
    }
    return m == null ? e.getClass().getSimpleName() : m;
  }

  static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    String one = s.replaceAll("\\s+", " ").trim();
    return one.length() > 500 ? one.substring(0, 500) + " …" : one;
  }

  /** The server could not be reached or did not answer. */
  public static final class UnreachableException extends Exception {
    private static final long serialVersionUID = 1L;

    UnreachableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
