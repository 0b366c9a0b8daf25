package io.callqa.jobs.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the demo's HTML report from its results JSON ({@code {"calls": [...]}}, see docs/cli.md):
 * {@code index.html} (every call: duration, score, coverage, alerts) and one page per call (a
 * timeline of both channels coloured by emotion with alert markers, and the transcript).
 * Self-contained files: inline CSS and SVG, no scripts, nothing fetched.
 */
public final class HtmlReport {
  private static final Map<String, String> EMOTION_COLORS =
      Map.of(
          "NEUTRAL", "#9aa5b1",
          "HAPPY", "#f2c14e",
          "SAD", "#5b8def",
          "ANGRY", "#e4572e",
          "FEARFUL", "#8e6c8a",
          "DISGUSTED", "#6a994e",
          "SURPRISED", "#f78c6b",
          "EMO_UNKNOWN", "#d0d4d9");
  private static final int WIDTH = 1000;
  private static final int LANE = 34;

  private HtmlReport() {}

  /** Writes index.html and call-*.html into {@code dir}; returns the index file. */
  public static Path write(Path dir, JsonNode results) throws IOException {
    Files.createDirectories(dir);
    StringBuilder rows = new StringBuilder();
    for (JsonNode call : results.path("calls")) {
      String id = call.path("callId").asText();
      String page = "call-" + safe(id) + ".html";
      Files.writeString(dir.resolve(page), callPage(call), StandardCharsets.UTF_8);
      JsonNode summary = call.path("summary");
      StringBuilder alerts = new StringBuilder();
      for (JsonNode a : call.path("alerts")) {
        alerts
            .append("<span class=\"tag sev-")
            .append(esc(a.path("severity").asText("warning")))
            .append("\">")
            .append(esc(a.path("rule").asText()))
            .append("</span> ");
      }
      rows.append("<tr><td><a href=\"")
          .append(page)
          .append("\">")
          .append(esc(id))
          .append("</a></td>")
          .append("<td>")
          .append(esc(summary.path("agentId").asText("")))
          .append("</td>")
          .append("<td class=\"num\">")
          .append(seconds(summary.path("durationMs").asLong()))
          .append("</td>")
          .append("<td class=\"num\">")
          .append(score(summary.path("score")))
          .append("</td>")
          .append("<td class=\"num\">")
          .append(coverage(summary))
          .append("</td>")
          .append("<td class=\"num\">")
          .append(call.path("utterances").size())
          .append("</td>")
          .append("<td>")
          .append(alerts)
          .append("</td></tr>\n");
    }
    String html =
        page(
            "callqa demo report",
            "<h1>callqa — calls inspected</h1>"
                + "<p>"
                + results.path("calls").size()
                + " calls. Click a call for its timeline and transcript.</p>"
                + "<table><tr><th>call</th><th>agent</th><th>duration</th><th>score</th><th>coverage</th>"
                + "<th>utterances</th><th>alerts</th></tr>\n"
                + rows
                + "</table>"
                + legend());
    Path index = dir.resolve("index.html");
    Files.writeString(index, html, StandardCharsets.UTF_8);
    return index;
  }

