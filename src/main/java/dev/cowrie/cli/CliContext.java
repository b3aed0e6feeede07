package dev.cowrie.cli;

import dev.cowrie.config.CowrieConfig;
import dev.cowrie.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.concurrent.TimeUnit;

/** What a CLI command needs: the gateway's config, its database (migrated) and a way to wait. */
public final class CliContext implements AutoCloseable {
  public final CowrieConfig config;
  public final Vertx vertx;
  public final Pool pool;

  CliContext(CowrieConfig config) {
    this.config = config;
    Database.ensureExists(config);
    Database.migrate(config);
    this.vertx = Vertx.vertx();
    // The operator's tool acts across merchants: the system role (bypasses row-level security).
    this.pool = Database.systemPool(vertx, config);
  }

  public <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new CliFailure(dev.cowrie.common.CowrieError.from(e.getCause()).getMessage());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new CliFailure("no answer within 60 s (is PostgreSQL reachable?)");
    } catch (Exception e) {
      throw new CliFailure(String.valueOf(e.getMessage()));
    }
  }

  /** Operator actions are audited like API calls. */
  public void audit(String action, String merchantId, String target) {
    await(pool.preparedQuery("""
            INSERT INTO audit_log (actor, merchant_id, action, target, status, ip, user_agent)
            VALUES ('admin-cli', $1, $2, $3, 0, 'local', $4)""")
        .execute(Tuple.of(merchantId, action, target, "cowrie-cli/" + System.getProperty("user.name"))));
  }

  public static void print(JsonObject json, boolean asJson, String human) {
    System.out.println(asJson ? json.encodePrettily() : human);
  }

  @Override
  public void close() {
    // Two separate waits from this thread: a vertx.close() chained on the pool's close runs on
    // an event loop of the Vert.x being closed and never completes (every command hung 60 s, then failed).
    try {
      await(pool.close());
    } finally {
      await(vertx.close());
    }
  }

  /** A failure shown to the operator as one line, exit code 1. */
  public static final class CliFailure extends RuntimeException {
    public CliFailure(String message) {
      super(message, null, false, false);
    }
  }
}
