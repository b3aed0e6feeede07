package dev.cowrie.recurring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad billing input answers a clear error naming the field, and writes nothing. */
class RecurringInputTest {
  static TestGateway gateway;
  static Billing billing;
  static String liveSecret;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(RecurringInputTest.class);
    TestGateway.Merchant merchant = gateway.createMerchant("Input Shop");
    gateway.enableSandbox(merchant, "input_secret_0123456789abcdef");
    billing = new Billing(gateway, merchant.secret());
    gateway.verifyKyc(merchant); // live mode opens only after KYC
    liveSecret = gateway.liveKey(merchant, "secret").getString("key");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static Response post(String path, JsonObject body) {
    return gateway.post(path).bearer(billing.secret).json(body).send();
  }

  private static void refused(Response response, int status, String code, String param) {
    assertEquals(status, response.status(), response.toString());
    assertEquals(code, response.errorCode(), response.toString());
    assertEquals(param, response.json().getJsonObject("error").getString("param"), response.toString());
  }

  @Test
  void pricesRefuseBadIntervalsAmountsAndCurrencies() {
    JsonObject good = new JsonObject().put("amount", 1000).put("currency", "NGN").put("interval", "month");
    int before = gateway.query("SELECT 1 FROM prices").size();
    refused(post("/v1/prices", good.copy().put("interval_count", 0)), 400, "parameter_invalid", "interval_count");
    refused(post("/v1/prices", good.copy().put("interval", "fortnight")), 400, "parameter_invalid", "interval");
    refused(post("/v1/prices", good.copy().put("trial_days", -1)), 400, "parameter_invalid", "trial_days");
    refused(post("/v1/prices", good.copy().put("amount", 10.5)), 400, "invalid_amount", "amount");
    refused(post("/v1/prices", good.copy().put("currency", "ngn")), 400, "invalid_currency", "currency");
    refused(post("/v1/prices", good.copy().put("colour", "red")), 400, "parameter_invalid", "colour");
    JsonObject noInterval = good.copy();
    noInterval.remove("interval");
    refused(post("/v1/prices", noInterval), 400, "parameter_missing", "interval");
    assertEquals(before, gateway.query("SELECT 1 FROM prices").size(), "nothing written");
  }

  @Test
  void subscriptionsRefuseUnknownObjectsAndAWrongCurrency() {
    JsonObject customer = billing.customer("ivy@example.com", null);
    JsonObject price = billing.price(1000, "NGN", "month", 0);
    int before = gateway.query("SELECT 1 FROM subscriptions").size();
    refused(post("/v1/subscriptions", new JsonObject().put("customer", customer.getString("id")).put("price", "price_nope")),
        404, "resource_missing", "price");
    refused(post("/v1/subscriptions", new JsonObject().put("customer", "cus_nope").put("price", price.getString("id"))),
        404, "resource_missing", "customer");
    refused(post("/v1/subscriptions", new JsonObject().put("customer", customer.getString("id")).put("price", price.getString("id"))
        .put("currency", "USD")), 422, "currency_mismatch", "currency");
    refused(post("/v1/subscriptions", new JsonObject().put("customer", customer.getString("id")).put("price", price.getString("id"))
        .put("test_clock", "clock_nope")), 404, "resource_missing", "test_clock");
    refused(post("/v1/subscriptions", new JsonObject().put("price", price.getString("id"))), 400, "parameter_missing", "customer");
    assertEquals(before, gateway.query("SELECT 1 FROM subscriptions").size(), "nothing written");

    // One customer pays in one currency.
    JsonObject dollars = billing.price(500, "USD", "month", 30);
    billing.subscribe(customer.getString("id"), dollars.getString("id"));
    refused(post("/v1/subscriptions", new JsonObject().put("customer", customer.getString("id")).put("price", price.getString("id"))),
        422, "currency_mismatch", "price");
  }

  @Test
  void testClocksOnlyMoveForwardAndOnlyInTestMode() {
    JsonObject clock = billing.clock("2026-07-01T00:00:00Z");
    String advance = "/v1/test_clocks/" + clock.getString("id") + "/advance";
    refused(post(advance, new JsonObject().put("to", "2026-06-30T00:00:00Z")), 400, "parameter_invalid", "to");
    refused(post(advance, new JsonObject().put("to", "2026-07-01T00:00:00Z")), 400, "parameter_invalid", "to");
    refused(post(advance, new JsonObject().put("to", "next tuesday")), 400, "parameter_invalid", "to");
    refused(post(advance, new JsonObject()), 400, "parameter_missing", "to");
    assertEquals("2026-07-01T00:00:00Z", billing.get("/v1/test_clocks/" + clock.getString("id")).getString("frozen_time"));
    Response unix = post(advance, new JsonObject().put("to", 1_783_000_000L)); // Unix seconds, as Stripe takes them
    assertEquals(200, unix.status(), unix.toString());
    assertEquals("2026-07-02T13:46:40Z", unix.json().getString("frozen_time"));

    Response live = gateway.post("/v1/test_clocks").bearer(liveSecret).json(new JsonObject().put("frozen_time", "2026-07-01T00:00:00Z"))
        .send();
    refused(live, 403, "permission_denied", null);
    Response liveCustomer = gateway.post("/v1/customers").bearer(liveSecret)
        .json(new JsonObject().put("email", "liv@example.com").put("test_clock", clock.getString("id"))).send();
    refused(liveCustomer, 400, "parameter_invalid", "test_clock");
    assertEquals(404, gateway.get("/v1/test_clocks/" + clock.getString("id")).bearer(liveSecret).send().status());
  }

  @Test
  void billingSettingsRefuseSchedulesThatGoBackwards() {
    refused(post("/v1/billing_settings", new JsonObject().put("retry_days", new io.vertx.core.json.JsonArray().add(3).add(1))
        .put("after_retries", "cancel")), 400, "parameter_invalid", "retry_days");
    refused(post("/v1/billing_settings", new JsonObject().put("retry_days", new io.vertx.core.json.JsonArray().add(1))
        .put("after_retries", "forgive")), 400, "parameter_invalid", "after_retries");
    JsonObject defaults = billing.get("/v1/billing_settings");
    assertEquals("[1,3,5]", defaults.getJsonArray("retry_days").encode());
    assertTrue(defaults.getString("after_retries").equals("cancel"));
  }
}
