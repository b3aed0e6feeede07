package dev.cowrie.providers.flutterwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.providers.Signatures;
import dev.cowrie.providers.WireMockContractTest;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Flutterwave v3: JSON, major units, flutterwave-signature = base64 HMAC-SHA256(secret hash, body), or verif-hash. */
class FlutterwaveContractTest extends WireMockContractTest {
  static final String KEY = "FLWSECK_TEST-9c2b1d4e5f6a-X";
  static final String HASH = "flw_hash_0123456789";

  protected String provider() { return "flutterwave"; }

  protected String currency() { return "NGN"; }

  protected boolean signsTimestamp() { return false; }

  protected JsonObject credentials() { return new JsonObject().put("secret_key", KEY).put("secret_hash", HASH); }

  protected JsonObject refusedCredentials() { return new JsonObject().put("secret_key", "FLWSECK_TEST-badkey-X").put("secret_hash", HASH); }

  protected Signed callback(JsonObject payment, String kind, long amount, long unixSeconds) {
    byte[] body = Signatures.utf8(fixture("charge.completed.successful.json", payment.getString("id"),
        BigDecimal.valueOf(amount, 2).toPlainString(), currency()));
    return new Signed(body, Map.of("flutterwave-signature", Signatures.base64(Signatures.hmac("HmacSHA256", HASH, body))));
  }

  protected void assertStartRequest(JsonObject payment) {
    Seen start = last(requestsTo("/v3/payments"));
    assertEquals("Bearer " + KEY, start.header("Authorization"));
    assertTrue(start.header("Content-Type").startsWith("application/json"));
    JsonObject body = new JsonObject(start.body());
    assertEquals(0, new BigDecimal("100.00").compareTo(new BigDecimal(start.body().replaceAll(".*\"amount\":([0-9.]+).*", "$1"))),
        "major units: " + start.body());
    assertEquals(payment.getString("id"), body.getString("tx_ref"));
    assertEquals("ada@example.com", body.getJsonObject("customer").getString("email"));
  }

  @Override
  protected boolean savesMethods() { return true; }

  @Override
  protected void assertSavedMethodCharge(JsonObject payment) {
    Seen charge = last(requests(payment.getString("id")).stream().filter(r -> r.url().startsWith("/v3/tokenized-charges")).toList());
    JsonObject body = new JsonObject(charge.body());
    assertEquals("flw-t1nf-mock-m03k", body.getString("token"), "the card token verify reported after the checkout");
    assertEquals("ada@example.com", body.getString("email"));
    assertEquals(0, new java.math.BigDecimal("100.00").compareTo(new java.math.BigDecimal(body.getValue("amount").toString())),
        "major units: " + body.getValue("amount"));
    assertEquals(payment.getString("id"), body.getString("tx_ref"));
  }

  protected void assertRefundRequest(JsonObject payment, long amount) {
    Seen refund = last(requestsTo("/v3/transactions/7000001/refund"));
    assertEquals("Bearer " + KEY, refund.header("Authorization"));
    assertEquals("30.00", refund.body().replaceAll(".*\"amount\":([0-9.]+).*", "$1"), refund.body());
  }

  @Test
  void legacyVerifHashIsAcceptedOnlyWhenItEqualsTheSecretHash() {
    JsonObject payment = create("success", merchant);
    providerWillSay(payment.getString("id"), "success", AMOUNT);
    byte[] body = callback(payment, "payment", AMOUNT, now()).body();
    assertEquals(401, deliver(new Signed(body, Map.of("verif-hash", "not-the-hash"))).status());
    assertEquals(200, deliver(new Signed(body, Map.of("verif-hash", HASH))).status());
    awaitStatus(payment.getString("id"), "succeeded");
  }
}
