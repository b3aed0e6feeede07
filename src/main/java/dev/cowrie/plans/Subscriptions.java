package dev.cowrie.plans;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Ids;
import dev.cowrie.common.Periods;
import dev.cowrie.common.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Which plan each merchant is on, and when: one subscription row per merchant (its billing anchor)
 * and its terms, each [starts_at, ends_at). The plan in force at an instant is the term containing
 * it, so a payment's fee and a period's platform fee are decided by time alone, and a change
 * "next_period" is simply a term that starts at the period's end (shown as the pending change).
 */
public final class Subscriptions {
  private static final String TERM_IN_FORCE = """
      SELECT p.* FROM plan_terms t JOIN plans p ON p.id = t.plan_id
      WHERE t.merchant_id = $1 AND t.starts_at <= $2 AND (t.ends_at IS NULL OR t.ends_at > $2) LIMIT 1""";

  /** The effect of a change: now, or at the end of the current period. */
  public enum Effective { NOW, NEXT_PERIOD }

  private Subscriptions() {}

  /** Puts a new merchant on the default plan, its periods anchored at {@code at}, in the transaction that creates it. */
  public static Future<Void> enrol(SqlClient tx, String merchantId, Instant at) {
    return tx.preparedQuery("""
            INSERT INTO plan_subscriptions (merchant_id, anchor, next_close_at) VALUES ($1, $2, $3)
            ON CONFLICT (merchant_id) DO NOTHING""")
        .execute(Tuple.of(merchantId, utc(at), utc(Periods.monthly(at).boundary(1))))
        .compose(ignored -> tx.preparedQuery("""
                INSERT INTO plan_terms (id, merchant_id, plan_id, starts_at) VALUES ($1, $2, $3, $4)
                ON CONFLICT (merchant_id, starts_at) DO NOTHING""")
            .execute(Tuple.of(Ids.next("term"), merchantId, Plan.DEFAULT_ID, utc(at))))
        .mapEmpty();
  }

  /** The plan in force for a merchant at {@code at}; the default plan when none is recorded. */
  public static Future<Plan> planAt(SqlClient sql, String merchantId, Instant at) {
    return sql.preparedQuery(TERM_IN_FORCE).execute(Tuple.of(merchantId, utc(at)))
        .compose(rows -> rows.size() > 0 ? Future.succeededFuture(Plan.fromRow(rows.iterator().next()))
            : Plans.find(sql, Plan.DEFAULT_ID, "plan"));
  }

  /** The limits a merchant's plan grants at {@code at} (for auth's key lookup, webhooks, the team feature). */
  public static Future<Limits> limitsAt(SqlClient sql, String merchantId, Instant at) {
    return planAt(sql, merchantId, at).map(Plan::limits);
  }

  /** The merchant's billing periods; 404 when the merchant has no subscription (no such merchant). */
  static Future<Periods> periods(SqlClient sql, String merchantId, boolean forUpdate) {
    return sql.preparedQuery("SELECT anchor FROM plan_subscriptions WHERE merchant_id = $1" + (forUpdate ? " FOR UPDATE" : ""))
        .execute(Tuple.of(merchantId))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(CowrieError.notFound("merchant", merchantId))
            : Future.succeededFuture(Periods.monthly(rows.iterator().next().getOffsetDateTime("anchor").toInstant())));
  }

  /** {@code GET /v1/subscription}: the plan in force, the current period and the pending change. */
  static Future<JsonObject> view(SqlClient sql, String merchantId, String mode, Instant at) {
    return periods(sql, merchantId, false).compose(periods -> planAt(sql, merchantId, at).compose(plan -> sql.preparedQuery("""
                SELECT t.starts_at, p.* FROM plan_terms t JOIN plans p ON p.id = t.plan_id
                WHERE t.merchant_id = $1 AND t.starts_at > $2 ORDER BY t.starts_at LIMIT 1""")
            .execute(Tuple.of(merchantId, utc(at)))
            .map(pending -> {
              Periods.Period period = periods.containing(at);
              Row next = pending.size() == 0 ? null : pending.iterator().next();
              return new JsonObject().put("object", "subscription").put("merchant", merchantId)
                  .put("plan", plan.toJson())
                  .put("current_period_start", Times.rfc3339(utc(period.start())))
                  .put("current_period_end", Times.rfc3339(utc(period.end())))
                  .put("pending_change", next == null ? null : new JsonObject()
                      .put("plan", Plan.fromRow(next).toJson())
                      .put("effective_at", Times.rfc3339(next.getOffsetDateTime("starts_at"))))
                  .put("livemode", "live".equals(mode));
            })));
  }

  /**
   * Moves a merchant to a plan, now or at the end of the current period; a pending change is
   * replaced. Under the subscription's row lock, so concurrent changes apply one after the other.
   */
  static Future<Void> change(SqlClient tx, String merchantId, String planIdOrName, Effective effective, Instant at) {
    return periods(tx, merchantId, true).compose(periods -> Plans.find(tx, planIdOrName, "plan").compose(plan -> {
      if (plan.archived()) {
        return Future.failedFuture(new CowrieError(ErrorCode.INVALID_STATE,
            "The plan " + plan.name() + " is archived: no merchant may move to it.", "plan"));
      }
      OffsetDateTime boundary = utc(effective == Effective.NOW ? at : periods.containing(at).end());
      return tx.preparedQuery("DELETE FROM plan_terms WHERE merchant_id = $1 AND starts_at >= $2")
          .execute(Tuple.of(merchantId, boundary))
          .compose(ignored -> tx.preparedQuery("""
                  UPDATE plan_terms SET ends_at = $2 WHERE merchant_id = $1 AND starts_at < $2 AND (ends_at IS NULL OR ends_at >= $2)""")
              .execute(Tuple.of(merchantId, boundary)))
          .compose(ignored -> tx.preparedQuery("INSERT INTO plan_terms (id, merchant_id, plan_id, starts_at) VALUES ($1, $2, $3, $4)")
              .execute(Tuple.of(Ids.next("term"), merchantId, plan.id(), boundary)))
          .mapEmpty();
    }));
  }

  static OffsetDateTime utc(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }
}
