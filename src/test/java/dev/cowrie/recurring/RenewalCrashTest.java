package dev.cowrie.recurring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cowrie.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway stops (as a crash or deploy would) while a renewal's charge is at the provider: its
 * payment is stored, the provider has not answered, the invoice knows nothing yet. After the
 * restart the invoice's lease runs out, the scheduler takes it again with the same attempt's key,
 * finds the same payment and finishes it: one payment, one provider charge, one ledger entry.
 */
class RenewalCrashTest {
  static TestGateway gateway;
  static Billing billing;

  @BeforeAll
  static void start() {
    // A slow provider keeps the charge in flight long enough to stop the gateway under it; a short lease retakes it soon.
    gateway = TestGateway.start(RenewalCrashTest.class, Map.of("COWRIE_SANDBOX_LATENCY_MS", "1500",
        "COWRIE_RECURRING_LEASE_MS", "3000"));
    TestGateway.Merchant merchant = gateway.createMerchant("Crash Shop");
    gateway.enableSandbox(merchant, "crash_secret_0123456789abcdef");
    billing = new Billing(gateway, merchant.secret());
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void aRestartMidRenewalChargesNothingTwice() {
    JsonObject clock = billing.clock("2026-01-10T00:00:00Z");
    JsonObject customer = billing.customer("cara@example.com", clock.getString("id"));
    JsonObject price = billing.price(300_000, "NGN", "month", 0);
    JsonObject subscription = billing.subscribe(customer.getString("id"), price.getString("id"));
    billing.payAtCheckout(subscription.getString("latest_invoice"), "succeed");
    gateway.eventually(() -> billing.get("/v1/customers/" + customer.getString("id")),
        json -> json.getString("default_payment_method") != null, 20_000);

    assertEquals(200, gateway.post("/v1/test_clocks/" + clock.getString("id") + "/advance").bearer(billing.secret)
        .json(new JsonObject().put("to", "2026-02-10T01:00:00Z")).send().status());
    String paymentId = gateway.eventually(() -> {
      var rows = gateway.query("SELECT id FROM payments WHERE purpose = 'invoice' AND metadata->>'invoice' <> $1",
          subscription.getString("latest_invoice"));
      return rows.size() == 0 ? null : rows.iterator().next().getString("id");
    }, id -> id != null, 20_000);
    var invoiceRow = gateway.query("SELECT id, status, payment_id FROM invoices WHERE subscription_id = $1 AND period_index = 1",
        subscription.getString("id")).iterator().next();
    String renewal = invoiceRow.getString("id");
    assertEquals("open", invoiceRow.getString("status"));
    assertNull(invoiceRow.getString("payment_id"), "the crash comes before the charge's outcome is known");

    gateway = gateway.restart();
    billing = new Billing(gateway, billing.secret);

    JsonObject paid = gateway.eventually(() -> billing.get("/v1/invoices/" + renewal), json -> "paid".equals(json.getString("status")),
        30_000);
    assertEquals(paymentId, paid.getString("payment"), "the same payment, found again by its key");
    assertEquals(1, paid.getInteger("attempt_count"));
    assertEquals(1, gateway.query("SELECT 1 FROM payments WHERE metadata->>'invoice' = $1", renewal).size());
    assertEquals(1, gateway.query("SELECT 1 FROM sandbox_charges WHERE merchant_ref = $1", paymentId).size(), "one provider charge");
    assertEquals(1, gateway.query("SELECT 1 FROM journal_entries WHERE reference = $1", paymentId).size(), "one ledger entry");
    assertEquals(List.of("invoice.created", "invoice.paid"), billing.eventTypes(renewal));
    billing.advance(clock.getString("id"), "2026-02-11T00:00:00Z");
    assertEquals(2, billing.invoices(subscription.getString("id")).size());
    gateway.assertLedgerOk();
  }
}
