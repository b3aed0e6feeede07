package dev.cowrie.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sandbox's refund.succeeded callback belongs to a refund: `admin callbacks orphaned` must not list it. */
class RefundCallbackOrphanTest {
  static TestGateway gateway;
  static TestGateway.Merchant merchant;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(RefundCallbackOrphanTest.class);
    merchant = gateway.createMerchant("Refund Orphan Shop");
    gateway.enableSandbox(merchant, "refund_orphan_secret_0123456789");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void aRefundCallbackIsMatchedToItsRefundNotOrphaned() {
    Response created = gateway.post("/v1/payments").bearer(merchant.secret())
        .json(new JsonObject().put("amount", 10_000).put("currency", "NGN")).send();
    assertEquals(201, created.status(), created.toString());
    String id = created.json().getString("id");
    String checkout = URI.create(created.json().getJsonObject("next_action").getString("url")).getPath();
    assertEquals(200, gateway.post(checkout).raw("application/x-www-form-urlencoded", "outcome=succeed").send().status());
    gateway.eventually(() -> gateway.get("/v1/payments/" + id).bearer(merchant.secret()).send().json(),
        payment -> "succeeded".equals(payment.getString("status")), 20_000);
    Response refund = gateway.post("/v1/refunds").bearer(merchant.secret())
        .json(new JsonObject().put("payment", id).put("amount", 4_000)).send();
    assertEquals(201, refund.status(), refund.toString());

    Row event = gateway.eventually(() -> {
      var rows = gateway.query("SELECT status, note FROM provider_events WHERE event_type = 'refund.succeeded' AND status <> 'received'");
      return rows.size() == 0 ? null : rows.iterator().next();
    }, row -> row != null, 20_000);
    assertNotEquals("orphaned", event.getString("status"), event.toJson().encode());
    try (CliContext context = new CliContext(gateway.config)) {
      assertEquals(0, CallbackCommands.orphaned(context, "sandbox", 50).getJsonArray("data").size());
    }
    gateway.assertLedgerOk();
  }
}
