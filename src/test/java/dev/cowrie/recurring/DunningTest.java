package dev.cowrie.recurring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A card that paid once and then declines (the sandbox's "Pay, then decline renewals", like
 * Stripe's 4000 0000 0000 0341): the renewal fails, the subscription goes past_due, the invoice is
 * retried on the schedule (1, 3, 5 days after it fell due), then the subscription ends as the
 * merchant chose: canceled by default, unpaid when the billing settings say so.
 */
class DunningTest {
  static TestGateway gateway;
  static Billing billing;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(DunningTest.class);
    TestGateway.Merchant merchant = gateway.createMerchant("Dunning Shop");
    gateway.enableSandbox(merchant, "dunning_secret_0123456789abcdef");
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

  /** A subscription whose first invoice was paid with a card that declines every later charge; answers {clock, subscription}. */
  private String[] subscribedWithFailingCard(String email) {
    JsonObject clock = billing.clock("2026-05-01T12:00:00Z");
    JsonObject customer = billing.customer(email, clock.getString("id"));
    JsonObject price = billing.price(250_000, "NGN", "month", 0);
    JsonObject subscription = billing.subscribe(customer.getString("id"), price.getString("id"));
    billing.payAtCheckout(subscription.getString("latest_invoice"), "succeed_then_decline");
    gateway.eventually(() -> billing.get("/v1/customers/" + customer.getString("id")),
        json -> json.getString("default_payment_method") != null, 10_000);
    return new String[] {clock.getString("id"), subscription.getString("id")};
  }

  @Test
  void aFailingCardGoesPastDueThenIsRetriedOnScheduleThenCanceled() {
    String[] made = subscribedWithFailingCard("dee@example.com");
    String clock = made[0];
    String id = made[1];

    billing.advance(clock, "2026-06-01T13:00:00Z"); // the renewal falls due on 1 June 12:00 and is declined
    JsonObject renewal = billing.invoices(id).get(1);
    assertEquals("open", renewal.getString("status"));
    assertEquals(1, renewal.getInteger("attempt_count"));
    assertEquals("2026-06-02T12:00:00Z", renewal.getString("next_payment_attempt"), "retried 1 day after it fell due");
    JsonObject pastDue = billing.get("/v1/subscriptions/" + id);
    assertEquals("past_due", pastDue.getString("status"));
    JsonObject declined = billing.get("/v1/payments/" + renewal.getString("payment"));
    assertEquals("failed", declined.getString("status"));

    billing.advance(clock, "2026-06-02T13:00:00Z");
    assertEquals("2026-06-04T12:00:00Z", billing.get("/v1/invoices/" + renewal.getString("id")).getString("next_payment_attempt"));
    billing.advance(clock, "2026-06-04T13:00:00Z");
    assertEquals("past_due", billing.get("/v1/subscriptions/" + id).getString("status"));
    billing.advance(clock, "2026-06-06T13:00:00Z");

    JsonObject gaveUp = billing.get("/v1/invoices/" + renewal.getString("id"));
    assertEquals("uncollectible", gaveUp.getString("status"));
    assertEquals(4, gaveUp.getInteger("attempt_count"), "the first try and three retries");
    assertNull(gaveUp.getString("next_payment_attempt"));
    JsonObject canceled = billing.get("/v1/subscriptions/" + id);
    assertEquals("canceled", canceled.getString("status"));
    assertEquals("2026-06-06T13:00:00Z", canceled.getString("ended_at"), "ended at the clock's time");
    assertEquals(List.of("invoice.created", "invoice.payment_failed", "invoice.payment_failed", "invoice.payment_failed",
        "invoice.payment_failed"), billing.eventTypes(renewal.getString("id")));
    assertEquals(4, gateway.query("SELECT 1 FROM payments WHERE purpose = 'invoice' AND metadata->>'invoice' = $1",
        renewal.getString("id")).size(), "one payment per attempt");
    List<String> subscriptionEvents = billing.eventTypes(id);
    assertEquals("customer.subscription.deleted", subscriptionEvents.get(subscriptionEvents.size() - 1));
    assertEquals(0, gateway.query("SELECT 1 FROM journal_entries j JOIN payments p ON p.id = j.reference"
        + " WHERE p.metadata->>'invoice' = $1", renewal.getString("id")).size(), "no money moved for the declined invoice");

    // Nothing more happens to a canceled subscription.
    billing.advance(clock, "2026-09-01T00:00:00Z");
    assertEquals(2, billing.invoices(id).size());
  }

  @Test
  void aMerchantWhoChoseUnpaidKeepsTheSubscriptionUnpaid() {
    Response set = gateway.post("/v1/billing_settings").bearer(billing.secret)
        .json(new JsonObject().put("retry_days", new JsonArray().add(2)).put("after_retries", "unpaid")).send();
    assertEquals(200, set.status(), set.toString());
    try {
      String[] made = subscribedWithFailingCard("una@example.com");
      billing.advance(made[0], "2026-06-01T13:00:00Z");
      assertEquals("past_due", billing.get("/v1/subscriptions/" + made[1]).getString("status"));
      billing.advance(made[0], "2026-06-03T13:00:00Z");
      assertEquals("unpaid", billing.get("/v1/subscriptions/" + made[1]).getString("status"));
      assertEquals("uncollectible", billing.invoices(made[1]).get(1).getString("status"));
    } finally {
      gateway.post("/v1/billing_settings").bearer(billing.secret).json(new JsonObject()
          .put("retry_days", new JsonArray().add(1).add(3).add(5)).put("after_retries", "cancel")).send();
    }
  }
}
