package dev.cowrie.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(ApiKeysTest.class);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void merchantCreationShowsKeysOnceAndStoresOnlyTheirHash() {
    TestGateway.Merchant merchant = gateway.createMerchant("Keys Shop");
    assertTrue(merchant.id().startsWith("mer_"));
    assertTrue(merchant.secret().matches("sk_test_[0-9A-Za-z]{43,}"), merchant.secret());
    assertTrue(merchant.publishable().matches("pk_test_[0-9A-Za-z]{43,}"), merchant.publishable());

    // The plain keys appear nowhere in the database: not in api_keys, not in the audit log.
    for (String table : new String[] {"api_keys", "audit_log", "merchants", "idempotency_keys"}) {
      for (Row row : gateway.query("SELECT row_to_json(t)::text AS line FROM " + table + " t")) {
        String line = row.getString("line");
        assertFalse(line.contains(merchant.secret()) || line.contains(merchant.secret().substring(8)), table + ": " + line);
        assertFalse(line.contains(merchant.publishable().substring(8)), table + ": " + line);
      }
    }
    Response list = gateway.get("/v1/api_keys").bearer(merchant.secret()).send();
    assertEquals(200, list.status(), list.toString());
    assertEquals(2, list.data().size());
    assertFalse(list.body().toString().contains(merchant.secret()));
  }

  @Test
  void missingUnknownAndRevokedKeysAre401() {
    Response missing = gateway.get("/v1/api_keys").send();
    assertEquals(401, missing.status());
    assertEquals("invalid_api_key", missing.errorCode());
    assertEquals("authentication_error", missing.json().getJsonObject("error").getString("type"));
    assertTrue(missing.header("Request-Id").startsWith("req_"));
    assertEquals(missing.header("Request-Id"), missing.json().getJsonObject("error").getString("request_id"));

    Response unknown = gateway.get("/v1/api_keys").bearer("sk_test_" + "x".repeat(43)).send();
    assertEquals(401, unknown.status());
    assertEquals("invalid_api_key", unknown.errorCode());

    TestGateway.Merchant merchant = gateway.createMerchant("Revoker");
    Response created = gateway.post("/v1/api_keys").bearer(merchant.secret()).json(new JsonObject().put("type", "secret")).send();
    assertEquals(201, created.status(), created.toString());
    String second = created.json().getString("key");
    assertEquals(200, gateway.get("/v1/api_keys").bearer(second).send().status());

    Response revoked = gateway.post("/v1/api_keys/" + created.json().getString("id") + "/revoke").bearer(merchant.secret()).send();
    assertEquals(200, revoked.status(), revoked.toString());
    Response after = gateway.get("/v1/api_keys").bearer(second).send();
    assertEquals(401, after.status());
    assertEquals("invalid_api_key", after.errorCode());
  }

  @Test
  void rollingReplacesTheKey() {
    TestGateway.Merchant merchant = gateway.createMerchant("Roller");
    Response keys = gateway.get("/v1/api_keys").bearer(merchant.secret()).send();
    String secretId = keys.data().stream().map(JsonObject.class::cast)
        .filter(key -> key.getString("type").equals("secret")).findFirst().orElseThrow().getString("id");
    Response rolled = gateway.post("/v1/api_keys/" + secretId + "/roll").bearer(merchant.secret()).send();
    assertEquals(201, rolled.status(), rolled.toString());
    String fresh = rolled.json().getString("key");
    assertTrue(fresh.startsWith("sk_test_"));
    assertEquals(401, gateway.get("/v1/api_keys").bearer(merchant.secret()).send().status());
    assertEquals(200, gateway.get("/v1/api_keys").bearer(fresh).send().status());
  }

  @Test
  void testAndLiveKeysNeverSeeEachOther() {
    TestGateway.Merchant merchant = gateway.createMerchant("Two Modes");
    gateway.verifyKyc(merchant);
    Response live = gateway.post("/v1/admin/merchants/" + merchant.id() + "/api_keys").bearer(gateway.adminToken)
        .json(new JsonObject().put("mode", "live").put("type", "secret")).send();
    assertEquals(201, live.status(), live.toString());
    String liveKey = live.json().getString("key");
    assertTrue(liveKey.startsWith("sk_live_"));

    Response testView = gateway.get("/v1/api_keys").bearer(merchant.secret()).send();
    assertTrue(testView.data().stream().map(JsonObject.class::cast).allMatch(key -> key.getString("mode").equals("test")));
    Response liveView = gateway.get("/v1/api_keys").bearer(liveKey).send();
    assertTrue(liveView.data().stream().map(JsonObject.class::cast).allMatch(key -> key.getString("mode").equals("live")));
    assertEquals(1, liveView.data().size());

    // A test key may not mint live keys.
    Response escalation = gateway.post("/v1/api_keys").bearer(merchant.secret()).json(new JsonObject().put("mode", "live")).send();
    assertEquals(403, escalation.status());
    assertEquals("permission_denied", escalation.errorCode());
  }

  @Test
  void publishableKeyCannotUseSecretEndpoints() {
    TestGateway.Merchant merchant = gateway.createMerchant("Publisher");
    Response response = gateway.get("/v1/api_keys").bearer(merchant.publishable()).send();
    assertEquals(403, response.status());
    assertEquals("permission_error", response.json().getJsonObject("error").getString("type"));
  }

  @Test
  void mutationsAreAudited() {
    TestGateway.Merchant merchant = gateway.createMerchant("Audited");
    Response created = gateway.post("/v1/api_keys").bearer(merchant.secret()).header("User-Agent", "audit-test/1.0")
        .json(new JsonObject().put("type", "publishable")).send();
    assertEquals(201, created.status());
    var rows = gateway.query("SELECT actor, action, target, ip, user_agent, request_id FROM audit_log WHERE merchant_id = $1 AND target = $2",
        merchant.id(), created.json().getString("id"));
    assertEquals(1, rows.size());
    Row row = rows.iterator().next();
    assertTrue(row.getString("actor").startsWith("key_"));
    assertEquals("POST /v1/api_keys", row.getString("action"));
    assertEquals("127.0.0.1", row.getString("ip"));
    assertEquals("audit-test/1.0", row.getString("user_agent"));
    assertEquals(created.header("Request-Id"), row.getString("request_id"));
    var adminRows = gateway.query("SELECT actor FROM audit_log WHERE target = $1 AND action = 'POST /v1/admin/merchants'", merchant.id());
    assertEquals("admin", adminRows.iterator().next().getString("actor"));
  }

  @Test
  void adminEndpointsNeedTheAdminToken() {
    TestGateway.Merchant merchant = gateway.createMerchant("Not Admin");
    Response withKey = gateway.post("/v1/admin/merchants").bearer(merchant.secret())
        .json(new JsonObject().put("name", "x").put("email", "x@example.com")).send();
    assertEquals(403, withKey.status());
    Response none = gateway.post("/v1/admin/merchants").json(new JsonObject().put("name", "x").put("email", "x@example.com")).send();
    assertEquals(401, none.status());
    Response wrong = gateway.post("/v1/admin/merchants").bearer("adm_wrong")
        .json(new JsonObject().put("name", "x").put("email", "x@example.com")).send();
    assertEquals(401, wrong.status());
    Response badEmail = gateway.post("/v1/admin/merchants").bearer(gateway.adminToken)
        .json(new JsonObject().put("name", "x").put("email", "not-an-email")).send();
    assertEquals(400, badEmail.status());
    assertEquals("email", badEmail.json().getJsonObject("error").getString("param"));
  }
}
