package dev.cowrie.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Provider connections: secrets write-only and encrypted at rest, clear errors for bad settings. */
class ConnectionsTest {
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(ConnectionsTest.class);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void secretsAreWriteOnlyAndEncryptedAtRest() {
    TestGateway.Merchant merchant = gateway.createMerchant("Secret Keeper");
    String secret = "very_secret_webhook_key_0123456789";
    JsonObject connection = gateway.enableSandbox(merchant, secret);
    assertTrue(connection.getString("id").startsWith("conn_"));
    assertTrue(connection.getString("callback_url").endsWith("/v1/callbacks/" + connection.getString("id")));
    assertEquals(new JsonArray().add("webhook_secret"), connection.getJsonArray("credentials_set"));
    assertFalse(connection.encode().contains(secret));

    Response list = gateway.get("/v1/provider_connections").bearer(merchant.secret()).send();
    assertEquals(1, list.data().size());
    assertFalse(list.body().toString().contains(secret));

    Row row = gateway.query("SELECT credentials, row_to_json(c)::text AS line FROM provider_connections c WHERE id = $1",
        connection.getString("id")).iterator().next();
    assertFalse(new String(row.getBuffer("credentials").getBytes(), java.nio.charset.StandardCharsets.ISO_8859_1).contains(secret));
    assertFalse(row.getString("line").contains(secret));
  }

  @Test
  void replacingAConnectionKeepsItsIdAndCallbackUrl() {
    TestGateway.Merchant merchant = gateway.createMerchant("Replacer");
    JsonObject first = gateway.enableSandbox(merchant, "first_secret_0123456789abc");
    Response second = gateway.put("/v1/provider_connections/sandbox").bearer(merchant.secret())
        .json(new JsonObject().put("priority", 5).put("enabled", false)).send();
    assertEquals(200, second.status(), second.toString());
    assertEquals(first.getString("id"), second.json().getString("id"));
    assertEquals(5, second.json().getInteger("priority"));
    assertEquals(false, second.json().getBoolean("enabled"));
  }

  @Test
  void badSettingsAreNamed() {
    TestGateway.Merchant merchant = gateway.createMerchant("Bad Settings");
    Response unknown = gateway.put("/v1/provider_connections/paypal").bearer(merchant.secret()).json(new JsonObject()).send();
    assertEquals(400, unknown.status());
    assertEquals("provider", unknown.json().getJsonObject("error").getString("param"));
    Response currency = gateway.put("/v1/provider_connections/sandbox").bearer(merchant.secret())
        .json(new JsonObject().put("currencies", new JsonArray().add("naira"))).send();
    assertEquals(400, currency.status());
    assertEquals("invalid_currency", currency.errorCode());
    Response base = gateway.put("/v1/provider_connections/sandbox").bearer(merchant.secret())
        .json(new JsonObject().put("api_base", "ftp://example.com")).send();
    assertEquals(400, base.status());
    assertEquals("api_base", base.json().getJsonObject("error").getString("param"));
    Response field = gateway.put("/v1/provider_connections/sandbox").bearer(merchant.secret())
        .json(new JsonObject().put("credentials", new JsonObject().put("api_key", "x"))).send();
    assertEquals(400, field.status());
    assertEquals(0, gateway.query("SELECT 1 FROM provider_connections WHERE merchant_id = $1", merchant.id()).size());
  }
}
