package dev.cowrie.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The second tenant wall: on the gateway's app role, a query that forgets its
 * {@code WHERE merchant_id} still sees only the tenant its transaction set, and nothing without one.
 */
class RowLevelSecurityTest {
  /** Tables that belong to no merchant, each with its reason; every other table must carry a policy. */
  static final Set<String> TENANT_FREE = Set.of(
      "flyway_schema_history",   // the migrations' own book
      "payment_transitions",     // the status machine, the same for everyone
      "signing_keys",            // the instance's Ed25519 keys
      "sandbox_charges",         // the sandbox plays an external provider: its books are not a merchant's
      "sandbox_callbacks",       // the same provider's outbound callbacks, sent by the system role
      "sandbox_authorizations",  // the same provider's saved cards (its own books, like sandbox_charges)
      "kafka_outbox",            // event seqs waiting for Kafka: no merchant data, read by the system-role relay
      "plans");                  // the operator's catalogue of plans: any merchant may be put on any plan

  static TestGateway gateway;
  static Pool app;
  static final String A = "mer_rls_a";
  static final String B = "mer_rls_b";

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(RowLevelSecurityTest.class);
    app = Database.pool(gateway.vertx, gateway.config);
    for (String merchant : List.of(A, B)) {
      gateway.query("INSERT INTO merchants (id, name, email) VALUES ($1, $1, 'rls@example.com')", merchant);
      for (int i = 0; i < 3; i++) {
        String payment = "pay_" + merchant + "_" + i;
        gateway.query("""
            INSERT INTO payments (id, merchant_id, mode, amount, currency, status)
            VALUES ($1, $2, 'test', 100, 'NGN', 'requires_action')""", payment, merchant);
      }
    }
    gateway.query("INSERT INTO provider_connections (id, merchant_id, mode, provider, credentials) VALUES ('conn_rls_b', $1, 'test', 'sandbox', '\\x00')", B);
    gateway.query("""
        INSERT INTO payment_attempts (id, payment_id, connection_id, provider, operation, outcome)
        VALUES ('att_rls_b', 'pay_mer_rls_b_0', 'conn_rls_b', 'sandbox', 'start', 'succeeded')""");
  }

  @AfterAll
  static void stop() {
    TestGateway.await(app.close());
    gateway.close();
  }

  private static <T> T asTenant(String merchantId, String sql) {
    @SuppressWarnings("unchecked")
    T rows = (T) TestGateway.await(Tenancy.transaction(app, merchantId, connection -> connection.query(sql).execute()));
    return rows;
  }

  private static List<String> merchantsOf(RowSet<Row> rows) {
    List<String> merchants = new ArrayList<>();
    rows.forEach(row -> merchants.add(row.getString("merchant_id")));
    return merchants;
  }

  @Test
  void aQueryWithoutWhereSeesOnlyItsTenant() {
    RowSet<Row> rows = asTenant(A, "SELECT merchant_id FROM payments");
    assertEquals(List.of(A, A, A), merchantsOf(rows));
    RowSet<Row> merchants = asTenant(A, "SELECT id AS merchant_id FROM merchants");
    assertEquals(List.of(A), merchantsOf(merchants));
  }

  @Test
  void noTenantSeesNothing() {
    assertEquals(0, TestGateway.await(app.query("SELECT * FROM payments").execute()).size());
    assertEquals(0, TestGateway.await(app.query("SELECT * FROM payment_attempts").execute()).size());
    assertEquals(0, TestGateway.await(app.query("SELECT * FROM merchants").execute()).size());
  }

  @Test
  void rowsOwnedThroughTheirParentFollowIt() {
    RowSet<Row> seenByA = asTenant(A, "SELECT id FROM payment_attempts");
    assertEquals(0, seenByA.size());
    RowSet<Row> seenByB = asTenant(B, "SELECT id FROM payment_attempts");
    assertEquals(1, seenByB.size());
  }

  @Test
  void aTenantCannotWriteAnotherTenantsRows() {
    Future<RowSet<Row>> forged = Tenancy.transaction(app, A, connection -> connection.preparedQuery("""
        INSERT INTO payments (id, merchant_id, mode, amount, currency, status)
        VALUES ('pay_forged', $1, 'test', 1, 'NGN', 'requires_action')""").execute(Tuple.of(B)));
    Throwable refused = TestGateway.await(forged.map(rows -> (Throwable) null).otherwise(failure -> failure));
    assertTrue(refused instanceof PgException, "the insert for another tenant was refused: " + refused);
    assertEquals("42501", ((PgException) refused).getSqlState(), refused.getMessage());

    RowSet<Row> updated = asTenant(A, "UPDATE payments SET description = 'touched' WHERE merchant_id = '" + B + "'");
    assertEquals(0, updated.rowCount());
    assertEquals(0, gateway.query("SELECT 1 FROM payments WHERE description = 'touched'").size());
  }

  @Test
  void theTenantDoesNotOutliveItsTransaction() {
    asTenant(A, "SELECT 1");
    // The pool hands out the same few connections: none may still carry A's tenant.
    for (int i = 0; i < 10; i++) {
      assertEquals(0, TestGateway.await(app.query("SELECT * FROM payments").execute()).size());
    }
  }

  @Test
  void theAppRoleOwnsNothingAndCannotBypass() {
    Row role = gateway.query("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1",
        gateway.config.pg().app().user()).iterator().next();
    assertFalse(role.getBoolean("rolsuper"));
    assertFalse(role.getBoolean("rolbypassrls"));
    assertEquals(0, gateway.query("SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tableowner = $2",
        gateway.schema, gateway.config.pg().app().user()).size());
  }

  @Test
  void theGatewayServesMerchantsOnTheAppRole() {
    TestGateway.Merchant merchant = gateway.createMerchant("Wall Shop");
    var listed = gateway.get("/v1/payments").bearer(merchant.secret()).send();
    assertEquals(200, listed.status(), listed.toString());
    assertEquals(0, listed.json().getJsonArray("data").size(), "the direct inserts of A and B stay out of its list");
    var roles = new TreeSet<String>();
    gateway.query("SELECT DISTINCT usename FROM pg_stat_activity WHERE application_name = 'cowrie-app'")
        .forEach(row -> roles.add(row.getString("usename")));
    assertEquals(Set.of(gateway.config.pg().app().user()), roles);
  }

  @Test
  void everyTableIsWalledOrNamedTenantFree() {
    Set<String> unwalled = new TreeSet<>();
    gateway.query("""
        SELECT c.relname, c.relrowsecurity AND c.relforcerowsecurity AS forced,
               EXISTS (SELECT 1 FROM pg_policies p WHERE p.schemaname = n.nspname AND p.tablename = c.relname) AS policy,
               EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'merchant_id' AND NOT a.attisdropped) AS tenant_column
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')""", gateway.schema).forEach(row -> {
      String table = row.getString("relname");
      boolean walled = row.getBoolean("forced") && row.getBoolean("policy");
      if (!walled && (row.getBoolean("tenant_column") || !TENANT_FREE.contains(table))) {
        unwalled.add(table);
      }
    });
    assertEquals(Set.of(), unwalled, "tables without a tenant policy (SELECT tenant_wall('t') in their migration,"
        + " or an EXISTS policy through the parent, or RowLevelSecurityTest.TENANT_FREE with a reason)");
  }
}
