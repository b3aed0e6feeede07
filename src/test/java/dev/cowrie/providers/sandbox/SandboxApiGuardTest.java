package dev.cowrie.providers.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import dev.cowrie.testing.WebhookReceiver;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's own API is unauthenticated HTTP on the gateway's port, so it must not be a way to
 * make Cowrie post to any address: it calls back only Cowrie's own callback URL of an existing
 * sandbox connection, for a caller holding that connection's secret, and is gone when switched off.
 */
class SandboxApiGuardTest {
  static final String SECRET = "guard_secret_0123456789abcdef";
  static TestGateway gateway;
  static String callbackUrl;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(SandboxApiGuardTest.class, Map.of("COWRIE_WEBHOOK_ALLOW_PRIVATE", "false"));
    TestGateway.Merchant merchant = gateway.createMerchant("Guard Shop");
    callbackUrl = gateway.enableSandbox(merchant, SECRET).getString("callback_url");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static Response charge(String bearer, String callbackUrl, String reference) {
    return gateway.post("/sandbox/api/charges").bearer(bearer).json(new JsonObject().put("reference", reference)
        .put("amount", 5000).put("currency", "NGN").put("callback_url", callbackUrl)).send();
  }

  static long charges() {
    return gateway.query("SELECT count(*) AS n FROM sandbox_charges").iterator().next().getLong("n");
  }

  @Test
  void aCallbackUrlOtherThanCowriesOwnIsRefused() {
    try (WebhookReceiver internal = new WebhookReceiver()) {
      long before = charges();
      Response response = charge(SECRET, internal.url("/internal-admin"), "ssrf-1");
      assertEquals(400, response.status(), response.toString());
      assertEquals("callback_url", response.json().getJsonObject("error").getString("param"));
      Response lookalike = charge(SECRET, callbackUrl + "/../../internal-admin", "ssrf-2");
      assertEquals(400, lookalike.status(), lookalike.toString());
      assertEquals(before, charges(), "nothing stored, so nothing can ever be called back");
    }
  }

  @Test
  void onlyTheConnectionsOwnSecretOpensACharge() {
    long before = charges();
    Response anyBearer = charge("any-bearer-value-at-all", callbackUrl, "auth-1");
    assertEquals(401, anyBearer.status(), anyBearer.toString());
    Response unknownConnection = charge(SECRET, callbackUrl.replaceAll("conn_[0-9a-z]+$", "conn_0000nope"), "auth-2");
    assertEquals(400, unknownConnection.status(), unknownConnection.toString());
    assertEquals(before, charges());
    Response own = charge(SECRET, callbackUrl, "auth-3");
    assertEquals(201, own.status(), own.toString());
    assertEquals(before + 1, charges());
  }

  @Test
  void switchedOffTheSandboxIsNeitherServedNorConnectable() {
    try (TestGateway off = TestGateway.start(SandboxApiGuardTest.class, Map.of("COWRIE_SANDBOX_ENABLED", "false"))) {
      TestGateway.Merchant merchant = off.createMerchant("No Sandbox Shop");
      Response api = off.post("/sandbox/api/charges").bearer(SECRET).json(new JsonObject()).send();
      assertEquals(404, api.status(), api.toString());
      assertEquals(404, off.get("/sandbox/checkout/sbx_anything").send().status());
      Response connect = off.put("/v1/provider_connections/sandbox").bearer(merchant.secret()).json(new JsonObject()).send();
      assertEquals(400, connect.status(), connect.toString());
      assertTrue(connect.json().getJsonObject("error").getString("message").contains("sandbox.enabled"), connect.toString());
    }
  }
}
