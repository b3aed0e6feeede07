package dev.cowrie.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.function.Function;

/**
 * The tenant of a transaction, for PostgreSQL row-level security (V13): on the app role every
 * merchant-owned row is invisible unless its transaction set {@code cowrie.merchant_id} to the
 * row's merchant. Every merchant-scoped statement on a request path runs inside
 * {@link #transaction}, reads included.
 */
public final class Tenancy {
  /** The setting the policies read; transaction-local, so a pooled connection never carries it over. */
  public static final String SETTING = "cowrie.merchant_id";
  static final String SET_TENANT = "SELECT set_config('" + SETTING + "', $1, true)";

  private Tenancy() {}

  /**
   * Runs {@code work} in one transaction whose tenant is {@code merchantId}. BEGIN, the tenant and
   * the first statements of {@code work} go out together (pipelined on the connection, one round
   * trip instead of three); the transaction commits when {@code work} succeeds and rolls back
   * otherwise. A null merchant (an operator's command that named none) is the empty tenant: it sees
   * nothing and can write nothing, as {@code WHERE merchant_id = NULL} would.
   */
  public static <T> Future<T> transaction(Pool pool, String merchantId, Function<SqlConnection, Future<T>> work) {
    String tenant = merchantId == null ? "" : merchantId;
    return pool.getConnection().compose(connection -> {
      // Not awaited. Were BEGIN ever refused on a live connection, the statements behind it would
      // find no transaction-local tenant, and row-level security refuses every merchant row then.
      Future<Transaction> begun = connection.begin();
      return inTenant(connection, begun, tenant, work).eventually(connection::close);
    });
  }

  private static <T> Future<T> inTenant(SqlConnection connection, Future<Transaction> begun, String merchantId,
      Function<SqlConnection, Future<T>> work) {
    Transaction tx = connection.transaction();
    Future<?> tenantSet = connection.preparedQuery(SET_TENANT).execute(Tuple.of(merchantId));
    Future<T> result = start(work, connection);
    Promise<T> done = Promise.promise();
    Future.all(begun, tenantSet, result).onComplete(all -> {
      if (all.succeeded()) {
        tx.commit().onComplete(committed -> done.handle(committed.map(result.result())));
      } else {
        Throwable cause = begun.failed() ? begun.cause() : tenantSet.failed() ? tenantSet.cause() : all.cause();
        tx.rollback().onComplete(ignored -> done.fail(cause));
      }
    });
    return done.future();
  }

  private static <T> Future<T> start(Function<SqlConnection, Future<T>> work, SqlConnection connection) {
    try {
      return work.apply(connection);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
