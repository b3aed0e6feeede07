package dev.cowrie.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp;
import dev.cowrie.testing.WalletUsers;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mode is a wall (DESIGN.md, Trust boundaries): objects made in test mode are 404 to every live
 * credential on every route that takes an id, and the reverse for API keys. The sweep walks the
 * gateway's own route table, so a new id-taking route fails here until the test knows its object.
 */
class ModeWallTest {
  static TestGateway gateway;
  static TestGateway.Merchant merchant;
  static String liveSecret;
  static String liveSecretId;
  static String liveWalletToken;
  /** Test-mode object ids by the first path segment of the routes that take them. */
  static final Map<String, String> testObjects = new java.util.HashMap<>();

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(ModeWallTest.class);
    merchant = gateway.createMerchant("Wall Shop");
    gateway.enableSandbox(merchant, "wall_secret_0123456789abcdef");
    gateway.verifyKyc(merchant); // live mode opens only then
    JsonObject live = adminKey("live", "secret");
    liveSecret = live.getString("key");
    liveSecretId = live.getString("id");
    String livePublishable = adminKey("live", "publishable").getString("key");
    liveWalletToken = WalletUsers.create(gateway, new TestGateway.Merchant(merchant.id(), liveSecret, livePublishable), "lily")
        .token();
    makeTestObjects();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static JsonObject adminKey(String mode, String type) {
    TestHttp.Response created = gateway.post("/v1/admin/merchants/" + merchant.id() + "/api_keys").bearer(gateway.adminToken)
        .json(new JsonObject().put("mode", mode).put("type", type)).send();
    assertEquals(201, created.status(), created.toString());
    return created.json();
  }

  static void makeTestObjects() {
    JsonArray keys = gateway.get("/v1/api_keys").bearer(merchant.secret()).send().data();
    testObjects.put("api_keys", keys.getJsonObject(0).getString("id"));
    JsonObject payment = created(gateway.post("/v1/payments").bearer(merchant.secret()).json(new JsonObject()
        .put("amount", 5000).put("currency", "NGN").put("customer", new JsonObject().put("email", "ada@example.com"))));
    testObjects.put("payments", payment.getString("id"));
    String checkout = payment.getJsonObject("next_action").getString("url");
    gateway.post(checkout.substring(checkout.indexOf("/sandbox/checkout/")))
        .raw("application/x-www-form-urlencoded", "outcome=succeed").send();
    gateway.eventually(() -> gateway.get("/v1/payments/" + payment.getString("id")).bearer(merchant.secret()).send().json(),
        json -> "succeeded".equals(json.getString("status")), 10_000);
    testObjects.put("refunds", created(gateway.post("/v1/refunds").bearer(merchant.secret())
        .json(new JsonObject().put("payment", payment.getString("id")).put("amount", 100))).getString("id"));
    testObjects.put("events", gateway.get("/v1/events").bearer(merchant.secret()).send().data().getJsonObject(0).getString("id"));
    testObjects.put("webhook_endpoints", created(gateway.post("/v1/webhook_endpoints").bearer(merchant.secret())
        .json(new JsonObject().put("url", "http://127.0.0.1:9/hooks").put("events", new JsonArray().add("*")))).getString("id"));
    testObjects.put("payment_requests", created(gateway.post("/v1/payment_requests").bearer(merchant.secret())
        .json(new JsonObject().put("amount", 800).put("currency", "NGN"))).getString("id"));
    testObjects.put("payment_links", created(gateway.post("/v1/payment_links").bearer(merchant.secret())
        .json(new JsonObject().put("amount", 800).put("currency", "NGN"))).getString("id"));
    WalletUsers.User alice = WalletUsers.create(gateway, merchant, "alice");
    WalletUsers.create(gateway, merchant, "bob");
    WalletUsers.topUp(gateway, alice, 1000, "NGN");
    testObjects.put("transfers", created(gateway.post("/v1/transfers").bearer(alice.token()).idempotencyKey("wall-t1")
        .json(new JsonObject().put("to", "bob").put("amount", 100).put("currency", "NGN"))).getString("id"));
    JsonObject clock = created(gateway.post("/v1/test_clocks").bearer(merchant.secret())
        .json(new JsonObject().put("frozen_time", "2026-01-01T00:00:00Z")));
    testObjects.put("test_clocks", clock.getString("id"));
    JsonObject customer = created(gateway.post("/v1/customers").bearer(merchant.secret())
        .json(new JsonObject().put("email", "cus@example.com").put("test_clock", clock.getString("id"))));
    testObjects.put("customers", customer.getString("id"));
    JsonObject price = created(gateway.post("/v1/prices").bearer(merchant.secret())
        .json(new JsonObject().put("amount", 1000).put("currency", "NGN").put("interval", "month")));
    testObjects.put("prices", price.getString("id"));
    JsonObject subscription = created(gateway.post("/v1/subscriptions").bearer(merchant.secret())
        .json(new JsonObject().put("customer", customer.getString("id")).put("price", price.getString("id"))));
    testObjects.put("subscriptions", subscription.getString("id"));
    testObjects.put("invoices", subscription.getString("latest_invoice"));
    testObjects.put("chat", created(gateway.post("/v1/chat/rooms").bearer(alice.token())
        .json(new JsonObject().put("name", "wall").put("members", new JsonArray().add("bob")))).getString("id"));
    // Statements come from a closed billing period (a month away, StatementsTest moves the clock for
    // it); moving it here would expire this test's tokens, so the wall gets a test-mode row of its own.
    gateway.query("""
        INSERT INTO statements (id, merchant_id, mode, period_start, period_end, plan_id, volume, status)
        VALUES ('stmt_wall', $1, 'test', now() - interval '1 month', now(), 'plan_default', '[]', 'paid')""", merchant.id());
    testObjects.put("statements", "stmt_wall");
  }

