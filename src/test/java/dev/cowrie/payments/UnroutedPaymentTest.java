package dev.cowrie.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.cowrie.common.Bus;
import dev.cowrie.common.Ids;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The state a crash between the payment row's commit and the provider call leaves (a payment with
 * no connection, no provider reference) is repaired: by the client's retry with the same
 * Idempotency-Key, and by the reconciler, which links a provider charge that was already created.
 */
class UnroutedPaymentTest {
  static final String SECRET = "unrouted_secret_0123456789abcdef";
  static TestGateway gateway;
  static TestGateway.Merchant merchant;
  static String connectionId;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(UnroutedPaymentTest.class);
    merchant = gateway.createMerchant("Unrouted Shop");
    connectionId = gateway.enableSandbox(merchant, SECRET).getString("id");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  /** The row as the crashed creation committed it: requires_action, no provider, {@code ageSeconds} old. */
  static String crashedPayment(String idempotencyKey, long ageSeconds) {
    String id = Ids.next("pay");
    gateway.query("""
        INSERT INTO payments (id, merchant_id, mode, amount, currency, status, idempotency_key, requested_provider, created_at, updated_at)
        VALUES ($1, $2, 'test', 5000, 'NGN', 'requires_action', $3, 'sandbox', now() - make_interval(secs => $4),
          now() - make_interval(secs => $4))""", id, merchant.id(), idempotencyKey, (double) ageSeconds);
    return id;
  }

  @Test
  void aRetryWithTheSameKeyResumesRouting() {
    String id = crashedPayment("crash-retry-1", 0);
    JsonObject body = new JsonObject().put("amount", 5000).put("currency", "NGN").put("provider", "sandbox");
    Response retry = gateway.post("/v1/payments").bearer(merchant.secret()).idempotencyKey("crash-retry-1").json(body).send();
    assertEquals(201, retry.status(), retry.toString());
    assertEquals(id, retry.json().getString("id"));
    assertEquals("sandbox", retry.json().getString("provider"), retry.toString());
    assertNotNull(retry.json().getJsonObject("next_action"), retry.toString());

    Response replay = gateway.post("/v1/payments").bearer(merchant.secret()).idempotencyKey("crash-retry-1").json(body).send();
    assertNotNull(replay.json().getJsonObject("next_action"), replay.toString());
  }

  @Test
  void theReconcilerLinksAChargeThatWasCreatedButNeverLinked() {
    String id = crashedPayment("crash-reconcile-1", 0);
    // The crash came after the sandbox created its charge: it exists there under our reference.
    Response charge = gateway.post("/sandbox/api/charges").bearer(SECRET)
        .json(new JsonObject().put("reference", id).put("amount", 5000).put("currency", "NGN")
            .put("callback_url", gateway.config.publicUrl() + "/v1/callbacks/" + connectionId)).send();
    assertEquals(201, charge.status(), charge.toString());

    JsonObject early = TestGateway.await(Bus.<JsonObject>request(gateway.vertx, PaymentAddresses.RECONCILE,
        new JsonObject().put("unrouted_after_seconds", 60), 60_000));
    assertEquals(0, early.getJsonArray("resumed").stream().map(JsonObject.class::cast)
        .filter(resumed -> id.equals(resumed.getString("id"))).count(), "a creation still within its grace: " + early.encode());

    // An hour later (the reconciler's clock moves; nothing waits), the payment is stale and resumed.
    JsonObject report;
    gateway.clock.advance(Duration.ofHours(1));
    try {
      report = TestGateway.await(Bus.<JsonObject>request(gateway.vertx, PaymentAddresses.RECONCILE,
          new JsonObject().put("unrouted_after_seconds", 60), 60_000));
    } finally {
      gateway.clock.advance(Duration.ofHours(-1));
    }
    assertEquals(1, report.getJsonArray("resumed").stream().map(JsonObject.class::cast)
        .filter(resumed -> id.equals(resumed.getString("id"))).count(), report.encode());
    JsonObject payment = gateway.get("/v1/payments/" + id).bearer(merchant.secret()).send().json();
    assertEquals(charge.json().getString("id"), payment.getString("provider_reference"), payment.encode());
    assertNotNull(payment.getJsonObject("next_action"), payment.encode());
  }
}
