package dev.cowrie.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET /v1/payments/{id}/ledger_entries: the entries about a payment and its refunds, each balanced, and only the owner's. */
class PaymentLedgerEntriesTest {
  static TestGateway gateway;
  static TestGateway.Merchant merchant;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(PaymentLedgerEntriesTest.class);
    merchant = gateway.createMerchant("Ledger Shop");
    gateway.enableSandbox(merchant, "ledger_entries_secret_0123456789");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void aPaidAndPartlyRefundedPaymentShowsItsBalancedEntries() {
    String id = paidPayment(250_000);
    Response refund = gateway.post("/v1/refunds").bearer(merchant.secret()).header("Idempotency-Key", "ledger-refund-1")
        .json(new JsonObject().put("payment", id).put("amount", 50_000)).send();
    assertEquals(201, refund.status(), refund.toString());
    String refundId = refund.json().getString("id");
    gateway.eventually(() -> entries(id), list -> list.stream().map(JsonObject.class::cast)
        .anyMatch(entry -> entry.getString("reference").equals(refundId)), 10_000);

    JsonArray entries = entries(id);
    JsonObject success = entries.getJsonObject(0);
    assertEquals("payment_succeeded", success.getString("kind"), entries.encodePrettily());
    assertEquals(id, success.getString("reference"));
    assertEquals(Map.of("provider_clearing", -250_000L, "merchant_available", 250_000L), byAccount(success));
    for (Object each : entries) {
      JsonObject entry = (JsonObject) each;
      long sum = entry.getJsonArray("postings").stream().mapToLong(p -> ((JsonObject) p).getLong("amount")).sum();
      assertEquals(0, sum, "every entry balances: " + entry.encode());
      assertTrue(List.of(id, refundId).contains(entry.getString("reference")), entry.encode());
    }
    assertTrue(entries.stream().map(JsonObject.class::cast).anyMatch(entry -> entry.getString("reference").equals(refundId)
        && byAccount(entry).getOrDefault("merchant_available", 0L) == -50_000L), entries.encodePrettily());
  }

  @Test
  void anotherMerchantsPaymentIsNotFound() {
    String id = paidPayment(10_000);
    TestGateway.Merchant other = gateway.createMerchant("Other Shop");
    Response foreign = gateway.get("/v1/payments/" + id + "/ledger_entries").bearer(other.secret()).send();
    assertEquals(404, foreign.status(), foreign.toString());
    Response missing = gateway.get("/v1/payments/pay_00000000000000000000000000/ledger_entries").bearer(merchant.secret()).send();
    assertEquals(404, missing.status(), missing.toString());
  }

  private static String paidPayment(long amount) {
    Response created = gateway.post("/v1/payments").bearer(merchant.secret()).json(new JsonObject()
        .put("amount", amount).put("currency", "NGN").put("customer", new JsonObject().put("email", "ada@example.com"))).send();
    assertEquals(201, created.status(), created.toString());
    String id = created.json().getString("id");
    String checkout = created.json().getJsonObject("next_action").getString("url");
    gateway.post(checkout.substring(checkout.indexOf("/sandbox/checkout/"))).raw("application/x-www-form-urlencoded", "outcome=succeed").send();
    gateway.eventually(() -> gateway.get("/v1/payments/" + id).bearer(merchant.secret()).send().json(),
        json -> "succeeded".equals(json.getString("status")), 10_000);
    return id;
  }

  private static JsonArray entries(String paymentId) {
    Response answer = gateway.get("/v1/payments/" + paymentId + "/ledger_entries").bearer(merchant.secret()).send();
    assertEquals(200, answer.status(), answer.toString());
    assertEquals("list", answer.json().getString("object"));
    return answer.json().getJsonArray("data");
  }

  private static Map<String, Long> byAccount(JsonObject entry) {
    Map<String, Long> sums = new HashMap<>();
    entry.getJsonArray("postings").forEach(p -> sums.merge(((JsonObject) p).getString("account"), ((JsonObject) p).getLong("amount"), Long::sum));
    return sums;
  }
}
