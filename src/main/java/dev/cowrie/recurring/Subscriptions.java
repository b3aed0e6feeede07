package dev.cowrie.recurring;

import static dev.cowrie.common.Times.rfc3339;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Ids;
import dev.cowrie.events.Outbox;
import dev.cowrie.http.Page;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Arrays;
import dev.cowrie.common.Periods;
import java.time.ZoneOffset;

/**
 * Subscriptions of customers to prices. Statuses: {@code incomplete} (its first invoice unpaid)
 * or {@code trialing} → {@code active} → {@code past_due} (an invoice in dunning) →
 * {@code canceled} | {@code unpaid} (dunning ran out, by the merchant's billing settings).
 * Every change is recorded as {@code customer.subscription.created/updated/deleted} in its transaction.
 */
final class Subscriptions {
  static final String COLUMNS = "s.*, (SELECT i.id FROM invoices i WHERE i.subscription_id = s.id"
      + " ORDER BY i.period_index DESC LIMIT 1) AS latest_invoice";
  private static final String INSERT = """
      INSERT INTO subscriptions (id, merchant_id, mode, customer_id, price_id, test_clock, status, billing_anchor, period_index,
        current_period_start, current_period_end, trial_end, cancel_at_period_end, metadata)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING *, NULL::text AS latest_invoice""";
  private static final String FIND = "SELECT " + COLUMNS + " FROM subscriptions s WHERE s.merchant_id = $1 AND s.mode = $2 AND s.id = $3";
  private static final String LIST = "SELECT " + COLUMNS + """
       FROM subscriptions s WHERE s.merchant_id = $1 AND s.mode = $2 AND s.id < $3
        AND ($5::text IS NULL OR s.customer_id = $5) AND ($6::text IS NULL OR s.status = $6)
      ORDER BY s.id DESC LIMIT $4""";
  // A customer pays in one currency: a second running subscription in another is refused.
  private static final String OTHER_CURRENCY = """
      SELECT p.currency FROM subscriptions s JOIN prices p ON p.id = s.price_id
      WHERE s.merchant_id = $1 AND s.customer_id = $2 AND s.status NOT IN ('canceled', 'unpaid') AND p.currency <> $3 LIMIT 1""";
  private static final String SET_STATUS = """
      UPDATE subscriptions SET status = $3, canceled_at = CASE WHEN $3 = 'canceled' THEN coalesce(canceled_at, $4) ELSE canceled_at END,
        ended_at = CASE WHEN $3 IN ('canceled') THEN $4 ELSE ended_at END
      WHERE merchant_id = $1 AND id = $2 RETURNING *""";
  private static final String SET_CANCEL_AT_END = """
      UPDATE subscriptions SET cancel_at_period_end = $3, canceled_at = CASE WHEN $3 THEN $4 ELSE NULL END
      WHERE merchant_id = $1 AND id = $2 RETURNING *""";
  static final java.util.List<String> STATUSES = java.util.List.of("incomplete", "trialing", "active", "past_due", "canceled", "unpaid");

  private Subscriptions() {}

  /** What a new subscription starts with: its status, anchor, first period and trial end. */
  record Start(String status, OffsetDateTime anchor, int periodIndex, OffsetDateTime periodStart, OffsetDateTime periodEnd,
      OffsetDateTime trialEnd) {

    static Start at(OffsetDateTime now, Periods periods, int trialDays) {
      if (trialDays > 0) {
        OffsetDateTime trialEnd = now.plusDays(trialDays);
        return new Start("trialing", trialEnd, -1, now, trialEnd, trialEnd);
      }
      return new Start("incomplete", now, 0, now, periods.boundary(1).atOffset(ZoneOffset.UTC), null);
    }
  }

  static Future<Row> insert(SqlClient sql, Row customer, Row price, String clockId, Start start, JsonObject cmd) {
    return sql.preparedQuery(INSERT).execute(Tuple.tuple(Arrays.asList(Ids.next("sub"), customer.getString("merchant_id"),
            customer.getString("mode"), customer.getString("id"), price.getString("id"), clockId, start.status(), start.anchor(),
            start.periodIndex(), start.periodStart(), start.periodEnd(), start.trialEnd(),
            Boolean.TRUE.equals(cmd.getBoolean("cancel_at_period_end")), cmd.getJsonObject("metadata"))))
        .compose(rows -> {
          Row subscription = rows.iterator().next();
          return Outbox.record(sql, subscription.getString("merchant_id"), subscription.getString("mode"),
              "customer.subscription.created", toJson(subscription)).map(subscription);
        });
  }