  static JsonObject created(TestHttp.Request request) {
    TestHttp.Response response = request.send();
    assertEquals(201, response.status(), response.toString());
    return response.json();
  }

  /** A body each route accepts, so the answer is about the id and not about the input. */
  static final Map<String, JsonObject> VALID_BODIES = Map.of(
      "POST /v1/webhook_endpoints/:id", new JsonObject().put("enabled", false),
      "POST /v1/payment_requests/:id/sent", new JsonObject().put("paid_amount", 800),
      "POST /v1/payment_requests/:id/pay", new JsonObject().put("amount", 800),
      "POST /v1/chat/rooms/:id/messages", new JsonObject().put("kind", "text").put("text", "hello"),
      "POST /v1/chat/rooms/:id/members", new JsonObject().put("username", "bob"),
      "POST /v1/chat/rooms/:id/read", new JsonObject().put("seq", 0),
      "PATCH /v1/payment_links/:id", new JsonObject().put("active", false),
      "POST /v1/test_clocks/:id/advance", new JsonObject().put("to", "2026-02-01T00:00:00Z"));

  /** Path parameters that name no object of a mode (a provider's name). */
  static final List<String> NOT_OBJECT_IDS = List.of(":provider", ":conn_id", ":message");
  /** Objects of the merchant itself, not of a mode: its team members and its business documents. */
  static final List<String> MODE_FREE = List.of("/v1/team/", "/v1/profile/");

  @Test
  void everyIdTakingRouteAnswers404ForAnObjectOfTheOtherMode() {
    var routes = gateway.vertx.sharedData().<String, String>getLocalMap(HttpVerticle.ROUTES_MAP);
    List<String> leaks = new ArrayList<>();
    int swept = 0;
    for (String route : new TreeSet<>(routes.keySet())) {
      Access access = Access.valueOf(routes.get(route));
      String template = route.substring(route.indexOf(' ') + 1);
      if (!template.contains(":") || access == Access.NONE || access == Access.ADMIN
          || NOT_OBJECT_IDS.stream().anyMatch(template::contains) || MODE_FREE.stream().anyMatch(template::startsWith)) {
        continue;
      }
      String segment = template.split("/")[2];
      String id = testObjects.get(segment);
      assertTrue(id != null, "the sweep knows no test-mode object for " + route + "; add one to makeTestObjects");
      String credential = access == Access.WALLET_USER ? liveWalletToken : liveSecret;
      TestHttp.Request request = gateway.request(HttpMethod.valueOf(route.substring(0, route.indexOf(' '))),
          template.replaceAll(":[a-z_]+", id)).bearer(credential);
      JsonObject body = VALID_BODIES.get(route);
      if (route.startsWith("POST ") || body != null) {
        request.json(body == null ? new JsonObject() : body);
      }
      TestHttp.Response response = request.send();
      swept++;
      if (response.status() != 404) {
        leaks.add(route + " with a live credential on test object " + id + " -> " + response);
      }
    }
    assertTrue(swept >= 17, "swept only " + swept + " routes");
    assertTrue(leaks.isEmpty(), String.join("\n", leaks));
    // The test-mode key survived every live call.
    assertEquals(200, gateway.get("/v1/api_keys").bearer(merchant.secret()).send().status());
  }

  @Test
  void aTestKeyCannotRollRevokeOrSeeLiveKeys() {
    TestHttp.Response roll = gateway.post("/v1/api_keys/" + liveSecretId + "/roll").bearer(merchant.secret()).send();
    assertEquals(404, roll.status(), roll.toString());
    TestHttp.Response revoke = gateway.post("/v1/api_keys/" + liveSecretId + "/revoke").bearer(merchant.secret()).send();
    assertEquals(404, revoke.status(), revoke.toString());
    assertEquals(200, gateway.get("/v1/api_keys").bearer(liveSecret).send().status(), "the live key still works");
    JsonArray seenByTest = gateway.get("/v1/api_keys").bearer(merchant.secret()).send().data();
    assertTrue(seenByTest.stream().map(JsonObject.class::cast).noneMatch(key -> key.getString("id").equals(liveSecretId)));
  }
}
