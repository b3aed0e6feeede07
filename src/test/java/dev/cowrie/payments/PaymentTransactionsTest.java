package dev.cowrie.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A payment's creation is two transactions around the provider call: while the provider is still
 * being asked, the key's claim, the payment, its payment.created event and its audit row are all
 * there together; the answer and the key's stored answer arrive together afterwards.
 */
class PaymentTransactionsTest {
  static final String SECRET = "commits_secret_0123456789abcdef";
  static TestGateway gateway;
  static TestGateway.Merchant merchant;

  @BeforeAll
  static void start() {
    // The sandbox answers slowly, so the state between the two transactions can be looked at.
    gateway = TestGateway.start(PaymentTransactionsTest.class, Map.of("COWRIE_SANDBOX_LATENCY_MS", "2000",
        "COWRIE_PROVIDER_TIMEOUT_MS", "30000"));
    merchant = gateway.createMerchant("Two Commits Shop");
    gateway.enableSandbox(merchant, SECRET);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void theFirstTransactionHoldsClaimPaymentEventAndAuditBeforeTheProviderAnswers() {
    JsonObject body = new JsonObject().put("amount", 7000).put("currency", "NGN").put("provider", "sandbox");
    Future<Response> answer = gateway.post("/v1/payments").bearer(merchant.secret()).idempotencyKey("two-tx-1").json(body).sendAsync();

    TestGateway.eventually("the payment row committed", Duration.ofSeconds(30),
        () -> gateway.query("SELECT 1 FROM payments WHERE merchant_id = $1 AND idempotency_key = 'two-tx-1'", merchant.id()).size() == 1);
    Row payment = gateway.query("SELECT id, connection_id FROM payments WHERE merchant_id = $1 AND idempotency_key = 'two-tx-1'",
        merchant.id()).iterator().next();
    String id = payment.getString("id");
    if (payment.getString("connection_id") == null) { // still between the two transactions: all of (1), none of (2)
      assertEquals(1, gateway.query("SELECT 1 FROM audit_log WHERE target = $1 AND action = 'POST /v1/payments'", id).size(),
          "the audit row commits with the payment");
      assertEquals(1, gateway.query("SELECT 1 FROM events WHERE type = 'payment.created' AND data->'object'->>'id' = $1", id).size());
      assertEquals("in_flight", gateway.query("SELECT state FROM idempotency_keys WHERE merchant_id = $1 AND idem_key = 'two-tx-1'",
          merchant.id()).iterator().next().getString("state"));
    }

    Response created = TestGateway.await(answer);
    assertEquals(201, created.status(), created.toString());
    assertEquals(id, created.json().getString("id"));
    Row key = gateway.query("SELECT state, response_status, response_body FROM idempotency_keys WHERE merchant_id = $1 AND idem_key = 'two-tx-1'",
        merchant.id()).iterator().next();
    assertEquals("done", key.getString("state"));
    assertEquals(201, key.getInteger("response_status"));
    assertEquals(created.json(), new JsonObject(key.getString("response_body")), "the stored answer is the answer given");
    assertEquals(1, gateway.query("SELECT 1 FROM audit_log WHERE target = $1", id).size(), "one audit row per creation");
    assertEquals(1, created.json().getJsonArray("attempts").size(), created.toString());
  }

  @Test
  void aRefundHoldsClaimReservationAndAuditBeforeTheProviderAnswersAndStoresItsAnswerWithTheSettlement() {
    JsonObject body = new JsonObject().put("amount", 9000).put("currency", "NGN").put("provider", "sandbox");
    Response created = gateway.post("/v1/payments").bearer(merchant.secret()).idempotencyKey("two-tx-paid").json(body).send();
    assertEquals(201, created.status(), created.toString());
    String paymentId = created.json().getString("id");
    String url = created.json().getJsonObject("next_action").getString("url");
    assertEquals(200, gateway.post(url.substring(url.indexOf("/sandbox/checkout/"))).raw("application/x-www-form-urlencoded", "outcome=succeed")
        .send().status());
    TestGateway.eventually("the payment succeeded", Duration.ofSeconds(30), () -> "succeeded".equals(
        gateway.get("/v1/payments/" + paymentId).bearer(merchant.secret()).send().json().getString("status")));

    JsonObject refund = new JsonObject().put("payment", paymentId).put("amount", 4000);
    Future<Response> answer = gateway.post("/v1/refunds").bearer(merchant.secret()).idempotencyKey("two-tx-refund").json(refund).sendAsync();
    TestGateway.eventually("the refund row committed", Duration.ofSeconds(30),
        () -> gateway.query("SELECT 1 FROM refunds WHERE payment_id = $1", paymentId).size() == 1);
    Row pending = gateway.query("SELECT id, status FROM refunds WHERE payment_id = $1", paymentId).iterator().next();
    String refundId = pending.getString("id");
    if ("pending".equals(pending.getString("status"))) { // the provider is still being asked: all of (1), none of (2)
      assertEquals(1, gateway.query("SELECT 1 FROM audit_log WHERE target = $1 AND action = 'POST /v1/refunds'", refundId).size(),
          "the audit row commits with the reservation");
      assertEquals("in_flight", gateway.query("SELECT state FROM idempotency_keys WHERE merchant_id = $1 AND idem_key = 'two-tx-refund'",
          merchant.id()).iterator().next().getString("state"));
    }

    Response refunded = TestGateway.await(answer);
    assertEquals(201, refunded.status(), refunded.toString());
    assertEquals(refundId, refunded.json().getString("id"));
    assertEquals("succeeded", refunded.json().getString("status"));
    Row key = gateway.query("SELECT state, response_status, response_body FROM idempotency_keys WHERE merchant_id = $1 AND idem_key = 'two-tx-refund'",
        merchant.id()).iterator().next();
    assertEquals("done", key.getString("state"));
    assertEquals(201, key.getInteger("response_status"));
    assertEquals(refunded.json(), new JsonObject(key.getString("response_body")), "the stored answer is the answer given");
    assertEquals(1, gateway.query("SELECT 1 FROM audit_log WHERE target = $1", refundId).size(), "one audit row per refund");

    Response replayed = gateway.post("/v1/refunds").bearer(merchant.secret()).idempotencyKey("two-tx-refund").json(refund).send();
    assertEquals(refunded.json().getString("id"), replayed.json().getString("id"), replayed.toString());
    assertEquals(1, gateway.query("SELECT 1 FROM refunds WHERE payment_id = $1", paymentId).size(), "a replay refunds nothing more");
    Response reused = gateway.post("/v1/refunds").bearer(merchant.secret()).idempotencyKey("two-tx-refund")
        .json(refund.copy().put("amount", 1000)).send();
    assertEquals("idempotency_key_reused", reused.errorCode(), reused.toString());
    gateway.assertLedgerOk();
  }
}