  /** Fails with currency_mismatch when the customer already pays another currency. */
  static Future<Void> oneCurrency(SqlClient sql, Row customer, String currency) {
    return sql.preparedQuery(OTHER_CURRENCY).execute(Tuple.of(customer.getString("merchant_id"), customer.getString("id"), currency))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture()
            : Future.failedFuture(new CowrieError(ErrorCode.CURRENCY_MISMATCH, "Customer " + customer.getString("id")
                + " already has a subscription in " + rows.iterator().next().getString("currency") + "; one customer pays in one "
                + "currency, so a price in " + currency + " needs another customer.", "price")));
  }

  static Future<Row> find(SqlClient sql, String merchantId, String mode, String id, boolean forUpdate) {
    return sql.preparedQuery(FIND + (forUpdate ? " FOR UPDATE OF s" : "")).execute(Tuple.of(merchantId, mode, id))
        .compose(rows -> Lists.one(rows, "subscription", id));
  }

  static Future<JsonObject> list(SqlClient sql, String merchantId, String mode, Page page, String customer, String status) {
    return Lists.page(sql, LIST, merchantId, mode, page, Subscriptions::toJson, customer, status);
  }

  /** Moves a subscription to {@code status} at {@code at} (its clock's time) with its event; nothing when it is there already. */
  static Future<Row> moveTo(SqlClient sql, Row subscription, String status, OffsetDateTime at) {
    if (status.equals(subscription.getString("status"))) {
      return Future.succeededFuture(subscription);
    }
    return sql.preparedQuery(SET_STATUS).execute(Tuple.of(subscription.getString("merchant_id"), subscription.getString("id"), status, at))
        .compose(rows -> {
          Row moved = rows.iterator().next();
          String type = status.equals("canceled") ? "customer.subscription.deleted" : "customer.subscription.updated";
          return Outbox.record(sql, moved.getString("merchant_id"), moved.getString("mode"), type, toJson(moved)
              .put("previous_attributes", new JsonObject().put("status", subscription.getString("status")))).map(moved);
        });
  }

  static Future<Row> cancelAtPeriodEnd(SqlClient sql, Row subscription, boolean cancel, OffsetDateTime at) {
    if (cancel == subscription.getBoolean("cancel_at_period_end")) {
      return Future.succeededFuture(subscription);
    }
    return sql.preparedQuery(SET_CANCEL_AT_END).execute(Tuple.of(subscription.getString("merchant_id"), subscription.getString("id"),
            cancel, at))
        .compose(rows -> {
          Row updated = rows.iterator().next();
          return Outbox.record(sql, updated.getString("merchant_id"), updated.getString("mode"), "customer.subscription.updated",
              toJson(updated).put("previous_attributes", new JsonObject().put("cancel_at_period_end", !cancel))).map(updated);
        });
  }

  static boolean ended(Row subscription) {
    return java.util.Set.of("canceled", "unpaid").contains(subscription.getString("status"));
  }

  static JsonObject toJson(Row row) {
    boolean hasLatest = row.getColumnIndex("latest_invoice") >= 0;
    return new JsonObject().put("id", row.getString("id")).put("object", "subscription")
        .put("customer", row.getString("customer_id")).put("price", row.getString("price_id"))
        .put("status", row.getString("status")).put("test_clock", row.getString("test_clock"))
        .put("current_period_start", rfc3339(row.getOffsetDateTime("current_period_start")))
        .put("current_period_end", rfc3339(row.getOffsetDateTime("current_period_end")))
        .put("trial_end", rfc3339(row.getOffsetDateTime("trial_end")))
        .put("cancel_at_period_end", row.getBoolean("cancel_at_period_end"))
        .put("canceled_at", rfc3339(row.getOffsetDateTime("canceled_at"))).put("ended_at", rfc3339(row.getOffsetDateTime("ended_at")))
        .put("latest_invoice", hasLatest ? row.getString("latest_invoice") : null)
        .put("metadata", row.getJsonObject("metadata") == null ? new JsonObject() : row.getJsonObject("metadata"))
        .put("livemode", "live".equals(row.getString("mode"))).put("created_at", rfc3339(row.getOffsetDateTime("created_at")));
  }
}
