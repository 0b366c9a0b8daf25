package io.callqa.operators.alerts;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The signatures of the signed webhook formats (docs/webhooks.md, "Signing"). */
public final class WebhookSigner {
  /** Header with the signing time, unix seconds. */
  public static final String TIMESTAMP_HEADER = "X-CallQA-Timestamp";

  /** Header with {@code v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>}. */
  public static final String SIGNATURE_HEADER = "X-CallQA-Signature";

  /** Header with the alert id; a receiver that saw it before must not act twice. */
  public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

  private WebhookSigner() {}

  /** {@code v1=} + hex HMAC-SHA256 over {@code timestamp + "." + body} (generic format). */
  public static String generic(String secret, long timestampSeconds, String body) {
    return "v1=" + HexFormat.of().formatHex(hmac(secret, timestampSeconds + "." + body));
  }

  /**
   * DingTalk's robot signature: URL-encoded Base64 of HMAC-SHA256 over {@code timestamp + "\n" +
   * secret}, keyed with the secret; the timestamp is in milliseconds.
   */
  public static String dingTalk(String secret, long timestampMillis) {
    String b64 = Base64.getEncoder().encodeToString(hmac(secret, timestampMillis + "\n" + secret));
    return URLEncoder.encode(b64, StandardCharsets.UTF_8);
  }

  static byte[] hmac(String secret, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /**
   * Checks a generic-format request as a receiver should: the signature matches (constant-time
   * compare) and the timestamp is within {@code toleranceSeconds} of {@code nowSeconds}.
   */
  public static boolean verifyGeneric(
      String secret,
      String timestampHeader,
      String signatureHeader,
      String body,
      long nowSeconds,
      long toleranceSeconds) {
    if (timestampHeader == null || signatureHeader == null) {
      return false;
    }
    long ts;
    try {
      ts = Long.parseLong(timestampHeader.trim());
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(nowSeconds - ts) > toleranceSeconds) {
      return false;
    }
    byte[] expected = generic(secret, ts, body).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, signatureHeader.trim().getBytes(StandardCharsets.UTF_8));
  }
}
