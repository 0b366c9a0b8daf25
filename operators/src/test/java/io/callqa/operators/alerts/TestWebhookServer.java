package io.callqa.operators.alerts;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP receiver for webhook tests (com.sun.net.httpserver): checks the signature of every
 * request like a careful receiver would, fails the first N attempts per idempotency key, and
 * accepts a key only once (a repeat is answered 200 but not accepted again).
 */
final class TestWebhookServer implements AutoCloseable {
  /** One request as the server saw it. */
  record Request(
      String key, String query, Map<String, String> headers, String body, boolean signatureOk) {}

  /** What to answer; null means: accept (or report a duplicate). */
  interface Script {
    Response answer(Request r, int attemptForKey);
  }

  /**
   * @param accept the request is processed (counts as accepted) although the answer may be an error
   *     or come too late
   */
  record Response(
      int status, String body, Map<String, String> headers, long delayMs, boolean accept) {
    static Response of(int status, String body) {
      return new Response(status, body, Map.of(), 0, false);
    }
  }

  final WebhookFormat format;
  final String secret;
  final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

  /** Keys processed, with how many times (must stay 1: the receiver dedupes by key). */
  final Map<String, Integer> accepted = new ConcurrentHashMap<>();

  /** 2xx answers per key (a repeat after a lost answer is acknowledged again). */
  final Map<String, Integer> acks = new ConcurrentHashMap<>();

  final AtomicInteger badSignatures = new AtomicInteger();
  volatile Script script = (r, n) -> null;
  private final HttpServer server;

  TestWebhookServer(WebhookFormat format, String secret) throws IOException {
    this.format = format;
    this.secret = secret;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/hook", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  /** Fails the first {@code n} attempts of every alert with HTTP {@code status}. */
  TestWebhookServer failFirst(int n, int status) {
    script = (r, attempt) -> attempt <= n ? Response.of(status, "try later") : null;
    return this;
  }

  private void handle(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, String> headers = new HashMap<>();
    ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
    String key = headers.get("idempotency-key");
    String query = ex.getRequestURI().getRawQuery();
    boolean ok = verify(headers, query, body);
    Request r = new Request(key, query, headers, body, ok);
    requests.add(r);
    if (!ok) {
      badSignatures.incrementAndGet();
      send(ex, Response.of(401, "bad signature"));
      return;
    }
    int n = attempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    Response scripted = script.answer(r, n);
    if (scripted == null) {
      scripted = new Response(200, okBody(), Map.of(), 0, true);
    }
    if (scripted.accept()) {
      accepted.putIfAbsent(key, 1); // a key seen before is acknowledged, not processed again
    }
    if (scripted.status() / 100 == 2) {
      acks.merge(key, 1, Integer::sum);
    }
    send(ex, scripted);
  }

  String okBody() {
    switch (format) {
      case DINGTALK:
      case WECOM:
        return "{\"errcode\":0,\"errmsg\":\"ok\"}";
      case SLACK:
        return "ok";
      default:
        return "{\"received\":true}";
    }
  }

  private boolean verify(Map<String, String> headers, String query, String body) {
    switch (format) {
      case GENERIC:
        return WebhookSigner.verifyGeneric(
            secret,
            headers.get("x-callqa-timestamp"),
            headers.get("x-callqa-signature"),
            body,
            System.currentTimeMillis() / 1000,
            300);
      case DINGTALK:
        if (secret == null) {
          return true;
        }
        Map<String, String> q = query(query);
        String ts = q.get("timestamp");
        String sign = q.get("sign");
        if (ts == null || sign == null) {
          return false;
        }
        long age = Math.abs(System.currentTimeMillis() - Long.parseLong(ts));
        String expected =
            URLDecoder.decode(
                WebhookSigner.dingTalk(secret, Long.parseLong(ts)), StandardCharsets.UTF_8);
        return age < 3_600_000 && expected.equals(URLDecoder.decode(sign, StandardCharsets.UTF_8));
      default:
        return true;
    }
  }

  static Map<String, String> query(String raw) {
    Map<String, String> m = new LinkedHashMap<>();
    if (raw == null) {
      return m;
    }
    for (String part : raw.split("&")) {
      int eq = part.indexOf('=');
      m.put(part.substring(0, eq), part.substring(eq + 1));
    }
    return m;
  }

  private static void send(HttpExchange ex, Response r) throws IOException {
    if (r.delayMs() > 0) {
      try {
        Thread.sleep(r.delayMs());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    byte[] bytes = r.body().getBytes(StandardCharsets.UTF_8);
    r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    try {
      ex.sendResponseHeaders(r.status(), bytes.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(bytes);
      }
    } catch (IOException clientGone) {
      // the client timed out: fine for the timeout tests
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
