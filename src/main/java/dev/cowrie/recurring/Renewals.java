package dev.cowrie.recurring;

import dev.cowrie.events.Outbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import dev.cowrie.common.Periods;
import java.time.ZoneOffset;

/**
 * Period ends: each subscription whose period has ended on its clock moves to its next period,
 * and that period's invoice is opened, in one transaction; or, with {@code cancel_at_period_end},
 * it ends. Rows are claimed {@code FOR UPDATE SKIP LOCKED}, so any number of schedulers share the
 * work, and the invoice's unique (subscription, period) key makes a period's invoice exactly one
 * even if two passes ever saw the same period.
 */
final class Renewals {
  // Across tenants on purpose: the scheduler serves every merchant, on the system role.
  private static final String CLAIM = """
      SELECT s.*, p.amount, p.currency, p.interval, p.interval_count
      FROM subscriptions s JOIN prices p ON p.id = s.price_id LEFT JOIN test_clocks c ON c.id = s.test_clock
      WHERE s.status IN ('trialing', 'active', 'past_due') AND s.current_period_end <= coalesce(c.frozen_time, $1)
        AND ($2::text IS NULL OR s.test_clock = $2)
      ORDER BY s.current_period_end LIMIT $3 FOR UPDATE OF s SKIP LOCKED""";
  private static final String NEXT_PERIOD = """
      UPDATE subscriptions SET period_index = $2, current_period_start = $3, current_period_end = $4,
        status = CASE WHEN status = 'trialing' THEN 'active' ELSE status END
      WHERE id = $1 RETURNING *""";

  private final Pool system;
  private final Clock clock;

  Renewals(Pool system, Clock clock) {
    this.system = system;
    this.clock = clock;
  }

  /** Renews up to {@code limit} subscriptions by one period each (of one clock, or all); answers how many. */
  Future<Integer> renewDue(String clockId, int limit) {
    return system.withTransaction(tx -> tx.preparedQuery(CLAIM).execute(Tuple.of(OffsetDateTime.now(clock), clockId, limit))
        .compose(rows -> {
          List<Row> due = new java.util.ArrayList<>();
          rows.forEach(due::add);
          return each(tx, due, 0).map(due.size());
        }));
  }

  private Future<Void> each(SqlConnection tx, List<Row> due, int index) {
    return index == due.size() ? Future.succeededFuture() : renew(tx, due.get(index)).compose(done -> each(tx, due, index + 1));
  }

  private Future<Void> renew(SqlConnection tx, Row subscription) {
    OffsetDateTime periodEnd = subscription.getOffsetDateTime("current_period_end");
    if (subscription.getBoolean("cancel_at_period_end")) {
      return Subscriptions.moveTo(tx, subscription, "canceled", periodEnd).mapEmpty();
    }
    Periods periods = Prices.periods(subscription, subscription.getOffsetDateTime("billing_anchor"));
    int next = subscription.getInteger("period_index") + 1;
    OffsetDateTime start = periods.boundary(next).atOffset(ZoneOffset.UTC);
    OffsetDateTime end = periods.boundary(next + 1).atOffset(ZoneOffset.UTC);
    return Invoices.open(tx, subscription, subscription, next, start, end)
        .compose(opened -> tx.preparedQuery(NEXT_PERIOD).execute(Tuple.of(subscription.getString("id"), next, start, end)))
        .compose(rows -> {
          Row renewed = rows.iterator().next();
          return Outbox.record(tx, renewed.getString("merchant_id"), renewed.getString("mode"), "customer.subscription.updated",
              Subscriptions.toJson(renewed).put("previous_attributes", new io.vertx.core.json.JsonObject()
                  .put("status", subscription.getString("status"))
                  .put("current_period_start", dev.cowrie.common.Times.rfc3339(subscription.getOffsetDateTime("current_period_start")))));
        })
        .mapEmpty();
  }
}
