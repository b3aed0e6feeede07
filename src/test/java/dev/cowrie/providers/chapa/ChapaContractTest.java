package dev.cowrie.providers.chapa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.providers.Signatures;
import dev.cowrie.providers.WireMockContractTest;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Chapa v1: JSON, major-unit strings, x-chapa-signature = hex HMAC-SHA256(webhook secret, body). */
class ChapaContractTest extends WireMockContractTest {
  static final String KEY = "CHASECK_TEST-7d1e2f3a4b5c";
  static final String SECRET = "chapa_hook_0123456789";

  protected String provider() { return "chapa"; }

  protected String currency() { return "ETB"; }

  protected boolean signsTimestamp() { return false; }

  @Override
  protected boolean refusesDuplicateReferences() { return true; }

  protected JsonObject credentials() { return new JsonObject().put("secret_key", KEY).put("webhook_secret", SECRET); }

  protected JsonObject refusedCredentials() { return new JsonObject().put("secret_key", "CHASECK_TEST-badkey").put("webhook_secret", SECRET); }

  protected Signed callback(JsonObject payment, String kind, long amount, long unixSeconds) {
    byte[] body = Signatures.utf8(fixture(kind.equals("refund") ? "charge.refunded.json" : "charge.success.json",
        payment.getString("id"), BigDecimal.valueOf(amount, 2).toPlainString(), currency()));
    return new Signed(body, Map.of("x-chapa-signature", Signatures.hex(Signatures.hmac("HmacSHA256", SECRET, body)),
        "Chapa-Signature", Signatures.hex(Signatures.hmac("HmacSHA256", SECRET, Signatures.utf8(SECRET)))));
  }

  protected void assertStartRequest(JsonObject payment) {
    Seen start = last(requestsTo("/v1/transaction/initialize"));
    assertEquals("Bearer " + KEY, start.header("Authorization"));
    assertTrue(start.header("Content-Type").startsWith("application/json"));
    JsonObject body = new JsonObject(start.body());
    assertEquals("100.00", body.getValue("amount"), "a major-unit string");
    assertEquals("ETB", body.getString("currency"));
    assertEquals(payment.getString("id"), body.getString("tx_ref"));
  }

  protected void assertRefundRequest(JsonObject payment, long amount) {
    Seen refund = last(requestsTo("/v1/refund/"));
    assertEquals("/v1/refund/" + payment.getString("id"), refund.url());
    assertEquals("Bearer " + KEY, refund.header("Authorization"));
    assertTrue(refund.header("Content-Type").startsWith("application/x-www-form-urlencoded"));
    assertTrue(refund.body().contains("amount=30.00"), refund.body());
  }

  @Test
  void chapaSignatureAloneProvesNothing() {
    JsonObject payment = create("success", merchant);
    Signed signed = callback(payment, "payment", AMOUNT, now());
    assertEquals(401, deliver(new Signed(signed.body(), Map.of("Chapa-Signature", signed.headers().get("Chapa-Signature")))).status());
  }

  @Test
  void refundWhoseCreationTimedOutStaysPendingAndTheLookupSaysWhy() {
    JsonObject payment = paid();
    String paymentId = payment.getString("id");
    String refundId = refundThatTimesOut(paymentId);
    reconcileNow();
    assertEquals("pending", gateway.get("/v1/refunds/" + refundId).bearer(merchant.secret()).send().json()
        .getString("status"), "Chapa has no refund lookup: never guessed");
    var attempt = gateway.query("SELECT error_code, error_message FROM payment_attempts WHERE payment_id = $1"
        + " AND operation = 'refund_status' LIMIT 5", paymentId);
    assertEquals(1, attempt.size());
    assertEquals("unsupported", attempt.iterator().next().getString("error_code"));
    assertTrue(attempt.iterator().next().getString("error_message").contains("timed out"), attempt.iterator().next().toString());
  }
}
