package dev.cowrie.plans;

import dev.cowrie.common.Bus;
import dev.cowrie.common.Periods;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.store.Database;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;

/**
 * Closes every billing period that has ended by the gateway's clock, exactly once per merchant
 * and period across restarts and nodes: each close is one transaction that claims the merchant's
 * subscription row ({@code FOR UPDATE SKIP LOCKED}, so nodes take different merchants), writes the
 * statements (unique per merchant, mode and period) and the platform fee's ledger entry, and moves
 * {@code next_close_at} to the next period's end. A crash before the commit closes nothing; after
 * it, the row says the period is done. Runs every {@code plans.close_interval_ms} and on
 * {@code cowrie.plans.close_periods}.
 */
public final class PeriodCloser extends VerticleBase {
  private static final String CLAIM = """
      SELECT merchant_id, anchor, next_close_at FROM plan_subscriptions WHERE next_close_at <= $1
      ORDER BY next_close_at LIMIT 1 FOR UPDATE SKIP LOCKED""";
  private final CowrieConfig config;
  private final Clock clock;
  private Pool system;
  private long timer = -1;
  private int passMax;

  public PeriodCloser(CowrieConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    // A worker across every merchant: the system role, like the other workers.
    system = Database.systemPool(vertx, config);
    passMax = config.plans().closesPerPassMax();
    long intervalMs = config.plans().closeIntervalMs();
    if (intervalMs > 0) {
      timer = vertx.setPeriodic(intervalMs, id -> pass());
    }
    return Bus.serve(vertx, PlanAddresses.CLOSE_PERIODS, cmd -> pass().map(closed -> new JsonObject().put("closed", closed)))
        .completion();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return system.close();
  }

  /** Closes due periods one by one, at most {@code closes_per_pass_max}; answers how many this pass closed. */
  Future<Integer> pass() {
    return closeNext(0);
  }

  private Future<Integer> closeNext(int closed) {
    if (closed >= passMax) {
      return Future.succeededFuture(closed);
    }
    return closeOne().compose(one -> one ? closeNext(closed + 1) : Future.succeededFuture(closed));
  }

  /** One merchant's earliest due period, in one transaction; false when no period is due (or all are being closed elsewhere). */
  private Future<Boolean> closeOne() {
    Instant now = clock.instant();
    return system.withTransaction(tx -> tx.preparedQuery(CLAIM).execute(Tuple.of(Subscriptions.utc(now))).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(false);
      }
      Row claimed = rows.iterator().next();
      String merchantId = claimed.getString("merchant_id");
      Periods periods = Periods.monthly(claimed.getOffsetDateTime("anchor").toInstant());
      Periods.Period period = periods.containing(claimed.getOffsetDateTime("next_close_at").toInstant().minusNanos(1_000));
      return Statements.close(tx, merchantId, period)
          .compose(ignored -> tx.preparedQuery("UPDATE plan_subscriptions SET next_close_at = $2 WHERE merchant_id = $1")
              .execute(Tuple.of(merchantId, Subscriptions.utc(periods.period(period.index() + 1).end()))))
          .map(true);
    }));
  }
}
