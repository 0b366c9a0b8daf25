package io.callqa.operators.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callqa.schemas.Alert;
import io.callqa.schemas.Evidence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Request bodies of the webhook formats (examples in docs/webhooks.md). */
public final class WebhookPayloads {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Evidence lines shown in chat messages (the JSON format carries all). */
  static final int CHAT_EVIDENCE_LINES = 5;

  private WebhookPayloads() {}

  public static String body(WebhookFormat format, Alert alert) {
    switch (format) {
      case GENERIC:
        return json(alertJson(alert));
      case DINGTALK:
        return json(
            Map.of(
                "msgtype",
                "markdown",
                "markdown",
                Map.of("title", title(alert), "text", markdown(alert))));
      case WECOM:
        return json(Map.of("msgtype", "markdown", "markdown", Map.of("content", markdown(alert))));
      case SLACK:
        return json(slack(alert));
      default:
        throw new IllegalArgumentException(format.name());
    }
  }

  /** The alert as a JSON object with stable field names: the generic format's body. */
  public static Map<String, Object> alertJson(Alert a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "callqa.alert");
    m.put("alertId", a.getAlertId());
    m.put("tenant", a.getTenant());
    m.put("callId", a.getCallId());
    m.put("rule", a.getRule());
    m.put("severity", a.getSeverity());
    m.put("episode", a.getEpisode());
    m.put("atMs", a.getAtMs());
    m.put("startedAt", a.getStartedAt() == null ? null : a.getStartedAt().toEpochMilli());
    m.put("message", a.getMessage());
    m.put("agentId", a.getAgentId());
    m.put("details", new TreeMap<>(a.getDetails()));
    List<Map<String, Object>> ev = new ArrayList<>();
    for (Evidence e : a.getEvidence()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("utteranceId", e.getUtteranceId());
      x.put("channel", e.getChannel().name());
      x.put("startMs", e.getStartMs());
      x.put("endMs", e.getEndMs());
      x.put("text", e.getText());
      x.put("emotion", e.getEmotion());
      ev.add(x);
    }
    m.put("evidence", ev);
    m.put("triggerArrivedAtEpochMs", a.getTriggerArrivedAtEpochMs());
    m.put("emittedAtEpochMs", a.getEmittedAtEpochMs());
    m.put("rulesVersion", a.getRulesVersion());
    return m;
  }

  static String title(Alert a) {
    return "["
        + a.getSeverity().toUpperCase(Locale.ROOT)
        + "] "
        + a.getRule()
        + " · "
        + a.getCallId();
  }

  /** Markdown as DingTalk and WeCom robots render it. */
  static String markdown(Alert a) {
    StringBuilder sb = new StringBuilder();
    sb.append("#### ").append(title(a)).append("\n\n");
    sb.append(a.getMessage()).append("\n\n");
    sb.append("call `").append(a.getCallId()).append("` at ").append(clock(a.getAtMs()));
    if (a.getAgentId() != null) {
      sb.append(" · agent ").append(a.getAgentId());
    }
    sb.append("\n\n");
    int n = 0;
    for (Evidence e : a.getEvidence()) {
      if (n++ == CHAT_EVIDENCE_LINES) {
        break;
      }
      sb.append("> ")
          .append(e.getChannel())
          .append(' ')
          .append(clock(e.getStartMs()))
          .append(' ')
          .append(e.getText())
          .append("\n\n");
    }
    sb.append("alert `").append(a.getAlertId()).append('`');
    return sb.toString();
  }

  static Map<String, Object> slack(Alert a) {
    StringBuilder sb = new StringBuilder();
    sb.append('*')
        .append(escape(title(a)))
        .append("*\n")
        .append(escape(a.getMessage()))
        .append('\n');
    sb.append("call `").append(escape(a.getCallId())).append("` at ").append(clock(a.getAtMs()));
    if (a.getAgentId() != null) {
      sb.append(" · agent ").append(escape(a.getAgentId()));
    }
    int n = 0;
    for (Evidence e : a.getEvidence()) {
      if (n++ == CHAT_EVIDENCE_LINES) {
        break;
      }
      sb.append("\n> ")
          .append(e.getChannel())
          .append(' ')
          .append(clock(e.getStartMs()))
          .append(' ')
          .append(escape(e.getText()));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("text", title(a) + ": " + a.getMessage());
    m.put(
        "blocks",
        List.of(
            Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", sb.toString()))));
    return m;
  }

  /** Slack mrkdwn control characters. */
  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** Call time as m:ss. */
  static String clock(long ms) {
    long s = Math.max(0, ms) / 1000;
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  private static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
