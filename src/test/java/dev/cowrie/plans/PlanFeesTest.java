package dev.cowrie.plans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.cli.PaymentLedgerChecks;
import dev.cowrie.ledger.LedgerCheck;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Fees on payments as a merchant sees them: priced by the plan in force, in one journal entry, in any exponent. */
class PlanFeesTest {
  static TestGateway gateway;
  static Billing billing;
  static JsonObject tiered;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(PlanFeesTest.class);
    billing = new Billing(gateway);
    tiered = billing.createPlan(new JsonObject().put("name", "Tiered")
        .put("fees", new JsonObject()
            .put("NGN", Billing.fee(150, 10_000, 200_000L))   // 1.5 % + 100.00 NGN, at most 2000.00
            .put("JPY", Billing.fee(250, 30, 1_000L))         // 2.5 % + ¥30, at most ¥1000
            .put("KWD", Billing.fee(175, 100, 5_000L)))       // 1.75 % + 0.100 KWD, at most 5.000
        .put("monthly_fee", new JsonObject().put("NGN", 500_000)));
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
  void aNewMerchantIsOnTheFreeDefaultPlan() {
    TestGateway.Merchant merchant = billing.merchant("Default Shop");
    JsonObject subscription = gateway.get("/v1/subscription").bearer(merchant.secret()).send().json();
    assertEquals("default", subscription.getJsonObject("plan").getString("name"));
    assertNull(subscription.getValue("pending_change"));
    JsonObject payment = billing.pay(merchant, 250_000, "NGN");
    assertEquals(0, payment.getLong("fee"));
    assertEquals(250_000, payment.getLong("net"));
    assertEquals("plan_default", payment.getString("fee_plan"));
    assertEquals(250_000, billing.balance(merchant, "available", "NGN"));
  }

  @Test
  void feesWithFixedPartAndCapInTwoZeroAndThreeDecimalCurrencies() {
    TestGateway.Merchant merchant = billing.merchant("Tiered Shop");
    billing.subscribe(merchant, "Tiered", "now");
    long[][] cases = {
        // amount, expected fee
        {250_000, 13_750},      // NGN: 3750 + 10000
        {12_345, 10_185},       // NGN: 185.175 kobo rounds to 185, + 10000
        {20_000_000, 200_000},  // NGN: 310000 capped at 200000
    };
    String[] currencies = {"NGN", "NGN", "NGN", "JPY", "JPY", "KWD", "KWD"};
    long[][] more = {
        {1_234, 61},            // JPY: 30.85 yen rounds to 31, + 30
        {50_000, 1_000},        // JPY: 1280 capped at 1000
        {10_050, 276},          // KWD: 175.875 fils rounds to 176, + 100
        {1_000_000, 5_000},     // KWD: 17600 capped at 5000
    };
    List<long[]> all = new ArrayList<>(List.of(cases));
    all.addAll(List.of(more));
    for (int i = 0; i < all.size(); i++) {
      long amount = all.get(i)[0];
      long fee = all.get(i)[1];
      String currency = currencies[i];
      JsonObject payment = billing.pay(merchant, amount, currency);
      assertEquals(fee, payment.getLong("fee"), amount + " " + currency);
      assertEquals(amount - fee, payment.getLong("net"), amount + " " + currency);
      assertEquals(tiered.getString("id"), payment.getString("fee_plan"));
      // One journal entry: clearing debited the amount, the merchant credited the net, fees the fee.
      var postings = gateway.query("""
          SELECT a.kind, p.amount FROM journal_entries e JOIN postings p ON p.entry_id = e.id JOIN ledger_accounts a ON a.id = p.account_id
          WHERE e.reference = $1 ORDER BY a.kind""", payment.getString("id"));
      List<String> legs = new ArrayList<>();
      postings.forEach(row -> legs.add(row.getString("kind") + " " + row.getLong("amount")));
      assertEquals(List.of("fees " + fee, "merchant_available " + (amount - fee), "provider_clearing " + (-amount)), legs);
    }
    assertEquals(250_000 + 12_345 + 20_000_000 - 13_750 - 10_185 - 200_000, billing.balance(merchant, "available", "NGN"));
    assertEquals(13_750 + 10_185 + 200_000, billing.balance(merchant, "fees", "NGN"));
    assertEquals(61 + 1_000, billing.balance(merchant, "fees", "JPY"));
    assertEquals(1_234 + 50_000 - 61 - 1_000, billing.balance(merchant, "available", "JPY"));
    assertEquals(276 + 5_000, billing.balance(merchant, "fees", "KWD"));
    JsonObject listed = gateway.get("/v1/payments?limit=1").bearer(merchant.secret()).send().json().getJsonArray("data").getJsonObject(0);
    assertEquals(5_000, listed.getLong("fee"), "lists show the fee too");
  }

