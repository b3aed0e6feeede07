package dev.cowrie.providers.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cowrie.providers.ProviderContractTest;
import dev.cowrie.providers.Signatures;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** The built-in sandbox runs the kit against itself: outcomes are chosen on its hosted checkout page. */
class SandboxContractTest extends ProviderContractTest {
  static final String SECRET = "sandbox_secret_0123456789abc";

  protected String provider() { return "sandbox"; }

  protected String currency() { return "NGN"; }

  protected boolean signsTimestamp() { return true; }

  protected boolean injectsFaults() { return false; }

  protected boolean controlsReportedAmount() { return false; }

  protected String apiBase() { return null; }

  protected JsonObject credentials() { return new JsonObject().put("webhook_secret", SECRET); }

  protected JsonObject refusedCredentials() { return null; }

  protected void providerWillSay(String paymentId, String outcome, long amount) {
    if (outcome.equals("pending")) {
      return;
    }
    String url = gateway.query("SELECT next_action_url FROM payments WHERE id = $1", paymentId).iterator().next().getString("next_action_url");
    String path = url.substring(url.indexOf("/sandbox/checkout/"));
    String choice = outcome.equals("success") ? "succeed" : "decline";
    assertEquals(200, gateway.post(path).raw("application/x-www-form-urlencoded", "outcome=" + choice).send().status());
    awaitStatus(paymentId, outcome.equals("success") ? "succeeded" : "failed");
  }

  protected Signed callback(JsonObject payment, String kind, long amount, long unixSeconds) {
    String file = kind.equals("refund") ? "refund.succeeded.json" : "payment.succeeded.json";
    byte[] body = Signatures.utf8(fixture(file, payment.getString("id"), Long.toString(amount), currency()));
    String signature = Signatures.hex(Signatures.hmac("HmacSHA256", SECRET, Signatures.utf8(unixSeconds + "." + new String(body,
        java.nio.charset.StandardCharsets.UTF_8))));
    return new Signed(body, Map.of("Cowrie-Sandbox-Signature", "t=" + unixSeconds + ",v1=" + signature));
  }

  protected void assertStartRequest(JsonObject payment) {
    var charge = gateway.query("SELECT amount, currency FROM sandbox_charges WHERE merchant_ref = $1", payment.getString("id"))
        .iterator().next();
    assertEquals(AMOUNT, charge.getLong("amount"));
    assertEquals("NGN", charge.getString("currency"));
  }

  protected void assertRefundRequest(JsonObject payment, long amount) {
    assertEquals(amount, gateway.query("SELECT amount_refunded FROM sandbox_charges WHERE merchant_ref = $1", payment.getString("id"))
        .iterator().next().getLong("amount_refunded"));
  }
}
