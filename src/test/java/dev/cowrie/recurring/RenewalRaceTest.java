package dev.cowrie.recurring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cowrie.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Four schedulers polling every 20 ms in small batches race over the same due subscriptions and
 * invoices (as several nodes would): every period is invoiced once, announced once, and its
 * payment started once.
 */
class RenewalRaceTest {
  static TestGateway gateway;
  static Billing billing;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(RenewalRaceTest.class, Map.of("COWRIE_RECURRING_SCHEDULERS", "4",
        "COWRIE_RECURRING_POLL_MS", "20", "COWRIE_RECURRING_BATCH_SIZE", "2"));
    TestGateway.Merchant merchant = gateway.createMerchant("Race Shop");
    gateway.enableSandbox(merchant, "race_secret_0123456789abcdef");
    billing = new Billing(gateway, merchant.secret());
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void racingSchedulersInvoiceEachPeriodExactlyOnce() {
    JsonObject clock = billing.clock("2026-04-01T00:00:00Z");
    JsonObject price = billing.price(20_000, "NGN", "week", 1);
    List<String> subscriptions = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      JsonObject customer = billing.customer("racer" + i + "@example.com", clock.getString("id"));
      subscriptions.add(billing.subscribe(customer.getString("id"), price.getString("id")).getString("id"));
    }
    // The trial ends on 2 April; weekly periods then start on 2, 9, 16, 23 and 30 April.
    billing.advance(clock.getString("id"), "2026-05-01T00:00:00Z");

    for (String id : subscriptions) {
      List<JsonObject> invoices = billing.invoices(id);
      assertEquals(5, invoices.size(), id + ": " + invoices);
      for (JsonObject invoice : invoices) {
        JsonObject started = gateway.eventually(() -> billing.get("/v1/invoices/" + invoice.getString("id")),
            json -> json.getString("payment") != null, 20_000);
        assertEquals(1, gateway.query("SELECT 1 FROM payments WHERE metadata->>'invoice' = $1", invoice.getString("id")).size(),
            "one payment per invoice");
        assertEquals(List.of("invoice.created", "invoice.payment_required"), billing.eventTypes(started.getString("id")));
      }
    }
    assertEquals(8 * 5, gateway.query("SELECT 1 FROM invoices").size());
    assertEquals(8 * 5, gateway.query("SELECT 1 FROM events WHERE type = 'invoice.created'").size());
  }
}
