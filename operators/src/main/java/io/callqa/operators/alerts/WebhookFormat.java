package io.callqa.operators.alerts;

import java.util.Locale;

/** Wire formats of webhook endpoints (docs/webhooks.md). */
public enum WebhookFormat {
  /** JSON alert, HMAC-SHA256 signed ({@code X-CallQA-Signature: v1=<hex>}). */
  GENERIC,
  /** DingTalk custom robot: markdown message, optional "加签" signature in the URL. */
  DINGTALK,
  /** WeCom (企业微信) group robot: markdown message; the URL's key is the credential. */
  WECOM,
  /** Slack incoming webhook: text + blocks; the URL is the credential. */
  SLACK;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static WebhookFormat parse(String text) {
    for (WebhookFormat f : values()) {
      if (f.wireName().equalsIgnoreCase(text)) {
        return f;
      }
    }
    return null;
  }

  /** Whether the format uses a shared secret (generic: required; dingtalk: optional). */
  public boolean signed() {
    return this == GENERIC || this == DINGTALK;
  }
}
