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
}
