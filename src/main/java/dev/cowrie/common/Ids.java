package dev.cowrie.common;

import java.security.SecureRandom;

/**
 * Prefixed, time-sortable ids: {@code pay_} + 10 chars of milliseconds + 16 random chars, all in
 * Crockford base32 lower case, so ids sort by creation time and work as pagination cursors.
 * Within one process ids are strictly increasing: an id made in the same millisecond as the
 * previous one takes the previous random part plus one, so newest-first lists never reorder.
 */
public final class Ids {
  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long RANDOM_HALF_MASK = (1L << 40) - 1; // 80 random bits as two 40-bit halves

  private static long lastMillis;
  private static long lastHi;
  private static long lastLo;

  private Ids() {}

  public static String next(String prefix) {
    long millis;
    long hi;
    long lo;
    synchronized (Ids.class) {
      millis = Math.max(System.currentTimeMillis(), lastMillis);
      if (millis == lastMillis) {
        lo = (lastLo + 1) & RANDOM_HALF_MASK;
        hi = lo == 0 ? (lastHi + 1) & RANDOM_HALF_MASK : lastHi;
        if (lo == 0 && hi == 0) { // 2^80 ids in one millisecond: move to the next one
          millis++;
        }
      } else {
        hi = RANDOM.nextLong() & RANDOM_HALF_MASK;
        lo = RANDOM.nextLong() & RANDOM_HALF_MASK;
      }
      lastMillis = millis;
      lastHi = hi;
      lastLo = lo;
    }
    char[] out = new char[26];
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (millis & 31)];
      millis >>>= 5;
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
