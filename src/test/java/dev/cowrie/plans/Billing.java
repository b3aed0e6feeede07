package dev.cowrie.plans;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** What billing tests do over HTTP, as the operator and a merchant would. */
final class Billing {
  private final TestGateway gateway;

  Billing(TestGateway gateway) {
    this.gateway = gateway;
  }

  /** A plan created through the admin API; answers it. */
  JsonObject createPlan(JsonObject body) {
    Response created = gateway.post("/v1/admin/plans").bearer(gateway.adminToken).json(body).send();
    assertEquals(201, created.status(), created.toString());
    return created.json();
  }

  /** Moves a merchant to a plan ({@code now} or {@code next_period}); answers the subscription. */
  JsonObject subscribe(TestGateway.Merchant merchant, String plan, String effective) {
    Response changed = gateway.post("/v1/admin/merchants/" + merchant.id() + "/subscription").bearer(gateway.adminToken)
        .json(new JsonObject().put("plan", plan).put("effective", effective)).send();
    assertEquals(200, changed.status(), changed.toString());
    return changed.json();
  }

  /** A merchant with the sandbox on. */
  TestGateway.Merchant merchant(String name) {
    TestGateway.Merchant merchant = gateway.createMerchant(name);
    gateway.enableSandbox(merchant, "billing_secret_0123456789abcdef");
    return merchant;
  }

  /** A payment created and paid on the sandbox's checkout; answers it once succeeded. */
  JsonObject pay(TestGateway.Merchant merchant, long amount, String currency) {
    Response created = gateway.post("/v1/payments").bearer(merchant.secret())
        .json(new JsonObject().put("amount", amount).put("currency", currency)).send();
    assertEquals(201, created.status(), created.toString());
    String url = created.json().getJsonObject("next_action").getString("url");
    Response submitted = gateway.post(url.substring(url.indexOf("/sandbox/checkout/")))
        .raw("application/x-www-form-urlencoded", "outcome=succeed").send();
    assertEquals(200, submitted.status(), submitted.toString());
    String id = created.json().getString("id");
    return gateway.eventually(() -> gateway.get("/v1/payments/" + id).bearer(merchant.secret()).send().json(),
        json -> "succeeded".equals(json.getString("status")), 10_000);
  }

  /** One list of GET /v1/balance (available, pending, fees, platform_fees) in one currency. */
  long balance(TestGateway.Merchant merchant, String list, String currency) {
    JsonArray amounts = gateway.get("/v1/balance").bearer(merchant.secret()).send().json().getJsonArray(list);
    return amounts.stream().map(JsonObject.class::cast).filter(b -> b.getString("currency").equals(currency))
        .mapToLong(b -> b.getLong("amount")).sum();
  }

  /** Runs one pass of the period-closing worker now; answers how many periods it closed. */
  int closePeriods() {
    JsonObject reply = TestGateway.await(gateway.vertx.eventBus().<JsonObject>request(PlanAddresses.CLOSE_PERIODS, new JsonObject())
        .map(message -> message.body()));
    return reply.getInteger("closed");
  }

  static JsonObject fee(long percentBps, long fixed, Long cap) {
    return new JsonObject().put("percent_bps", percentBps).put("fixed", fixed).put("cap", cap);
  }
}
