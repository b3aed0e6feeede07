package dev.cowrie.plans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Billing periods on the gateway's clock (moved forward by the test): plan changes now and at the
 * next period, statements at each period's end with the platform fee debited, a short balance
 * owing the rest, and each period closed exactly once by racing workers and across a restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatementsTest {
  static TestGateway gateway;
  static Billing billing;
  static JsonObject growth;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(StatementsTest.class);
    billing = new Billing(gateway);
    growth = billing.createPlan(new JsonObject().put("name", "Growth")
        .put("fees", new JsonObject().put("NGN", Billing.fee(150, 10_000, 200_000L)))
        .put("monthly_fee", new JsonObject().put("NGN", 500_000)));
    billing.createPlan(new JsonObject().put("name", "Flat").put("fees", new JsonObject().put("NGN", Billing.fee(100, 0, null))));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @AfterEach
  void ledgerStillBalances() {
    gateway.assertLedgerOk();
  }

  /** Moves the gateway's clock just past the merchant's current period end. */
  static void pastPeriodEnd(TestGateway.Merchant merchant) {
    Instant end = Instant.parse(gateway.get("/v1/subscription").bearer(merchant.secret()).send().json().getString("current_period_end"));
    gateway.clock.advance(Duration.between(gateway.clock.instant(), end).plusSeconds(1));
  }

  static JsonArray statements(TestGateway.Merchant merchant) {
    return gateway.get("/v1/statements").bearer(merchant.secret()).send().json().getJsonArray("data");
  }

  @Test
  @Order(1)
  void aPlanChangeTakesEffectAtTheNextPeriodUnlessTheOperatorSaysNow() {
    TestGateway.Merchant merchant = billing.merchant("Changing Shop");
    JsonObject pending = billing.subscribe(merchant, "Growth", "next_period");
    JsonObject seen = gateway.get("/v1/subscription").bearer(merchant.secret()).send().json();
    assertEquals("default", seen.getJsonObject("plan").getString("name"), "still on the old plan this period");
    assertEquals("Growth", seen.getJsonObject("pending_change").getJsonObject("plan").getString("name"));
    assertEquals(seen.getString("current_period_end"), seen.getJsonObject("pending_change").getString("effective_at"));
    assertEquals(pending.getString("current_period_end"), seen.getString("current_period_end"));
    assertEquals(0, billing.pay(merchant, 100_000, "NGN").getLong("fee"), "this period's payments are priced by the old plan");

    pastPeriodEnd(merchant);
    JsonObject next = gateway.get("/v1/subscription").bearer(merchant.secret()).send().json();
    assertEquals("Growth", next.getJsonObject("plan").getString("name"));
    assertNull(next.getValue("pending_change"));
    assertEquals(seen.getString("current_period_end"), next.getString("current_period_start"));
    JsonObject priced = billing.pay(merchant, 100_000, "NGN");
    assertEquals(11_500, priced.getLong("fee"));
    assertEquals(growth.getString("id"), priced.getString("fee_plan"));

    billing.subscribe(merchant, "Flat", "now");
    assertEquals("Flat", gateway.get("/v1/subscription").bearer(merchant.secret()).send().json().getJsonObject("plan").getString("name"));
    assertEquals(1_000, billing.pay(merchant, 100_000, "NGN").getLong("fee"), "a change now prices the very next payment");
    // The ledger check (after each test) recomputes all three fees from the plan in force at each success.
  }

  @Test
  @Order(2)
  void aStatementAtPeriodEndDebitsThePlatformFeeOnceAcrossRacingWorkersAndARestart() {
    TestGateway.Merchant merchant = billing.merchant("Billed Shop");
    billing.subscribe(merchant, "Growth", "now");
    billing.pay(merchant, 1_000_000, "NGN");   // fee 25000
    billing.pay(merchant, 2_000_000, "NGN");   // fee 40000
    long available = billing.balance(merchant, "available", "NGN");
    assertEquals(3_000_000 - 65_000, available);
    String periodStart = gateway.get("/v1/subscription").bearer(merchant.secret()).send().json().getString("current_period_start");

    pastPeriodEnd(merchant);
    List<Future<Integer>> racing = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      racing.add(gateway.vertx.eventBus().<JsonObject>request(PlanAddresses.CLOSE_PERIODS, new JsonObject())
          .map(reply -> reply.body().getInteger("closed")));
    }
    TestGateway.await(Future.all(racing));
    JsonArray listed = statements(merchant);
    assertEquals(1, listed.size(), listed.encodePrettily());
    JsonObject statement = listed.getJsonObject(0);
    assertEquals(periodStart, statement.getString("period_start"));
    assertEquals(growth.getString("id"), statement.getString("plan"));
    JsonObject ngn = statement.getJsonArray("volume").getJsonObject(0);
    assertEquals(new JsonObject().put("currency", "NGN").put("count", 2).put("volume", 3_000_000).put("fees", 65_000), ngn);
    assertEquals("NGN", statement.getString("currency"));
    assertEquals(500_000, statement.getLong("platform_fee"));
    assertEquals(500_000, statement.getLong("amount_debited"));
    assertEquals(0, statement.getLong("amount_owed"));
    assertEquals("paid", statement.getString("status"));
    assertEquals(available - 500_000, billing.balance(merchant, "available", "NGN"));
    assertEquals(500_000, billing.balance(merchant, "platform_fees", "NGN"));
    assertEquals(statement, gateway.get("/v1/statements/" + statement.getString("id")).bearer(merchant.secret()).send().json());
    Response csv = gateway.get("/v1/statements/" + statement.getString("id") + "/csv").bearer(merchant.secret()).send();
    assertEquals(200, csv.status());
    assertTrue(csv.headers().get("Content-Type").startsWith("text/csv"));
    String text = csv.body().toString();
    assertTrue(text.startsWith("statement,period_start,period_end,line,currency,count,amount\n"), text);
    assertTrue(text.contains(",payments,NGN,2,3000000\n"), text);
    assertTrue(text.contains(",transaction_fees,NGN,2,65000\n"), text);
    assertTrue(text.contains(",platform_fee,NGN,,500000\n"), text);
    assertEquals(1, gateway.query("SELECT 1 FROM statements WHERE merchant_id = $1 AND mode = 'live'", merchant.id()).size(),
        "live mode gets its own statement for the period");

    gateway = gateway.restart();
    billing = new Billing(gateway);
    gateway.clock.advance(Duration.between(gateway.clock.instant(), Instant.parse(statement.getString("period_end")).plusSeconds(5)));
    billing.closePeriods();
    assertEquals(1, statements(merchant).size(), "a restart closes nothing twice");
    assertEquals(available - 500_000, billing.balance(merchant, "available", "NGN"));
    Response other = gateway.get("/v1/statements/" + statement.getString("id")).bearer(billing.merchant("Nosy Shop").secret()).send();
    assertEquals(404, other.status(), "another merchant's statement does not exist for it");
  }

  @Test
  @Order(3)
  void aShortBalanceDebitsWhatIsThereAndCarriesTheRestToTheNextStatement() {
    TestGateway.Merchant merchant = billing.merchant("Short Shop");
    billing.subscribe(merchant, "Growth", "now");
    billing.pay(merchant, 300_000, "NGN"); // fee 14500, net 285500: short of the 500000 platform fee
    pastPeriodEnd(merchant);
    while (billing.closePeriods() > 0) {
      // other merchants' periods may close too; loop until nothing is due
    }
    JsonObject first = statements(merchant).getJsonObject(0);
    assertEquals(500_000, first.getLong("platform_fee"));
    assertEquals(285_500, first.getLong("amount_debited"));
    assertEquals(214_500, first.getLong("amount_owed"));
    assertEquals("owed", first.getString("status"));
    assertEquals(0, billing.balance(merchant, "available", "NGN"));

    billing.pay(merchant, 1_000_000, "NGN"); // fee 25000, net 975000
    pastPeriodEnd(merchant);
    while (billing.closePeriods() > 0) {
      // as above
    }
    JsonArray listed = statements(merchant);
    assertEquals(2, listed.size());
    JsonObject second = listed.getJsonObject(0);
    assertEquals(first.getString("period_end"), second.getString("period_start"));
    assertEquals(214_500, second.getLong("carried_over"));
    assertEquals(714_500, second.getLong("amount_debited"));
    assertEquals(0, second.getLong("amount_owed"));
    assertEquals("paid", second.getString("status"));
    assertEquals(975_000 - 714_500, billing.balance(merchant, "available", "NGN"));
    assertEquals(1_000_000, billing.balance(merchant, "platform_fees", "NGN"));
  }
}
