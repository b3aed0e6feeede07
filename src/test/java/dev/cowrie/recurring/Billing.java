package dev.cowrie.recurring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** A merchant's billing calls, as a test drives them over HTTP. */
final class Billing {
  final TestGateway gateway;
  final String secret;

  Billing(TestGateway gateway, String secret) {
    this.gateway = gateway;
    this.secret = secret;
  }

  JsonObject created(String path, JsonObject body) {
    Response response = gateway.post(path).bearer(secret).json(body).send();
    assertEquals(201, response.status(), path + " " + response);
    return response.json();
  }

  JsonObject get(String path) {
    Response response = gateway.get(path).bearer(secret).send();
    assertEquals(200, response.status(), path + " " + response);
    return response.json();
  }

  JsonObject clock(String frozenTime) {
    return created("/v1/test_clocks", new JsonObject().put("frozen_time", frozenTime).put("name", "billing test"));
  }

  JsonObject customer(String email, String clockId) {
    return created("/v1/customers", new JsonObject().put("email", email).put("test_clock", clockId));
  }

  JsonObject price(long amount, String currency, String interval, int trialDays) {
    return created("/v1/prices", new JsonObject().put("amount", amount).put("currency", currency).put("interval", interval)
        .put("interval_count", 1).put("trial_days", trialDays));
  }

  JsonObject subscribe(String customerId, String priceId) {
    return created("/v1/subscriptions", new JsonObject().put("customer", customerId).put("price", priceId));
  }

  /** Advances the clock and waits until the scheduler has done everything now due on it. */
  JsonObject advance(String clockId, String to) {
    Response advanced = gateway.post("/v1/test_clocks/" + clockId + "/advance").bearer(secret).json(new JsonObject().put("to", to)).send();
    assertEquals(200, advanced.status(), advanced.toString());
    return gateway.eventually(() -> get("/v1/test_clocks/" + clockId), clock -> "ready".equals(clock.getString("status")), 60_000);
  }

  /** Pays the invoice's payment at its hosted checkout ("succeed", "decline" or "succeed_then_decline"). */
  JsonObject payAtCheckout(String invoiceId, String outcome) {
    JsonObject invoice = gateway.eventually(() -> get("/v1/invoices/" + invoiceId), json -> json.getString("hosted_invoice_url") != null,
        10_000);
    String url = invoice.getString("hosted_invoice_url");
    Response submitted = gateway.post(url.substring(url.indexOf("/sandbox/checkout/")))
        .raw("application/x-www-form-urlencoded", "outcome=" + outcome).send();
    assertEquals(200, submitted.status(), submitted.toString());
    String expected = outcome.startsWith("succeed") ? "paid" : "open";
    return gateway.eventually(() -> get("/v1/invoices/" + invoiceId), json -> expected.equals(json.getString("status"))
        && (expected.equals("paid") || json.getInteger("attempt_count") > 0), 10_000);
  }

  List<JsonObject> invoices(String subscriptionId) {
    JsonArray data = get("/v1/invoices?limit=100&subscription=" + subscriptionId).getJsonArray("data");
    List<JsonObject> invoices = new ArrayList<>();
    data.forEach(invoice -> invoices.add((JsonObject) invoice));
    invoices.sort(java.util.Comparator.comparing(invoice -> invoice.getString("period_start")));
    return invoices;
  }

  List<String> eventTypes(String objectId) {
    List<String> types = new ArrayList<>();
    gateway.query("SELECT type FROM events WHERE data->'object'->>'id' = $1 ORDER BY seq", objectId)
        .forEach(row -> types.add(row.getString("type")));
    return types;
  }
}
