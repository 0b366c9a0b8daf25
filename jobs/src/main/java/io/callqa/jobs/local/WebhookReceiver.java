package io.callqa.jobs.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A supervisor's endpoint for the demo and the tests: a real local HTTP server that accepts
 * callqa's generic webhook, verifies its HMAC-SHA256 signature ({@code X-CallQA-Signature:
 * v1=hex(HMAC(secret, timestamp + "." + body))}, {@code X-CallQA-Timestamp}) and records one
 * delivery per idempotency key with its receipt time. Can refuse the first N attempts to exercise
 * retries.
 */
public final class WebhookReceiver implements AutoCloseable {
  public static final String PATH = "/hooks/callqa";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final byte[] secret;
  private final AtomicInteger failuresLeft;
  private final Map<String, Delivery> deliveries = new LinkedHashMap<>();
  private final List<String> rejected = new ArrayList<>();
  private int attempts;
  private int duplicates;

  /** One accepted alert. */
  public record Delivery(String alertId, long receivedAtEpochMs, JsonNode body) {}

  private WebhookReceiver(String secret, int failFirst) throws IOException {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.failuresLeft = new AtomicInteger(failFirst);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.createContext(PATH, this::handle);
    server.start();
  }

  public static WebhookReceiver start(String secret, int failFirst) throws IOException {
    return new WebhookReceiver(secret, failFirst);
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
  }

  private void handle(HttpExchange ex) throws IOException {
    long now = System.currentTimeMillis();
    byte[] body = ex.getRequestBody().readAllBytes();
    int status;
    synchronized (this) {
      attempts++;
      String timestamp = ex.getRequestHeaders().getFirst("X-CallQA-Timestamp");
      String signature = ex.getRequestHeaders().getFirst("X-CallQA-Signature");
      String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
      if (!"POST".equals(ex.getRequestMethod())) {
        status = 405;
      } else if (timestamp == null
          || signature == null
          || !validSignature(timestamp, body, signature)) {
        rejected.add("bad signature for " + key);
        status = 401;
      } else if (failuresLeft.getAndDecrement() > 0) {
        status = 503;
      } else {
        if (deliveries.containsKey(key)) {
          duplicates++;
        } else {
          deliveries.put(key, new Delivery(key, now, JSON.readTree(body)));
        }
        status = 200;
      }
    }
    ex.sendResponseHeaders(status, -1);
    ex.close();
  }

  private boolean validSignature(String timestamp, byte[] body, String header) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      byte[] expected = mac.doFinal(body);
      String given = header.startsWith("v1=") ? header.substring(3) : header;
      return MessageDigest.isEqual(expected, HexFormat.of().parseHex(given));
    } catch (Exception e) {
      return false;
    }
  }

  public synchronized List<Delivery> deliveries() {
    return List.copyOf(deliveries.values());
  }

  public synchronized int attempts() {
    return attempts;
  }

  /** Deliveries of an alert id already delivered (the sender retried after a success). */
  public synchronized int duplicates() {
    return duplicates;
  }

  /** Requests refused for a missing or wrong signature. */
  public synchronized List<String> rejected() {
    return List.copyOf(rejected);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
