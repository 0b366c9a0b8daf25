package io.callqa.operators.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callqa.operators.rules.Severity;
import io.callqa.schemas.Alert;
import org.junit.jupiter.api.Test;

class WebhookConfigTest {
  static final String FULL =
      """
      capacity: 50
      webhooks:
        - name: qa-backend
          format: generic
          url: https://qa.example.com/hooks/callqa?token=abc
          secretEnv: CALLQA_WEBHOOK_SECRET
          minSeverity: warning
          rules: [anger_escalation, forced_transfer]
          timeoutMs: 2000
          maxAttempts: 4
          initialBackoffMs: 200
          maxBackoffMs: 5000
          circuitFailureThreshold: 3
          circuitOpenMs: 30000
        - name: supervisors-dingtalk
          format: dingtalk
          urlEnv: CALLQA_DINGTALK_URL
          secretEnv: CALLQA_DINGTALK_SECRET
        - {name: wecom, format: wecom, urlEnv: CALLQA_WECOM_URL, minSeverity: critical}
        - {name: slack, format: slack, urlEnv: CALLQA_SLACK_URL}
      """;

  static void assertError(String yaml, String path, String problem) {
    assertThatThrownBy(() -> WebhookConfig.parse(yaml))
        .isInstanceOf(WebhookConfigException.class)
        .hasMessageContaining(problem)
        .satisfies(e -> assertThat(((WebhookConfigException) e).path()).isEqualTo(path));
  }

  static String one(String endpoint) {
    return "webhooks:\n  - " + endpoint + "\n";
  }

  @Test
  void parsesEveryField() {
    WebhookConfig c = WebhookConfig.parse(FULL);
    assertThat(c.capacity()).isEqualTo(50);
    assertThat(c.endpoints())
        .extracting(WebhookEndpoint::name)
        .containsExactly("qa-backend", "supervisors-dingtalk", "wecom", "slack");
    WebhookEndpoint g = c.endpoints().get(0);
    assertThat(g.format()).isEqualTo(WebhookFormat.GENERIC);
    assertThat(g.secretEnv()).isEqualTo("CALLQA_WEBHOOK_SECRET");
    assertThat(g.minSeverity()).isEqualTo(Severity.WARNING);
    assertThat(g.rules()).containsExactly("anger_escalation", "forced_transfer");
    assertThat(g.timeoutMs()).isEqualTo(2_000);
    assertThat(g.maxAttempts()).isEqualTo(4);
    assertThat(g.worstCaseMs()).isEqualTo(4 * 2_000 + 3 * 5_000);
    WebhookEndpoint d = c.endpoints().get(1);
    assertThat(d.url()).isNull();
    assertThat(d.urlEnv()).isEqualTo("CALLQA_DINGTALK_URL");
    assertThat(d.minSeverity()).isEqualTo(Severity.INFO);
    assertThat(d.maxAttempts()).isEqualTo(5);
    assertThat(WebhookConfig.parse("webhooks: []\n").endpoints()).isEmpty();
  }

  @Test
  void endpointFromJobConfigValues() {
    WebhookEndpoint e =
        WebhookConfig.endpoint(
            "qa", "https://hooks.example.com/callqa", "generic", "CALLQA_WEBHOOK_SECRET");
    assertThat(e.format()).isEqualTo(WebhookFormat.GENERIC);
    assertThat(e.maxAttempts()).isEqualTo(5);
    assertThatThrownBy(
            () -> WebhookConfig.endpoint("qa", "https://hooks.example.com/callqa", "generic", null))
        .isInstanceOf(WebhookConfigException.class)
        .hasMessageContaining("secretEnv");
  }

  @Test
  void toStringShowsNoCredentials() {
    WebhookEndpoint g = WebhookConfig.parse(FULL).endpoints().get(0);
    assertThat(g.toString())
        .contains("qa-backend", "qa.example.com")
        .doesNotContain("token", "abc", "hooks");
  }

  @Test
  void filtersBySeverityAndRule() {
    WebhookEndpoint g = WebhookConfig.parse(FULL).endpoints().get(0);
    Alert.Builder a =
        Alert.newBuilder()
            .setAlertId("c/anger_escalation/0")
            .setTenant("t")
            .setCallId("c")
            .setRule("anger_escalation")
            .setAtMs(1);
    assertThat(g.accepts(a.setSeverity("critical").build())).isTrue();
    assertThat(g.accepts(a.setSeverity("info").build())).isFalse();
    assertThat(g.accepts(a.setSeverity("warning").setRule("dead_air").build())).isFalse();
  }

  @Test
  void errors() {
    assertError("webhooks: [1\n", "", "not valid YAML");
    assertError("hooks: []\n", "hooks", "unknown key");
    assertError("capacity: 0\nwebhooks: []\n", "capacity", "≥ 1");
    assertError("webhooks: {a: 1}\n", "webhooks", "expected a list");
    assertError(one("3"), "webhooks[0]", "expected a map");
    assertError(one("{format: slack, url: 'https://x.y'}"), "webhooks[0].name", "is required");
    assertError(
        one("{name: s, format: teams, url: 'https://x.y'}"),
        "webhooks[0] (s).format",
        "expected generic | dingtalk | wecom | slack");
    assertError(
        one("{name: s, format: slack}"), "webhooks[0] (s)", "exactly one of url and urlEnv");
    assertError(
        one("{name: s, format: slack, url: 'https://x.y', urlEnv: U}"),
        "webhooks[0] (s)",
        "exactly one of url and urlEnv");
    assertError(
        one("{name: s, format: slack, url: 'ftp://x.y'}"), "webhooks[0] (s).url", "http(s) URL");
    assertError(
        one("{name: g, format: generic, url: 'https://x.y'}"),
        "webhooks[0] (g).secretEnv",
        "signed");
    assertError(
        one("{name: w, format: wecom, url: 'https://x.y', secretEnv: S}"),
        "webhooks[0] (w).secretEnv",
        "not signed");
    assertError(
        one("{name: s, format: slack, url: 'https://x.y', minSeverity: loud}"),
        "webhooks[0] (s).minSeverity",
        "expected info | warning | critical");
    assertError(
        one("{name: s, format: slack, url: 'https://x.y', rules: dead_air}"),
        "webhooks[0] (s).rules",
        "expected a list");
    assertError(
        one("{name: s, format: slack, url: 'https://x.y', maxAttempts: 0}"),
        "webhooks[0] (s).maxAttempts",
        "≥ 1");
    assertError(
        one("{name: s, format: slack, url: 'https://x.y', timeoutMs: fast}"),
        "webhooks[0] (s).timeoutMs",
        "whole number");
    assertError(
        one("{name: s, format: slack, url: 'https://x.y', initialBackoffMs: 10, maxBackoffMs: 5}"),
        "webhooks[0] (s).maxBackoffMs",
        "≥ initialBackoffMs");
    assertError(
        one("{name: s, format: slack, url: 'https://x.y', retries: 3}"),
        "webhooks[0].retries",
        "unknown key");
    assertError(
        "webhooks:\n  - {name: s, format: slack, url: 'https://x.y'}\n  - {name: s, format: slack, url: 'https://x.y'}\n",
        "webhooks[1].name",
        "duplicate");
  }
}
