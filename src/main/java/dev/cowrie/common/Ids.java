package dev.cowrie.common;

import java.security.SecureRandom;

/**
 * Prefixed, time-sortable ids: {@code pay_} + 10 chars of milliseconds + 16 random chars, all in
 * Crockford base32 lower case, so ids sort by creation time and work as pagination cursors.
 */
public final class Ids {
  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  public static String next(String prefix) {
    char[] out = new char[26];
    long millis = System.currentTimeMillis();
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (millis & 31)];
      millis >>>= 5;
    }
    byte[] random = new byte[10];
    RANDOM.nextBytes(random);
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 5; i++) {
      hi = (hi << 8) | (random[i] & 0xff);
      lo = (lo << 8) | (random[i + 5] & 0xff);
    }
    for (int i = 17; i >= 10; i--) {
      out[i] = ALPHABET[(int) (hi & 31)];
      hi >>>= 5;
    }
    for (int i = 25; i >= 18; i--) {
      out[i] = ALPHABET[(int) (lo & 31)];
      lo >>>= 5;
    }
    return prefix + "_" + new String(out);
  }

  public static boolean looksLike(String prefix, String id) {
    return id != null && id.startsWith(prefix + "_") && id.length() == prefix.length() + 27;
  }
}
