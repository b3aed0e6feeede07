package dev.cowrie.testing;

import dev.cowrie.Cowrie;
import dev.cowrie.cli.PaymentLedgerChecks;
import dev.cowrie.common.Secrets;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real gateway for one test class: its own Postgres schema in the test database, its own Redis
 * key prefix and port, every verticle deployed as in production. Tests drive it over HTTP.
 */
public final class TestGateway implements AutoCloseable {
  public static final String TEST_PG_URL = System.getenv().getOrDefault("COWRIE_TEST_PG_URL",
      "postgresql://postgres@127.0.0.1:5432/cowrie_test");

  public final CowrieConfig config;
  public final String schema;
  public final String adminToken;
  public final int port;
  public final Vertx vertx;
  public final WebClient web;
  public final Pool sql;
  /** The gateway's clock: the system's until a test moves it forward. */
  public final MovableClock clock;

  private TestGateway(CowrieConfig config, String schema, String adminToken, int port, Vertx vertx, Pool sql,
      MovableClock clock) {
    this.clock = clock;
    this.config = config;
    this.schema = schema;
    this.adminToken = adminToken;
    this.port = port;
    this.vertx = vertx;
    this.sql = sql;
    this.web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setFollowRedirects(false), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64));
  }

  public static TestGateway start(Class<?> testClass) {
    return start(testClass, Map.of());
  }

  /** Starts a gateway; {@code overrides} are COWRIE_* style variables applied on top of the test defaults. */
  public static TestGateway start(Class<?> testClass, Map<String, String> overrides) {
    String schema = ("t_" + testClass.getSimpleName() + "_" + Secrets.randomToken(4)).toLowerCase(Locale.ROOT);
    String adminToken = "adm_" + Secrets.randomToken(24);
    int port = freePort();
    Map<String, String> env = new HashMap<>();
    env.put("COWRIE_PG_URL", TEST_PG_URL);
    env.put("COWRIE_PG_SCHEMA", schema);
    env.put("COWRIE_PG_POOL_SIZE", "8");
    env.put("COWRIE_PG_SYSTEM_POOL_SIZE", "4");
    env.put("COWRIE_HTTP_PORT", String.valueOf(port));
    env.put("COWRIE_REDIS_KEY_PREFIX", "test:" + schema + ":");
    env.put("COWRIE_ADMIN_TOKEN", adminToken);
    env.put("COWRIE_MASTER_KEY", java.util.Base64.getEncoder().encodeToString(Secrets.randomBytes(32)));
    env.put("COWRIE_PUBLIC_URL", "http://127.0.0.1:" + port);
    env.put("COWRIE_WEBHOOK_ALLOW_PRIVATE", "true");
    env.put("COWRIE_AUTH_BCRYPT_COST", "4"); // the real bcrypt, at the cheapest cost, to keep tests quick
    env.putAll(overrides);
    CowrieConfig config = CowrieConfig.load(env);
    return boot(config, schema, adminToken, port);
  }

  private static TestGateway boot(CowrieConfig config, String schema, String adminToken, int port) {
    Database.ensureExists(config);
    Database.migrate(config);
    Vertx vertx = Cowrie.vertx();
    MovableClock clock = new MovableClock();
    await(Cowrie.deploy(vertx, config, clock));
    PgConnectOptions connect = PgConnectOptions.fromUri(TEST_PG_URL).addProperty("search_path", schema);
    Pool sql = PgBuilder.pool().connectingTo(connect).using(vertx).build();
    return new TestGateway(config, schema, adminToken, port, vertx, sql, clock);
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError("failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A request builder against this gateway. */
  public TestHttp.Request request(HttpMethod method, String path) {
    return new TestHttp.Request(web, method, path);
  }

  public TestHttp.Request get(String path) {
    return request(HttpMethod.GET, path);
  }

  public TestHttp.Request post(String path) {
    return request(HttpMethod.POST, path);
  }

  public TestHttp.Request put(String path) {
    return request(HttpMethod.PUT, path);
  }

  public TestHttp.Request delete(String path) {
    return request(HttpMethod.DELETE, path);
  }

  /** A merchant created through the admin API: {@code id}, {@code secret}, {@code publishable}. */
  public Merchant createMerchant(String name) {
    TestHttp.Response response = post("/v1/admin/merchants").bearer(adminToken)
        .json(new JsonObject().put("name", name).put("email", name.toLowerCase(Locale.ROOT).replace(' ', '-') + "@example.com"))
        .send();
    if (response.status() != 201) {
      throw new AssertionError("merchant creation failed: " + response);
    }
    JsonObject keys = response.json().getJsonObject("api_keys");
    return new Merchant(response.json().getString("id"), keys.getString("secret"), keys.getString("publishable"));
  }

  public record Merchant(String id, String secret, String publishable) {}

  /** The smallest PNG there is (a 1×1 pixel): a document whose bytes say PNG. */
  public static final io.vertx.core.buffer.Buffer TINY_PNG = io.vertx.core.buffer.Buffer.buffer(java.util.Base64.getDecoder().decode(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="));

  /**
   * Opens live mode for {@code merchant} the way a real merchant gets there: business details, a
   * document and a submission with its test key, then the operator's approval over the admin API.
   */
  public void verifyKyc(Merchant merchant) {
    expect(200, put("/v1/profile").bearer(merchant.secret()).json(new JsonObject().put("legal_name", merchant.id() + " Ltd")
        .put("country", "NG").put("registration_number", "RC-" + merchant.id()).put("address", "1 Marina, Lagos")
        .put("support_email", "support@example.com")));
    expect(201, post("/v1/profile/documents").bearer(merchant.secret())
        .multipart(Map.of("kind", "registration_certificate"), "file", "certificate.png", "image/png", TINY_PNG));
    expect(200, post("/v1/profile/submit").bearer(merchant.secret()));
    expect(200, post("/v1/admin/merchants/" + merchant.id() + "/kyc/approve").bearer(adminToken));
  }

  /** A live key of a verified merchant, made by the operator: {@code id}, {@code key}. */
  public JsonObject liveKey(Merchant merchant, String type) {
    return expect(201, post("/v1/admin/merchants/" + merchant.id() + "/api_keys").bearer(adminToken)
        .json(new JsonObject().put("mode", "live").put("type", type))).json();
  }

  private static TestHttp.Response expect(int status, TestHttp.Request request) {
    TestHttp.Response response = request.send();
    if (response.status() != status) {
      throw new AssertionError("expected " + status + ": " + response);
    }
    return response;
  }

  /** Records an event the way every feature does: Outbox.record in a transaction, then the nudge. */
  public String recordEvent(String merchantId, String mode, String type, JsonObject object) {
    String id = await(sql.withTransaction(tx -> dev.cowrie.events.Outbox.record(tx, merchantId, mode, type, object)));
    dev.cowrie.events.Outbox.nudge(vertx);
    return id;
  }

  /** Waits (bounded) until {@code condition} holds; fails naming {@code what} otherwise. */
  public static void eventually(String what, java.time.Duration within, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within.toMillis() + " ms: " + what);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
    }
  }

  /** Polls {@code probe} on a Vert.x timer until {@code done} holds, failing after {@code timeoutMs}. */
  public <T> T eventually(java.util.function.Supplier<T> probe, java.util.function.Predicate<T> done, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    T value = probe.get();
    while (!done.test(value)) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition not reached within " + timeoutMs + " ms; last value: " + value);
      }
      await(vertx.timer(25));
      value = probe.get();
    }
    return value;
  }

  /** Enables the sandbox provider for a merchant with a known webhook secret; answers the connection. */
  public JsonObject enableSandbox(Merchant merchant, String webhookSecret) {
    TestHttp.Response response = put("/v1/provider_connections/sandbox").bearer(merchant.secret())
        .json(new JsonObject().put("credentials", new JsonObject().put("webhook_secret", webhookSecret))).send();
    if (response.status() != 200) {
      throw new AssertionError("sandbox connection failed: " + response);
    }
    return response.json();
  }

  /** Pays a sandbox payment on its checkout page, as the customer would, and waits until it has succeeded. */
  public void payOnSandbox(Merchant merchant, String paymentId) {
    JsonObject payment = get("/v1/payments/" + paymentId).bearer(merchant.secret()).send().json();
    String checkout = payment.getJsonObject("next_action").getString("url");
    post(checkout.substring(checkout.indexOf("/sandbox/checkout/"))).raw("application/x-www-form-urlencoded", "outcome=succeed").send();
    eventually(() -> get("/v1/payments/" + paymentId).bearer(merchant.secret()).send().json(),
        json -> "succeeded".equals(json.getString("status")), 10_000);
  }

  /** Asserts every ledger invariant holds on this gateway's schema. */
  public void assertLedgerOk() {
    JsonObject report = await(dev.cowrie.ledger.LedgerCheck.run(sql, PaymentLedgerChecks.all()));
    if (!report.getBoolean("ok")) {
      throw new AssertionError("ledger check failed: " + report.encodePrettily());
    }
  }

  public RowSet<Row> query(String sqlText, Object... params) {
    return await(sql.preparedQuery(sqlText).execute(Tuple.from(params)));
  }

  /**
   * Stops this gateway as a crash or deploy would (its schema stays) and starts a new one on the
   * same schema, port and config; use the returned gateway from then on.
   */
  public TestGateway restart() {
    shutdown();
    return boot(config, schema, adminToken, port);
  }

  private void shutdown() {
    web.close();
    await(sql.close());
    await(vertx.close()); // called from the test thread: a close chained on an event loop never completes
  }

  @Override
  public void close() {
    shutdown();
    // Leave nothing behind: drop this class's schema.
    Vertx cleanup = Vertx.vertx();
    try {
      Pool admin = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(TEST_PG_URL)).using(cleanup).build();
      await(admin.query("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE").execute());
      await(admin.close());
    } finally {
      await(cleanup.close());
    }
  }
}
