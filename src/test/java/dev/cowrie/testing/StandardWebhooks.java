package dev.cowrie.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A verifier written from the Standard Webhooks specification alone (not from Cowrie's signing
 * code): the secret is {@code whsec_} + base64 and the HMAC key is its decoded bytes; the signed
 * content is {@code id.timestamp.body}; {@code webhook-signature} is a space-separated list of
 * {@code v1,<base64>} entries, any one of which may match; timestamps within 5 minutes either way.
 */
public final class StandardWebhooks {
  private static final long TOLERANCE_SECONDS = 5 * 60;

  private StandardWebhooks() {}

  /** Null when valid, else why not. */
  public static String problem(String secret, String id, String timestamp, String signatures, String body) {
    if (id == null || timestamp == null || signatures == null) {
      return "missing webhook-id, webhook-timestamp or webhook-signature";
    }
    long sentAt;
    try {
      sentAt = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return "timestamp is not an integer: " + timestamp;
    }
    if (Math.abs(System.currentTimeMillis() / 1000 - sentAt) > TOLERANCE_SECONDS) {
      return "timestamp outside tolerance: " + timestamp;
    }
    if (!secret.startsWith("whsec_")) {
      return "secret lacks the whsec_ prefix";
    }
    byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    byte[] expected;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    for (String entry : signatures.split(" ")) {
      int comma = entry.indexOf(',');
      if (comma < 0 || !entry.substring(0, comma).equals("v1")) {
        continue;
      }
      byte[] given;
      try {
        given = Base64.getDecoder().decode(entry.substring(comma + 1));
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (MessageDigest.isEqual(expected, given)) {
        return null;
      }
    }
    return "no v1 signature matches";
  }
}
