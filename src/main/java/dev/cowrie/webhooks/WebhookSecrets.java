package dev.cowrie.webhooks;

import dev.cowrie.common.Secrets;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Endpoint secrets per Standard Webhooks: {@code whsec_} + base64 of 32 random bytes, the HMAC key
 * being the decoded bytes (not the text, unlike Stripe). At rest they are sealed with AES-GCM under
 * the master key, because we must sign with them again and so cannot keep only a hash.
 */
public final class WebhookSecrets {
  static final String PREFIX = "whsec_";
  private static final int SECRET_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private WebhookSecrets() {}

  static String generate() {
    return PREFIX + Base64.getEncoder().encodeToString(Secrets.randomBytes(SECRET_BYTES));
  }

  /** {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">} keyed by the decoded secret. */
  public static String sign(String secret, String messageId, long timestampSeconds, byte[] body) {
    byte[] key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    byte[] prefix = (messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
    byte[] content = ByteBuffer.allocate(prefix.length + body.length).put(prefix).put(body).array();
    return "v1," + Base64.getEncoder().encodeToString(Secrets.hmacSha256(key, content));
  }

  static byte[] seal(byte[] masterKey, String secret) {
    try {
      byte[] nonce = Secrets.randomBytes(NONCE_BYTES);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
      byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot seal a webhook secret", e);
    }
  }

  static String open(byte[] masterKey, byte[] sealed) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(masterKey, "AES"),
          new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
      return new String(cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot open a webhook secret (wrong COWRIE_MASTER_KEY?)", e);
    }
  }
}
