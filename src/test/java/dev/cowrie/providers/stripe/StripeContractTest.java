package dev.cowrie.providers.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.providers.Signatures;
import dev.cowrie.providers.WireMockContractTest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stripe: form-encoded with Idempotency-Key, smallest units, Stripe-Signature t=…,v1=hex HMAC-SHA256(whsec, "t.body"). */
class StripeContractTest extends WireMockContractTest {
  static final String KEY = "sk_test_51HxAbCdEf";
  static final String WHSEC = "whsec_test0123456789abcdef";

  protected String provider() { return "stripe"; }

  protected String currency() { return "USD"; }

  protected boolean signsTimestamp() { return true; }

  protected JsonObject credentials() { return new JsonObject().put("secret_key", KEY).put("webhook_secret", WHSEC); }

  protected JsonObject refusedCredentials() { return new JsonObject().put("secret_key", "sk_test_badkey").put("webhook_secret", WHSEC); }

  protected Signed callback(JsonObject payment, String kind, long amount, long unixSeconds) {
    byte[] body = Signatures.utf8(fixture("checkout.session.completed.json", payment.getString("id"), Long.toString(amount), "usd"));
    return new Signed(body, Map.of("Stripe-Signature", header(body, unixSeconds, WHSEC)));
  }

  static String header(byte[] body, long t, String secret) {
    return "t=" + t + ",v1=" + Signatures.hex(Signatures.hmac("HmacSHA256", secret, Signatures.utf8(t + "." + new String(body,
        java.nio.charset.StandardCharsets.UTF_8))));
  }

  protected void assertStartRequest(JsonObject payment) {
    Seen start = last(requestsTo("/v1/checkout/sessions"));
    assertEquals("Bearer " + KEY, start.header("Authorization"));
    assertTrue(start.header("Content-Type").startsWith("application/x-www-form-urlencoded"));
    assertEquals(payment.getString("id") + "-0", start.header("Idempotency-Key"));
    String form = java.net.URLDecoder.decode(start.body(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(form.contains("line_items[0][price_data][unit_amount]=10000"), form);
    assertTrue(form.contains("line_items[0][price_data][currency]=usd"), form);
    assertTrue(form.contains("client_reference_id=" + payment.getString("id")), form);
    assertTrue(form.contains("mode=payment"), form);
  }

  @Override
  protected boolean savesMethods() { return true; }

  @Override
  protected String savedCheckoutOutcome() { return "saved"; }

  @Override
  protected void assertSavedMethodCharge(JsonObject payment) {
    Seen session = last(requestsTo("/v1/checkout/sessions").stream().filter(r -> r.method().equals("POST")).toList());
    assertTrue(session.body().contains("payment_intent_data%5Bsetup_future_usage%5D=off_session"), session.body());
    assertTrue(session.body().contains("customer_creation=always"), session.body());
    Seen charge = last(requests(payment.getString("id")).stream().filter(r -> r.url().startsWith("/v1/payment_intents")
        && r.method().equals("POST")).toList());
    assertEquals("Bearer " + KEY, charge.header("Authorization"));
    assertTrue(charge.header("Idempotency-Key") != null, "a retried charge is the same charge at Stripe");
    for (String field : List.of("customer=cus_MockSaved", "payment_method=pm_1MockSaved", "off_session=true", "confirm=true",
        "amount=10000", "currency=usd")) {
      assertTrue(("&" + charge.body() + "&").contains("&" + field + "&"), field + " in " + charge.body());
    }
  }

  protected void assertRefundRequest(JsonObject payment, long amount) {
    Seen refund = last(requestsTo("/v1/refunds"));
    assertTrue(refund.header("Content-Type").startsWith("application/x-www-form-urlencoded"));
    assertNotNull(refund.header("Idempotency-Key"));
    assertTrue(refund.body().contains("amount=" + amount), refund.body());
    assertTrue(refund.body().contains("payment_intent=pi_"), "the PaymentIntent learnt from verify: " + refund.body());
  }

  @Test
  void anyOfSeveralV1SignaturesMayMatch() {
    JsonObject payment = create("success", merchant);
    providerWillSay(payment.getString("id"), "success", AMOUNT);
    byte[] body = callback(payment, "payment", AMOUNT, now()).body();
    long t = now();
    String rotated = "t=" + t + ",v1=" + "0".repeat(64) + "," + header(body, t, WHSEC).substring(("t=" + t + ",").length());
    assertEquals(200, deliver(new Signed(body, Map.of("Stripe-Signature", rotated))).status());
    awaitStatus(payment.getString("id"), "succeeded");
  }

  @Test
  void amountsUseStripesUnits() {
    assertEquals(500, StripeJson.toStripe(500, "JPY"));
    assertEquals(1230, StripeJson.toStripe(1230, "KWD"));
    assertEquals(2500, StripeJson.toStripe(2500, "USD"));
    assertEquals(2500L, StripeJson.fromStripe(2500, "USD"));
    assertEquals(500L, StripeJson.fromStripe(500, "JPY"));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> StripeJson.toStripe(1235, "KWD"));
    // ISO gives MGA two decimals, Stripe none: whole ariary pass, fractions are refused rather than rounded.
    assertEquals(15, StripeJson.toStripe(1500, "MGA"));
    org.junit.jupiter.api.Assertions.assertThrows(ArithmeticException.class, () -> StripeJson.toStripe(150, "MGA"));
  }

  @Test
  void refundWhoseCreationTimedOutIsFoundAmongThePaymentIntentsRefunds() {
    JsonObject payment = paid();
    String paymentId = payment.getString("id");
    String refundId = refundThatTimesOut(paymentId);
    String intent = gateway.query("SELECT provider_charge_ref FROM payments WHERE id = $1 LIMIT 1", paymentId)
        .iterator().next().getString("provider_charge_ref");
    String tail = paymentId.substring(4);
    stub(com.github.tomakehurst.wiremock.client.WireMock.get(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/v1/refunds"))
        .withQueryParam("payment_intent", intent.contains(tail) ? com.github.tomakehurst.wiremock.client.WireMock.matching(".*" + tail)
            : com.github.tomakehurst.wiremock.client.WireMock.equalTo(intent))
        .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(new JsonObject().put("object", "list").put("has_more", false)
            .put("data", new io.vertx.core.json.JsonArray()
                .add(new JsonObject().put("id", "re_other").put("object", "refund").put("amount", 4_000).put("status", "succeeded")
                    .put("metadata", new JsonObject().put("refund", "re_someone_else")))
                .add(new JsonObject().put("id", "re_3Found").put("object", "refund").put("amount", 4_000).put("status", "succeeded")
                    .put("metadata", new JsonObject().put("refund", refundId)))).encode())));
    reconcileNow();
    assertEquals("succeeded", gateway.get("/v1/refunds/" + refundId).bearer(merchant.secret()).send().json().getString("status"));
    assertEquals(1, gateway.query("SELECT 1 FROM refunds WHERE id = $1 AND provider_reference = 're_3Found' LIMIT 5", refundId).size());
    assertTrue(last(requestsTo("/v1/refunds?")).url().contains("payment_intent=pi_"));
    assertEquals(1, gateway.query("SELECT 1 FROM payment_attempts WHERE payment_id = $1 AND operation = 'refund_status' LIMIT 5",
        paymentId).size());
  }
}