  @Test
  void refundsDoNotReturnTheFee() {
    TestGateway.Merchant merchant = billing.merchant("Refunding Shop");
    billing.subscribe(merchant, tiered.getString("id"), "now");
    JsonObject payment = billing.pay(merchant, 250_000, "NGN");
    assertEquals(236_250, billing.balance(merchant, "available", "NGN"));
    // The whole amount goes back to the customer; the fee stays charged, so the balance must cover it.
    Response whole = gateway.post("/v1/refunds").bearer(merchant.secret()).json(new JsonObject().put("payment", payment.getString("id"))).send();
    assertEquals(422, whole.status(), whole.toString());
    assertEquals("insufficient_funds", whole.errorCode());
    Response part = gateway.post("/v1/refunds").bearer(merchant.secret())
        .json(new JsonObject().put("payment", payment.getString("id")).put("amount", 200_000)).send();
    assertEquals(201, part.status(), part.toString());
    assertEquals("succeeded", part.json().getString("status"));
    assertEquals(36_250, billing.balance(merchant, "available", "NGN"));
    assertEquals(13_750, billing.balance(merchant, "fees", "NGN"), "the fee is not returned");
    JsonObject after = gateway.get("/v1/payments/" + payment.getString("id")).bearer(merchant.secret()).send().json();
    assertEquals(13_750, after.getLong("fee"));
    assertEquals("partially_refunded", after.getString("status"));
  }

  @Test
  void ledgerCheckCatchesATamperedFee() {
    TestGateway.Merchant merchant = billing.merchant("Tampered Shop");
    billing.subscribe(merchant, "Tiered", "now");
    JsonObject payment = billing.pay(merchant, 100_000, "NGN");
    assertEquals(11_500, payment.getLong("fee"));
    gateway.query("UPDATE payments SET fee = fee - 1 WHERE id = $1", payment.getString("id"));
    JsonObject report = TestGateway.await(LedgerCheck.run(gateway.sql, PaymentLedgerChecks.all()));
    assertFalse(report.getBoolean("ok"));
    List<String> failed = new ArrayList<>();
    report.getJsonArray("checks").forEach(check -> {
      if (!((JsonObject) check).getBoolean("ok")) {
        failed.add(((JsonObject) check).getString("check"));
      }
    });
    assertTrue(failed.contains("every succeeded payment's fee matches the plan in force when it succeeded"), failed.toString());
    assertTrue(failed.contains("the fees account holds the sum of payment fees (fees are not returned on refunds)"), failed.toString());
    gateway.query("UPDATE payments SET fee = fee + 1 WHERE id = $1", payment.getString("id"));
    gateway.query("UPDATE fee_charges SET plan_id = 'plan_default' WHERE payment_id = $1", payment.getString("id"));
    assertFalse(TestGateway.await(LedgerCheck.run(gateway.sql, PaymentLedgerChecks.all())).getBoolean("ok"),
        "a statement's record of the fee must agree with the payment");
    gateway.query("UPDATE fee_charges SET plan_id = $2 WHERE payment_id = $1", payment.getString("id"), tiered.getString("id"));
  }

  @Test
  void planLimitsLiveModeWebhookEndpointsAndRateLimit() {
    JsonObject small = billing.createPlan(new JsonObject().put("name", "Small")
        .put("limits", new JsonObject().put("live_mode", false).put("webhook_endpoints", 1)
            .put("rate_limit_per_second", 1).put("rate_limit_burst", 3)));
    assertFalse(small.getJsonObject("limits").getBoolean("live_mode"));
    TestGateway.Merchant merchant = gateway.createMerchant("Small Shop");
    gateway.verifyKyc(merchant); // KYC opens live mode (before the plan's small rate limit); the plan still refuses it
    billing.subscribe(merchant, "Small", "now");
    Response liveKey = gateway.post("/v1/admin/merchants/" + merchant.id() + "/api_keys").bearer(gateway.adminToken)
        .json(new JsonObject().put("mode", "live")).send();
    assertEquals(201, liveKey.status(), liveKey.toString());
    Response live = gateway.get("/v1/balance").bearer(liveKey.json().getString("key")).send();
    assertEquals(403, live.status(), live.toString());
    assertEquals("plan_limit_exceeded", live.errorCode());

    JsonObject endpoint = new JsonObject().put("url", "http://127.0.0.1:9/hooks").put("events", new io.vertx.core.json.JsonArray().add("payment.succeeded"));
    Response first = gateway.post("/v1/webhook_endpoints").bearer(merchant.secret()).json(endpoint).send();
    assertEquals(201, first.status(), first.toString());
    assertEquals("3", first.headers().get("RateLimit-Limit"), "the plan's rate limit per key: a bucket of 3 (its burst)");
    Response second = gateway.post("/v1/webhook_endpoints").bearer(merchant.secret()).json(endpoint).send();
    assertEquals(403, second.status(), second.toString());
    assertEquals("plan_limit_exceeded", second.errorCode());
    int limited = 0;
    for (int i = 0; i < 6; i++) {
      limited += gateway.get("/v1/subscription").bearer(merchant.secret()).send().status() == 429 ? 1 : 0;
    }
    assertTrue(limited > 0, "a burst of 3 at 1/s cannot serve 8 requests at once");
  }

