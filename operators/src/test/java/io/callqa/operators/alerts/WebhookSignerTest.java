package io.callqa.operators.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebhookSignerTest {
  static final String SECRET = "whsec_test";
  static final long TS = 1_700_000_000L;
  static final String BODY = "{\"a\":1}";

  @Test
  void genericSignatureIsHexHmacOverTimestampDotBody() {
    // python: hmac.new(b'whsec_test', b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
    assertThat(WebhookSigner.generic(SECRET, TS, BODY))
        .isEqualTo("v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789");
  }

  @Test
  void dingTalkSignatureIsUrlEncodedBase64() {
    // python: quote_plus(b64encode(hmac.new(b'SECabc', b'1700000000000\nSECabc', sha256).digest()))
    assertThat(WebhookSigner.dingTalk("SECabc", 1_700_000_000_000L))
        .isEqualTo("jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM%3D");
  }

  @Test
  void verifierAcceptsOnlyAnUntamperedFreshRequest() {
    String sig = WebhookSigner.generic(SECRET, TS, BODY);
    assertThat(WebhookSigner.verifyGeneric(SECRET, "1700000000", sig, BODY, TS + 10, 300)).isTrue();
    assertThat(WebhookSigner.verifyGeneric(SECRET, "1700000000", sig, "{\"a\":2}", TS, 300))
        .isFalse();
    assertThat(WebhookSigner.verifyGeneric("other", "1700000000", sig, BODY, TS, 300)).isFalse();
    assertThat(WebhookSigner.verifyGeneric(SECRET, "1700000001", sig, BODY, TS, 300)).isFalse();
    assertThat(WebhookSigner.verifyGeneric(SECRET, "1700000000", sig, BODY, TS + 301, 300))
        .isFalse();
    assertThat(WebhookSigner.verifyGeneric(SECRET, "soon", sig, BODY, TS, 300)).isFalse();
    assertThat(WebhookSigner.verifyGeneric(SECRET, null, sig, BODY, TS, 300)).isFalse();
  }

  @Test
  void backoffDoublesWithJitterAndStaysBounded() {
    for (int i = 0; i < 200; i++) {
      assertThat(Backoff.delayMs(1, 100, 10_000)).isBetween(50L, 100L);
      assertThat(Backoff.delayMs(3, 100, 10_000)).isBetween(200L, 400L);
      assertThat(Backoff.delayMs(30, 100, 10_000)).isBetween(5_000L, 10_000L);
    }
    assertThat(Backoff.delayMs(1, 0, 0)).isZero();
  }

  @Test
  void circuitOpensAfterConsecutiveFailuresAndTriesAgainLater() {
    CircuitBreaker b = new CircuitBreaker(2, 1_000);
    assertThat(b.allow(0)).isTrue();
    b.failure(0);
    b.success();
    b.failure(10);
    assertThat(b.state()).isEqualTo(CircuitBreaker.State.CLOSED); // not consecutive
    b.failure(20);
    assertThat(b.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(b.allow(500)).isFalse();
    assertThat(b.allow(1_020)).isTrue(); // the one trial
    assertThat(b.allow(1_021)).isFalse();
    b.failure(1_030);
    assertThat(b.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(b.allow(2_030)).isTrue();
    b.success();
    assertThat(b.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(b.allow(2_031)).isTrue();
  }
}
