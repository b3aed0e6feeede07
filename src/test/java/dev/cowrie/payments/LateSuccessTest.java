package dev.cowrie.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A charge paid after cancel never vanishes: cancel closes the checkout, and a success that still lands is booked and flagged. */
class LateSuccessTest {
  static TestGateway gateway;
  static TestGateway.Merchant merchant;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(LateSuccessTest.class);
    merchant = gateway.createMerchant("Late Success Shop");
    gateway.enableSandbox(merchant, "late_success_secret_0123456789");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static JsonObject createAndCancel(long amount) {
    Response created = gateway.post("/v1/payments").bearer(merchant.secret())
        .json(new JsonObject().put("amount", amount).put("currency", "GHS")).send();
    assertEquals(201, created.status(), created.toString());
    String id = created.json().getString("id");
    Response canceled = gateway.post("/v1/payments/" + id + "/cancel").bearer(merchant.secret()).send();
    assertEquals(200, canceled.status(), canceled.toString());
    assertEquals("canceled", canceled.json().getString("status"));
    return created.json();
  }

  static String checkoutPath(JsonObject payment) {
    return URI.create(payment.getJsonObject("next_action").getString("url")).getPath();
  }

  @Test
  void cancelClosesTheSandboxCheckout() {
    JsonObject payment = createAndCancel(3_000);
    String charge = payment.getString("provider_reference");
    assertEquals("canceled", gateway.query("SELECT status FROM sandbox_charges WHERE reference = $1", charge)
        .iterator().next().getString("status"));
    Response page = gateway.get(checkoutPath(payment)).send();
    assertEquals(200, page.status());
    assertFalse(page.body().toString().contains("id=\"pay\""), page.body().toString());
    Response pay = gateway.post(checkoutPath(payment)).raw("application/x-www-form-urlencoded", "outcome=succeed").send();
    assertEquals(409, pay.status(), pay.toString());
    assertEquals("canceled", gateway.get("/v1/payments/" + payment.getString("id")).bearer(merchant.secret()).send()
        .json().getString("status"));
  }

  @Test
  void aSuccessAfterCancelIsBookedFlaggedAndAnnounced() {
    JsonObject payment = createAndCancel(7_500);
    String id = payment.getString("id");
    // The customer pressed Pay before the cancel reached the provider: the old checkout is still open there.
    gateway.query("UPDATE sandbox_charges SET status = 'pending' WHERE reference = $1", payment.getString("provider_reference"));
    Response pay = gateway.post(checkoutPath(payment)).raw("application/x-www-form-urlencoded", "outcome=succeed").send();
    assertEquals(200, pay.status(), pay.toString());

    JsonObject flagged = gateway.eventually(() -> gateway.get("/v1/payments/" + id).bearer(merchant.secret()).send().json(),
        p -> p.getBoolean("requires_review", false), 20_000);
    assertEquals("canceled", flagged.getString("status"));
    assertEquals("late_success", flagged.getJsonObject("review").getString("code"), flagged.encode());
    assertEquals(1, gateway.query("SELECT 1 FROM journal_entries WHERE kind = 'payment_late_success' AND reference = $1", id).size());
    JsonObject balance = gateway.get("/v1/balance").bearer(merchant.secret()).send().json();
    assertTrue(balance.getJsonArray("available").stream().map(JsonObject.class::cast)
        .anyMatch(b -> "GHS".equals(b.getString("currency")) && b.getLong("amount") == 7_500), balance.encode());
    assertEquals(1, gateway.query("SELECT 1 FROM events WHERE type = 'payment.review_required' AND data::text LIKE $1",
        "%" + id + "%").size());
    gateway.assertLedgerOk();
  }
}