  @Test
  void aPlanCapsTheTeamAtItsSeats() {
    billing.createPlan(new JsonObject().put("name", "Two seats").put("limits", new JsonObject().put("team_seats", 2)));
    TestGateway.Merchant merchant = billing.merchant("Seats Shop");
    billing.subscribe(merchant, "Two seats", "now");
    long seated = gateway.query("SELECT count(*) FROM users WHERE merchant_id = $1 AND kind = 'dashboard'", merchant.id())
        .iterator().next().getLong(0);
    List<String> members = new java.util.ArrayList<>();
    for (long seat = seated; seat < 2; seat++) {
      Response invited = invite(merchant, "seat" + seat + "." + merchant.id());
      assertEquals(201, invited.status(), invited.toString());
      members.add(invited.json().getString("id"));
    }
    Response refused = invite(merchant, "one.too.many." + merchant.id());
    assertEquals(403, refused.status(), refused.toString());
    assertEquals("plan_limit_exceeded", refused.errorCode());
    assertEquals("username", refused.json().getJsonObject("error").getString("param"));
    assertEquals(2L, gateway.query("SELECT count(*) FROM users WHERE merchant_id = $1 AND kind = 'dashboard'", merchant.id())
        .iterator().next().getLong(0), "the refused invitation left no user behind");
    if (!members.isEmpty()) {
      assertEquals(200, gateway.request(io.vertx.core.http.HttpMethod.DELETE, "/v1/team/members/" + members.get(0))
          .bearer(merchant.secret()).send().status());
      assertEquals(201, invite(merchant, "freed.seat." + merchant.id()).status(), "a freed seat can be filled again");
    }
  }

  private static Response invite(TestGateway.Merchant merchant, String username) {
    return gateway.post("/v1/team/members").bearer(merchant.secret())
        .json(new JsonObject().put("username", username).put("role", "viewer").put("password", "dashboard pass 1")).send();
  }

  @Test
  void operatorInputIsCheckedFieldByField() {
    Response bps = gateway.post("/v1/admin/plans").bearer(gateway.adminToken).json(new JsonObject().put("name", "Bad")
        .put("fees", new JsonObject().put("NGN", Billing.fee(10_001, 0, null)))).send();
    assertEquals(400, bps.status());
    assertEquals("fees.NGN.percent_bps", bps.json().getJsonObject("error").getString("param"));
    Response currency = gateway.post("/v1/admin/plans").bearer(gateway.adminToken).json(new JsonObject().put("name", "Bad")
        .put("monthly_fee", new JsonObject().put("ngn", 5))).send();
    assertEquals("invalid_currency", currency.errorCode());
    Response decimal = gateway.post("/v1/admin/plans").bearer(gateway.adminToken).json(new JsonObject().put("name", "Bad")
        .put("monthly_fee", new JsonObject().put("NGN", 5.5))).send();
    assertEquals("monthly_fee.NGN", decimal.json().getJsonObject("error").getString("param"));
    Response taken = gateway.post("/v1/admin/plans").bearer(gateway.adminToken).json(new JsonObject().put("name", "Tiered")).send();
    assertEquals(409, taken.status());

    JsonObject old = billing.createPlan(new JsonObject().put("name", "Old"));
    Response archived = gateway.post("/v1/admin/plans/" + old.getString("id") + "/archive").bearer(gateway.adminToken).send();
    assertEquals(200, archived.status(), archived.toString());
    assertTrue(archived.json().getBoolean("archived"));
    TestGateway.Merchant merchant = gateway.createMerchant("Late Shop");
    Response toArchived = gateway.post("/v1/admin/merchants/" + merchant.id() + "/subscription").bearer(gateway.adminToken)
        .json(new JsonObject().put("plan", "Old")).send();
    assertEquals(409, toArchived.status(), toArchived.toString());
    Response noMerchant = gateway.post("/v1/admin/merchants/mer_nobody/subscription").bearer(gateway.adminToken)
        .json(new JsonObject().put("plan", "Tiered")).send();
    assertEquals(404, noMerchant.status(), noMerchant.toString());
    Response effective = gateway.post("/v1/admin/merchants/" + merchant.id() + "/subscription").bearer(gateway.adminToken)
        .json(new JsonObject().put("plan", "Tiered").put("effective", "tomorrow")).send();
    assertEquals("effective", effective.json().getJsonObject("error").getString("param"));
    Response defaultArchive = gateway.post("/v1/admin/plans/plan_default/archive").bearer(gateway.adminToken).send();
    assertEquals(409, defaultArchive.status());
    var listed = gateway.get("/v1/admin/plans").bearer(gateway.adminToken).send().json().getJsonArray("data");
    assertTrue(listed.stream().map(JsonObject.class::cast).noneMatch(plan -> plan.getString("name").equals("Old")), "archived plans are hidden");
  }
}
