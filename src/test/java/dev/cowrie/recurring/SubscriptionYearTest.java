package dev.cowrie.recurring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A merchant's customer on a monthly price, driven through a year with a test clock: the first
 * invoice is paid at the checkout (which saves the card), the next eleven are charged to the saved
 * card as the clock passes each period's start, each exactly once, and the ledger still balances.
 * A trial starts invoicing at its end.
 */
class SubscriptionYearTest {
  static TestGateway gateway;
  static Billing billing;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(SubscriptionYearTest.class);
    TestGateway.Merchant merchant = gateway.createMerchant("Year Shop");
    gateway.enableSandbox(merchant, "year_secret_0123456789abcdef");
    billing = new Billing(gateway, merchant.secret());
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @AfterEach
  void ledgerStillBalances() {
    gateway.assertLedgerOk();
  }

  @Test
  void aMonthlySubscriptionThroughAYearIsInvoicedAndChargedOncePerMonth() {
    JsonObject clock = billing.clock("2026-01-31T09:00:00Z");
    JsonObject customer = billing.customer("ada@example.com", clock.getString("id"));
    JsonObject price = billing.price(500_000, "NGN", "month", 0);
    JsonObject subscription = billing.subscribe(customer.getString("id"), price.getString("id"));
    assertEquals("incomplete", subscription.getString("status"));
    assertEquals(clock.getString("id"), subscription.getString("test_clock"));
    assertEquals("2026-02-28T09:00:00Z", subscription.getString("current_period_end"));
    String firstInvoice = subscription.getString("latest_invoice");
    assertNotNull(firstInvoice);

    JsonObject paidFirst = billing.payAtCheckout(firstInvoice, "succeed");
    assertEquals("2026-01-31T09:00:00Z", paidFirst.getString("paid_at"), "paid at the clock's time");
    String subscriptionId = subscription.getString("id");
    assertEquals("active", billing.get("/v1/subscriptions/" + subscriptionId).getString("status"));
    JsonObject withCard = gateway.eventually(() -> billing.get("/v1/customers/" + customer.getString("id")),
        json -> json.getString("default_payment_method") != null, 10_000);
    assertEquals("4242", withCard.getJsonArray("payment_methods").getJsonObject(0).getString("last4"));
    assertNull(withCard.getJsonArray("payment_methods").getJsonObject(0).getString("token"), "a token is never shown");

    JsonObject ready = billing.advance(clock.getString("id"), "2027-01-15T00:00:00Z");
    assertEquals("2027-01-15T00:00:00Z", ready.getString("frozen_time"));

    List<JsonObject> invoices = billing.invoices(subscriptionId);
    assertEquals(12, invoices.size(), invoices.toString());
    Set<String> payments = new HashSet<>();
    for (JsonObject invoice : invoices) {
      assertEquals("paid", invoice.getString("status"), invoice.encodePrettily());
      assertEquals(500_000, invoice.getLong("amount_paid"));
      assertEquals(1, invoice.getInteger("attempt_count"), "each invoice charged once: " + invoice.encode());
      assertTrue(payments.add(invoice.getString("payment")), "one payment per invoice");
      JsonObject payment = billing.get("/v1/payments/" + invoice.getString("payment"));
      assertEquals("succeeded", payment.getString("status"));
      assertEquals(invoice.getString("id"), payment.getJsonObject("metadata").getString("invoice"));
      assertEquals(1, gateway.query("SELECT 1 FROM journal_entries WHERE reference = $1", payment.getString("id")).size());
      assertEquals(invoice.getString("id").equals(firstInvoice)
          ? List.of("invoice.created", "invoice.payment_required", "invoice.paid") // paid at the checkout
          : List.of("invoice.created", "invoice.paid"), billing.eventTypes(invoice.getString("id")));
    }
    // Month ends stay month ends: counted from the anchor, not from the previous (shorter) month.
    assertEquals("2026-02-28T09:00:00Z", invoices.get(1).getString("period_start"));
    assertEquals("2026-03-31T09:00:00Z", invoices.get(2).getString("period_start"));
    assertEquals("2026-12-31T09:00:00Z", invoices.get(11).getString("period_start"));
    assertEquals(12, gateway.query("""
        SELECT 1 FROM sandbox_charges WHERE merchant_ref IN (SELECT id FROM payments WHERE purpose = 'invoice')""").size(),
        "the provider was charged twelve times, no more");
    JsonObject after = billing.get("/v1/subscriptions/" + subscriptionId);
    assertEquals("active", after.getString("status"));
    assertEquals("2026-12-31T09:00:00Z", after.getString("current_period_start"));
    assertEquals("2027-01-31T09:00:00Z", after.getString("current_period_end"));
    long available = billing.get("/v1/balance").getJsonArray("available").stream().map(JsonObject.class::cast)
        .filter(balance -> balance.getString("currency").equals("NGN")).mapToLong(balance -> balance.getLong("amount")).sum();
    assertEquals(12 * 500_000, available);
  }

  @Test
  void aTrialInvoicesNothingUntilItEndsThenAsksTheCustomerToPay() {
    JsonObject clock = billing.clock("2026-03-01T00:00:00Z");
    JsonObject customer = billing.customer("grace@example.com", clock.getString("id"));
    JsonObject price = billing.price(120_000, "NGN", "week", 14);
    JsonObject subscription = billing.subscribe(customer.getString("id"), price.getString("id"));
    String id = subscription.getString("id");
    assertEquals("trialing", subscription.getString("status"));
    assertEquals("2026-03-15T00:00:00Z", subscription.getString("trial_end"));
    assertNull(subscription.getString("latest_invoice"));

    billing.advance(clock.getString("id"), "2026-03-10T00:00:00Z");
    assertEquals(0, billing.invoices(id).size(), "no invoice during the trial");
    assertEquals("trialing", billing.get("/v1/subscriptions/" + id).getString("status"));

    billing.advance(clock.getString("id"), "2026-03-16T00:00:00Z");
    List<JsonObject> invoices = billing.invoices(id);
    assertEquals(1, invoices.size());
    JsonObject invoice = invoices.get(0);
    assertEquals("2026-03-15T00:00:00Z", invoice.getString("period_start"));
    assertEquals("2026-03-22T00:00:00Z", invoice.getString("period_end"));
    assertEquals("active", billing.get("/v1/subscriptions/" + id).getString("status"));
    // No saved card: the customer is sent to a checkout.
    JsonObject awaiting = gateway.eventually(() -> billing.get("/v1/invoices/" + invoice.getString("id")),
        json -> json.getString("hosted_invoice_url") != null, 10_000);
    assertTrue(awaiting.getString("hosted_invoice_url").contains("/sandbox/checkout/"));
    assertEquals(List.of("invoice.created", "invoice.payment_required"), billing.eventTypes(invoice.getString("id")));
    billing.payAtCheckout(invoice.getString("id"), "succeed");
    assertEquals(List.of("invoice.created", "invoice.payment_required", "invoice.paid"), billing.eventTypes(invoice.getString("id")));
  }
}
