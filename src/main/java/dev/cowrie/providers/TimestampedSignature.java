package dev.cowrie.providers;

import dev.cowrie.common.Secrets;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The signature scheme Stripe defined and the sandbox copies: a header
 * {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">[,v1=…]} keyed with the secret's bytes,
 * within a tolerance of the receiver's clock. Several v1 values let a sender roll its secret.
 */
public final class TimestampedSignature {
  private TimestampedSignature() {}

  /** Checks {@code header} over the raw body; throws {@link CallbackRejected} saying what is wrong. */
  public static void verify(String headerName, String header, String secret, byte[] rawBody, Instant now,
      long toleranceSeconds) {
    if (header == null) {
      throw new CallbackRejected("missing " + headerName + " header");
    }
    long timestamp = -1;
    List<String> signatures = new ArrayList<>();
    for (String part : header.split(",")) {
      String[] pair = part.trim().split("=", 2);
      if (pair.length == 2 && pair[0].equals("t")) {
        timestamp = timestamp(pair[1]);
      } else if (pair.length == 2 && pair[0].equals("v1")) {
        signatures.add(pair[1].toLowerCase(Locale.ROOT));
      }
    }
    if (timestamp < 0 || signatures.isEmpty()) {
      throw new CallbackRejected(headerName + " lacks t= or v1=");
    }
    if (Math.abs(now.getEpochSecond() - timestamp) > toleranceSeconds) {
      throw new CallbackRejected("timestamp outside the " + toleranceSeconds + " s tolerance");
    }
    if (!Wire.anyMatches(sign(secret, timestamp, rawBody), signatures)) {
      throw new CallbackRejected("no v1 signature matches");
    }
  }

  /** Hex HMAC-SHA256 of {@code t.body} keyed with the secret's bytes. */
  public static String sign(String secret, long timestamp, byte[] body) {
    byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.UTF_8);
    byte[] message = Arrays.copyOf(prefix, prefix.length + body.length);
    System.arraycopy(body, 0, message, prefix.length, body.length);
    return Secrets.hex(Secrets.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), message));
  }

  private static long timestamp(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new CallbackRejected("bad timestamp");
    }
  }
}