  private static String callPage(JsonNode call) {
    JsonNode summary = call.path("summary");
    long duration = Math.max(1, summary.path("durationMs").asLong(maxEnd(call)));
    StringBuilder svg = new StringBuilder();
    int height = LANE * 2 + 40;
    svg.append("<svg width=\"")
        .append(WIDTH + 90)
        .append("\" height=\"")
        .append(height)
        .append(
            "\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"sans-serif\" font-size=\"12\">");
    String[] roles = {"AGENT", "CUSTOMER"};
    for (int lane = 0; lane < 2; lane++) {
      int y = 10 + lane * LANE;
      svg.append("<text x=\"0\" y=\"")
          .append(y + 20)
          .append("\">")
          .append(roles[lane].toLowerCase(Locale.ROOT))
          .append("</text><rect x=\"80\" y=\"")
          .append(y)
          .append("\" width=\"")
          .append(WIDTH)
          .append("\" height=\"")
          .append(LANE - 6)
          .append("\" fill=\"#f4f5f7\"/>");
    }
    for (JsonNode u : call.path("utterances")) {
      String role = u.path("role").asText().toUpperCase(Locale.ROOT);
      int lane = role.equals("CUSTOMER") ? 1 : 0;
      double x = 80 + WIDTH * u.path("startMs").asDouble() / duration;
      double w =
          Math.max(
              2, WIDTH * (u.path("endMs").asDouble() - u.path("startMs").asDouble()) / duration);
      String color = EMOTION_COLORS.getOrDefault(u.path("emotion").asText(), "#d0d4d9");
      svg.append(
              String.format(
                  Locale.ROOT,
                  "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">",
                  x,
                  10 + lane * LANE,
                  w,
                  LANE - 6,
                  color))
          .append("<title>")
          .append(
              esc(
                  u.path("emotion").asText()
                      + " "
                      + u.path("event").asText()
                      + ": "
                      + u.path("text").asText()))
          .append("</title></rect>");
    }
    for (JsonNode a : call.path("alerts")) {
      double x = 80 + WIDTH * a.path("atMs").asDouble() / duration;
      svg.append(
              String.format(
                  Locale.ROOT,
                  "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"4\" y2=\"%d\" stroke=\"#c1121f\" "
                      + "stroke-width=\"2\"><title>%s</title></line>",
                  x,
                  x,
                  LANE * 2 + 14,
                  esc(a.path("rule").asText())))
          .append(
              String.format(
                  Locale.ROOT,
                  "<text x=\"%.1f\" y=\"%d\" fill=\"#c1121f\">%s</text>",
                  x + 2,
                  LANE * 2 + 30,
                  esc(a.path("rule").asText())));
    }
    svg.append("</svg>");

    StringBuilder transcript =
        new StringBuilder(
            "<table><tr><th>time</th><th>role</th><th>text</th>"
                + "<th>language</th><th>emotion</th><th>event</th></tr>");
    for (JsonNode u : call.path("utterances")) {
      transcript
          .append("<tr><td class=\"num\">")
          .append(seconds(u.path("startMs").asLong()))
          .append("–")
          .append(seconds(u.path("endMs").asLong()))
          .append("</td><td>")
          .append(esc(u.path("role").asText()))
          .append("</td><td>")
          .append(esc(u.path("text").asText()))
          .append("</td><td>")
          .append(esc(u.path("language").asText()))
          .append("</td><td><span class=\"dot\" style=\"background:")
          .append(EMOTION_COLORS.getOrDefault(u.path("emotion").asText(), "#d0d4d9"))
          .append("\"></span>")
          .append(esc(u.path("emotion").asText()))
          .append("</td><td>")
          .append(esc(u.path("event").asText()))
          .append("</td></tr>");
    }
    transcript.append("</table>");
    StringBuilder alerts = new StringBuilder("<ul>");
    for (JsonNode a : call.path("alerts")) {
      alerts
          .append("<li><b>")
          .append(esc(a.path("rule").asText()))
          .append("</b> (")
          .append(esc(a.path("severity").asText("")))
          .append(") at ")
          .append(seconds(a.path("atMs").asLong()))
          .append(" — ")
          .append(esc(a.path("message").asText("")))
          .append("</li>");
    }
    alerts.append("</ul>");
    return page(
        "call " + call.path("callId").asText(),
        "<p><a href=\"index.html\">← all calls</a></p><h1>call "
            + esc(call.path("callId").asText())
            + "</h1>"
            + "<p>score "
            + score(summary.path("score"))
            + " · coverage "
            + coverage(summary)
            + " · duration "
            + seconds(duration)
            + "</p>"
            + svg
            + legend()
            + "<h2>alerts</h2>"
            + alerts
            + "<h2>transcript</h2>"
            + transcript);
  }

  private static long maxEnd(JsonNode call) {
    long max = 1;
    for (JsonNode u : call.path("utterances")) {
      max = Math.max(max, u.path("endMs").asLong());
    }
    return max;
  }

  private static String legend() {
    StringBuilder sb = new StringBuilder("<p class=\"legend\">");
    for (String e : new String[] {"NEUTRAL", "HAPPY", "SAD", "ANGRY"}) {
      sb.append("<span class=\"dot\" style=\"background:")
          .append(EMOTION_COLORS.get(e))
          .append("\"></span>")
          .append(e.toLowerCase(Locale.ROOT))
          .append(" ");
    }
    return sb.append("<span style=\"color:#c1121f\">| alert</span></p>").toString();
  }

  private static String coverage(JsonNode summary) {
    JsonNode c = summary.path("coverage");
    if (c.isMissingNode()) {
      return "–";
    }
    double pct =
        c.has("coveragePercent")
            ? c.path("coveragePercent").asDouble()
            : summary.path("coveragePercent").asDouble(-1);
    return pct < 0 ? "–" : String.format(Locale.ROOT, "%.1f%%", pct);
  }

  private static String score(JsonNode score) {
    return score.isNumber() ? String.format(Locale.ROOT, "%.0f", score.asDouble()) : "–";
  }

  private static String seconds(long ms) {
    return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  private static String page(String title, String body) {
    return "<!doctype html><html><head><meta charset=\"utf-8\"><title>"
        + esc(title)
        + "</title><style>"
        + "body{font-family:sans-serif;margin:2em;color:#1f2933}table{border-collapse:collapse}"
        + "td,th{border-bottom:1px solid #e4e7eb;padding:4px 10px;text-align:left;vertical-align:top}"
        + ".num{text-align:right;white-space:nowrap}.tag{background:#fde2e4;border-radius:3px;padding:1px 5px;"
        + "margin-right:3px;font-size:12px}.sev-critical{background:#c1121f;color:white}.sev-info{background:#e0f0ff}"
        + ".dot{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:4px}"
        + ".legend{font-size:12px}</style></head><body>"
        + body
        + "</body></html>";
  }

  private static String safe(String id) {
    return id.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
