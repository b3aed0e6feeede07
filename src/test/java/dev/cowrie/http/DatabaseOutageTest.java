package dev.cowrie.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.cowrie.common.Secrets;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real PostgreSQL outage for one gateway: it connects as its own app and system roles, which the
 * test stops from logging in and whose connections it cuts (the shared server keeps running for
 * everyone else, and other gateways keep their own roles).
 */
class DatabaseOutageTest {
  static final String ROLE = ("cowrie_outage_" + Secrets.randomToken(4)).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "x");
  static final String APP_ROLE = ROLE + "_app";
  static final String SYSTEM_ROLE = ROLE + "_sys";
  static Vertx adminVertx;
  static Pool admin;
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    adminVertx = Vertx.vertx();
    admin = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(TestGateway.TEST_PG_URL)).using(adminVertx).build();
    // The migration (run as postgres) creates both roles and grants them this gateway's schema.
    gateway = TestGateway.start(DatabaseOutageTest.class, Map.of("COWRIE_PG_APP_USER", APP_ROLE, "COWRIE_PG_SYSTEM_USER", SYSTEM_ROLE));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    for (String role : new String[] {APP_ROLE, SYSTEM_ROLE}) {
      execute("DROP OWNED BY " + role);
      execute("DROP ROLE " + role);
    }
    TestGateway.await(admin.close());
    TestGateway.await(adminVertx.close());
  }

  @Test
  void anOutageAnswers503WithRetryAfterAndTheRetrySucceedsOnceTheDatabaseIsBack() {
    TestGateway.Merchant merchant = gateway.createMerchant("Outage Shop");
    JsonObject newMerchant = new JsonObject().put("name", "After Outage").put("email", "after@example.com");

    setLogin(false);

    Response duringOutage = gateway.post("/v1/admin/merchants").bearer(gateway.adminToken)
        .idempotencyKey("outage-1").json(newMerchant).send();
    assertUnavailable(duringOutage);
    // A command that crosses the event bus to another verticle fails the same way.
    assertUnavailable(gateway.get("/v1/payments").bearer(merchant.secret()).send());
    // Still down: the retry is not locked out (409) but told again to wait.
    assertUnavailable(gateway.post("/v1/admin/merchants").bearer(gateway.adminToken)
        .idempotencyKey("outage-1").json(newMerchant).send());

    setLogin(true);

    Response retried = gateway.post("/v1/admin/merchants").bearer(gateway.adminToken)
        .idempotencyKey("outage-1").json(newMerchant).send();
    assertEquals(201, retried.status(), retried.toString());
    Response replayed = gateway.post("/v1/admin/merchants").bearer(gateway.adminToken)
        .idempotencyKey("outage-1").json(newMerchant).send();
    assertEquals("true", replayed.header("Idempotent-Replayed"), replayed.toString());
    assertEquals(retried.json().getString("id"), replayed.json().getString("id"));
  }

  /** Off: neither role can log in and their open connections are cut; on: they can log in again. */
  private static void setLogin(boolean allowed) {
    for (String role : new String[] {APP_ROLE, SYSTEM_ROLE}) {
      execute("ALTER ROLE " + role + (allowed ? " LOGIN" : " NOLOGIN"));
    }
    if (!allowed) {
      execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename IN ('" + APP_ROLE + "', '" + SYSTEM_ROLE + "')");
    }
  }

  private static void assertUnavailable(Response response) {
    assertEquals(503, response.status(), response.toString());
    JsonObject error = response.json().getJsonObject("error");
    assertEquals("service_unavailable", error.getString("code"), response.toString());
    assertEquals("api_error", error.getString("type"));
    assertNotNull(response.header("Retry-After"), "no Retry-After on " + response);
  }

  private static void execute(String sql) {
    TestGateway.await(admin.query(sql).execute());
  }
}
