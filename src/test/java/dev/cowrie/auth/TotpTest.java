package dev.cowrie.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Our TOTP against the test vectors of RFC 6238 (appendix B, SHA-1), cut to the six digits apps show. */
class TotpTest {
  static final byte[] RFC_SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

  @Test
  void rfc6238Vectors() {
    long[][] vectors = {{59, 94287082}, {1111111109, 7081804}, {1111111111, 14050471}, {1234567890, 89005924},
        {2000000000, 69279037}, {20000000000L, 65353130}};
    for (long[] vector : vectors) {
      String eightDigits = String.format("%08d", vector[1]);
      assertEquals(eightDigits.substring(2), Totp.code(RFC_SECRET, vector[0] / Totp.STEP_SECONDS), "T=" + vector[0]);
    }
  }

  @Test
  void acceptsOneStepEitherSideAndNoMore() {
    Totp totp = new Totp(Clock.fixed(Instant.ofEpochSecond(1111111111), ZoneOffset.UTC));
    long now = totp.currentStep();
    assertEquals(now, totp.matchingStep(RFC_SECRET, Totp.code(RFC_SECRET, now)));
    assertEquals(now - 1, totp.matchingStep(RFC_SECRET, Totp.code(RFC_SECRET, now - 1)));
    assertEquals(now + 1, totp.matchingStep(RFC_SECRET, Totp.code(RFC_SECRET, now + 1)));
    assertEquals(-1, totp.matchingStep(RFC_SECRET, Totp.code(RFC_SECRET, now - 2)));
    assertEquals(-1, totp.matchingStep(RFC_SECRET, Totp.code(RFC_SECRET, now + 2)));
    for (String garbage : new String[] {null, "", "12345", "1234567", "12a456", "٠١٢٣٤٥"}) {
      assertEquals(-1, totp.matchingStep(RFC_SECRET, garbage), String.valueOf(garbage));
    }
  }

  @Test
  void base32AndUriAreWhatAuthenticatorAppsRead() {
    assertEquals("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Totp.base32(RFC_SECRET));
    assertEquals("MY", Totp.base32("f".getBytes(StandardCharsets.US_ASCII)));
    assertEquals("MZXW6YQ", Totp.base32("foob".getBytes(StandardCharsets.US_ASCII)));
    String uri = Totp.uri("Cowrie", "ada dash", RFC_SECRET);
    assertTrue(uri.startsWith("otpauth://totp/Cowrie%3Aada%20dash?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Cowrie"), uri);
  }
}
