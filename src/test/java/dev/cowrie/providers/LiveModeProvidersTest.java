package dev.cowrie.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.common.SecretBox;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mode is a wall for providers too: live mode takes no sandbox and no test-mode provider keys (and
 * test mode no live keys), and a live payment is never settled by the sandbox, even through a
 * live sandbox connection made before live mode refused them.
 */
class LiveModeProvidersTest {
  static final String SANDBOX_SECRET = "live_sandbox_secret_0123456789";
  static TestGateway gateway;
  static TestGateway.Merchant merchant;
  static String liveSecret;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(LiveModeProvidersTest.class);
    merchant = gateway.createMerchant("Live Shop");
    gateway.verifyKyc(merchant);
    Response live = gateway.post("/v1/admin/merchants/" + merchant.id() + "/api_keys").bearer(gateway.adminToken)
        .json(new JsonObject().put("mode", "live").put("type", "secret")).send();
    assertEquals(201, live.status(), live.toString());
    liveSecret = live.json().getString("key");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static Response connect(String key, String provider, JsonObject credentials) {
    return gateway.put("/v1/provider_connections/" + provider).bearer(key)
        .json(new JsonObject().put("credentials", credentials)).send();
  }

  @Test
  void liveModeRefusesTheSandbox() {
    Response response = connect(liveSecret, "sandbox", new JsonObject());
    assertEquals(400, response.status(), response.toString());
    assertEquals("provider", response.json().getJsonObject("error").getString("param"));
    assertEquals(0, gateway.query("SELECT count(*) AS n FROM provider_connections WHERE merchant_id = $1 AND mode = 'live' AND provider = 'sandbox'",
        merchant.id())
        .iterator().next().getLong("n"));
  }

  record Keys(String provider, JsonObject test, JsonObject live) {}

  static final List<Keys> KEYS = List.of(
      new Keys("paystack", new JsonObject().put("secret_key", "sk_test_abc123"), new JsonObject().put("secret_key", "sk_live_abc123")),
      new Keys("stripe", new JsonObject().put("secret_key", "sk_test_abc123").put("webhook_secret", "whsec_abc123"),
          new JsonObject().put("secret_key", "rk_live_abc123").put("webhook_secret", "whsec_abc123")),
      new Keys("flutterwave", new JsonObject().put("secret_key", "FLWSECK_TEST-abc123-X").put("secret_hash", "hash-12345"),
          new JsonObject().put("secret_key", "FLWSECK-abc123-X").put("secret_hash", "hash-12345")),
      new Keys("chapa", new JsonObject().put("secret_key", "CHASECK_TEST-abc123").put("webhook_secret", "hook-12345"),
          new JsonObject().put("secret_key", "CHASECK-abc123").put("webhook_secret", "hook-12345")));

  @Test
  void eachModeTakesOnlyProviderKeysOfItsOwnMode() {
    for (Keys keys : KEYS) {
      Response testInLive = connect(liveSecret, keys.provider(), keys.test());
      assertEquals(400, testInLive.status(), keys.provider() + ": " + testInLive);
      assertTrue(testInLive.json().getJsonObject("error").getString("message").contains("test-mode"), testInLive.toString());
      Response liveInTest = connect(merchant.secret(), keys.provider(), keys.live());
      assertEquals(400, liveInTest.status(), keys.provider() + ": " + liveInTest);
      assertEquals(200, connect(liveSecret, keys.provider(), keys.live()).status(), keys.provider() + " live keys in live mode");
      assertEquals(200, connect(merchant.secret(), keys.provider(), keys.test()).status(), keys.provider() + " test keys in test mode");
    }
  }

  /** A live sandbox connection as the old code let merchants make it. */
  static JsonObject legacyLiveSandbox(String merchantId) {
    Connections connections = new Connections(new SecretBox(gateway.config.masterKey()), gateway.config.publicUrl());
    return TestGateway.await(connections.save(gateway.sql, merchantId, "live", "sandbox",
        new JsonObject().put("webhook_secret", SANDBOX_SECRET), List.of(), 0, true, null));
  }

  @Test
  void aLivePaymentIsNeverSettledByTheSandbox() throws Exception {
    TestGateway.Merchant other = gateway.createMerchant("Legacy Live Shop");
    gateway.verifyKyc(other);
    String liveKey = gateway.post("/v1/admin/merchants/" + other.id() + "/api_keys").bearer(gateway.adminToken)
        .json(new JsonObject().put("mode", "live").put("type", "secret")).send().json().getString("key");
    JsonObject connection = legacyLiveSandbox(other.id());
    String callbackUrl = connection.getString("callback_url");

    Response payment = gateway.post("/v1/payments").bearer(liveKey).json(new JsonObject().put("amount", 100_000)
        .put("currency", "NGN").put("provider", "sandbox").put("customer", new JsonObject().put("email", "ada@example.com"))).send();
    assertTrue(payment.json().getJsonObject("next_action") == null, "no sandbox checkout for a live payment: " + payment);

    Response charge = gateway.post("/sandbox/api/charges").bearer(SANDBOX_SECRET).json(new JsonObject().put("reference", "live-1")
        .put("amount", 100_000).put("currency", "NGN").put("callback_url", callbackUrl)).send();
    assertEquals(403, charge.status(), charge.toString());

    // A charge the old code opened for the live connection cannot be paid on the checkout page.
    gateway.query("INSERT INTO sandbox_charges (reference, merchant_ref, amount, currency, status, callback_url, secret)"
        + " VALUES ('sbx_legacy_live', 'pay_legacy', 100000, 'NGN', 'pending', $1, '\\x00')", callbackUrl);
    Response paid = gateway.post("/sandbox/checkout/sbx_legacy_live").raw("application/x-www-form-urlencoded", "outcome=succeed").send();
    assertEquals(403, paid.status(), paid.toString());
    assertEquals("pending", gateway.query("SELECT status FROM sandbox_charges WHERE reference = 'sbx_legacy_live'")
        .iterator().next().getString("status"));

    // A correctly signed sandbox callback on the live connection is refused and stored nowhere.
    String body = new JsonObject().put("id", "sbx_evt_live").put("type", "payment.succeeded").put("data", new JsonObject()
        .put("id", "sbx_legacy_live").put("reference", "pay_legacy").put("amount", 100_000).put("currency", "NGN")).encode();
    long now = System.currentTimeMillis() / 1000;
    Response callback = gateway.post("/v1/callbacks/" + connection.getString("id"))
        .header("Cowrie-Sandbox-Signature", "t=" + now + ",v1=" + hmacHex(SANDBOX_SECRET, now + "." + body))
        .raw("application/json", body).send();
    assertEquals(403, callback.status(), callback.toString());
    assertEquals(0, gateway.query("SELECT count(*) AS n FROM provider_events WHERE connection_id = $1", connection.getString("id"))
        .iterator().next().getLong("n"));
    JsonArray available = gateway.get("/v1/balance").bearer(liveKey).send().json().getJsonArray("available");
    assertTrue(available.isEmpty(), "nothing credited in live mode: " + available);
  }

  static String hmacHex(String key, String message) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
  }
}
