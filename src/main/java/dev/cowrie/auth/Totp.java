package dev.cowrie.auth;

import dev.cowrie.common.Secrets;
import java.nio.ByteBuffer;
import java.time.Clock;

/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): HMAC-SHA1, 30-second steps, six
 * digits, what every authenticator app speaks. A code is accepted for the current step and one
 * step either side (clock drift, a code typed as it turned); which step matched is answered so the
 * caller can refuse a code used before.
 */
final class Totp {
  static final int STEP_SECONDS = 30;
  static final int DIGITS = 6;
  static final int SECRET_BYTES = 20;
  private static final int WINDOW_STEPS = 1;
  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private final Clock clock;

  Totp(Clock clock) {
    this.clock = clock;
  }

  static byte[] newSecret() {
    return Secrets.randomBytes(SECRET_BYTES);
  }

  long currentStep() {
    return Math.floorDiv(clock.millis() / 1000, STEP_SECONDS);
  }

  /** The step whose code {@code code} is, within the window around now; -1 when none. */
  long matchingStep(byte[] secret, String code) {
    if (code == null || code.length() != DIGITS || !code.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    long now = currentStep();
    for (long step = now - WINDOW_STEPS; step <= now + WINDOW_STEPS; step++) {
      if (Secrets.constantTimeEquals(code(secret, step), code)) {
        return step;
      }
    }
    return -1;
  }

  /** RFC 4226 section 5.3: HMAC-SHA1 of the counter, dynamically truncated to DIGITS digits. */
  static String code(byte[] secret, long step) {
    byte[] hash = Secrets.hmac("HmacSHA1", secret, ByteBuffer.allocate(8).putLong(step).array());
    int offset = hash[hash.length - 1] & 0x0f;
    int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
        | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
    return String.format("%0" + DIGITS + "d", binary % 1_000_000);
  }

  /** RFC 4648 base32 without padding, as authenticator apps take secrets. */
  static String base32(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(BASE32.charAt((buffer << (5 - bits)) & 31));
    }
    return out.toString();
  }

  /** The otpauth URI an app reads from a QR code (Key Uri Format). */
  static String uri(String issuer, String account, byte[] secret) {
    String label = java.net.URLEncoder.encode(issuer + ":" + account, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    return "otpauth://totp/" + label + "?secret=" + base32(secret) + "&issuer="
        + java.net.URLEncoder.encode(issuer, java.nio.charset.StandardCharsets.UTF_8) + "&algorithm=SHA1&digits=" + DIGITS
        + "&period=" + STEP_SECONDS;
  }
}
