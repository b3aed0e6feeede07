package dev.cowrie.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a person's authenticator app does, written apart from the gateway's own TOTP so tests check
 * one against the other: decode the base32 secret, then RFC 6238 codes for a clock's time step.
 */
public final class TotpCodes {
  private TotpCodes() {}

  public static byte[] fromBase32(String text) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int buffer = 0;
    int bits = 0;
    for (char c : text.toCharArray()) {
      buffer = (buffer << 5) | alphabet.indexOf(c);
      bits += 5;
      if (bits >= 8) {
        out.write((buffer >> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return out.toByteArray();
  }

  /** The six-digit code of the 30-second step {@code offset} steps from {@code clock}'s now. */
  public static String code(byte[] secret, Clock clock, int offset) {
    long step = Math.floorDiv(clock.millis() / 1000, 30) + offset;
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret, "HmacSHA1"));
      byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
      int at = hash[19] & 0xf;
      int value = ((hash[at] & 0x7f) << 24 | (hash[at + 1] & 0xff) << 16 | (hash[at + 2] & 0xff) << 8 | (hash[at + 3] & 0xff)) % 1_000_000;
      return String.format("%06d", value);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
