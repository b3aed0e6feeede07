package dev.cowrie.plans;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Ids;
import dev.cowrie.common.Periods;
import dev.cowrie.common.Times;
import dev.cowrie.http.Page;
import dev.cowrie.ledger.Ledger;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Closing a merchant's billing period: one statement per mode (test mode rehearses what live
 * mode does, with test money) adding up the period's payments and their fees, and the platform
 * fee debited from the merchant's available balance in the same transaction.
 *
 * <p>Rules. The platform fee is the monthly fee of the plan in force at the period's last instant,
 * whole (no proration). Its currency is the previous statement's when the plan prices it, else the
 * priced currency with the most volume in the period, else the first the plan prices. When the
 * available balance is short, what it holds is debited and the rest is owed: carried over into the
 * next statement's amount due (in the same currency), never taken from pending money or another
 * currency. The latest statement's {@code amount_owed} is what the merchant owes now.
 */
final class Statements {
  private static final String VOLUME = """
      SELECT currency, count(*) AS count, sum(amount) AS volume, sum(fee) AS fees FROM fee_charges
      WHERE merchant_id = $1 AND mode = $2 AND charged_at >= $3 AND charged_at < $4
      GROUP BY currency ORDER BY currency LIMIT 200""";
  private static final String PREVIOUS = """
      SELECT currency, amount_owed FROM statements WHERE merchant_id = $1 AND mode = $2 AND period_start < $3
      ORDER BY period_start DESC LIMIT 1""";
  private static final String INSERT = """
      INSERT INTO statements (id, merchant_id, mode, period_start, period_end, plan_id, volume, currency, platform_fee,
        carried_over, amount_debited, amount_owed, status)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
      ON CONFLICT (merchant_id, mode, period_start) DO NOTHING RETURNING id""";
  static final String PLATFORM_FEE_ENTRY = "platform_fee";
  static final String PLATFORM_FEES_OWNER = "platform";

  private Statements() {}

  /** What a period's close decided for one mode. */
  private record Due(String currency, long platformFee, long carriedOver, long debited) {
    long owed() {
      return platformFee + carriedOver - debited;
    }
  }

  /** Closes {@code period} for both modes, in the caller's transaction (which holds the subscription's row lock). */
  static Future<Void> close(SqlConnection tx, String merchantId, Periods.Period period) {
    return Subscriptions.planAt(tx, merchantId, period.end().minusNanos(1_000))
        .compose(plan -> closeMode(tx, merchantId, "test", period, plan).compose(ignored -> closeMode(tx, merchantId, "live", period, plan)));
  }

  private static Future<Void> closeMode(SqlConnection tx, String merchantId, String mode, Periods.Period period, Plan plan) {
    Tuple window = Tuple.of(merchantId, mode, Subscriptions.utc(period.start()), Subscriptions.utc(period.end()));
    return tx.preparedQuery(VOLUME).execute(window).compose(volumeRows -> {
      JsonArray volume = new JsonArray();
      volumeRows.forEach(row -> volume.add(new JsonObject().put("currency", row.getString("currency"))
          .put("count", row.getLong("count")).put("volume", row.getLong("volume")).put("fees", row.getLong("fees"))));
      return tx.preparedQuery(PREVIOUS).execute(Tuple.of(merchantId, mode, Subscriptions.utc(period.start())))
          .compose(previous -> {
            Row last = previous.size() == 0 ? null : previous.iterator().next();
            String currency = currency(plan, volume, last == null ? null : last.getString("currency"));
            long fee = currency == null ? 0 : plan.monthlyFee().getOrDefault(currency, 0L);
            long carried = last != null && currency != null && currency.equals(last.getString("currency")) ? last.getLong("amount_owed") : 0;
            return debitable(tx, merchantId, mode, currency, fee + carried)
                .compose(debit -> record(tx, merchantId, mode, period, plan, volume, new Due(currency, fee, carried, debit)));
          });
    });
  }

  /** The previous statement's currency when the plan prices it, else the priced currency with most volume, else the first priced. */
  static String currency(Plan plan, JsonArray volume, String previous) {
    if (previous != null && plan.monthlyFee().containsKey(previous)) {
      return previous;
    }
    String busiest = null;
    long most = -1;
    for (Object item : volume) {
      JsonObject line = (JsonObject) item;
      if (plan.monthlyFee().containsKey(line.getString("currency")) && line.getLong("volume") > most) {
        busiest = line.getString("currency");
        most = line.getLong("volume");
      }
    }
    return busiest != null ? busiest : plan.monthlyFee().keySet().stream().findFirst().orElse(null);
  }

  /** How much of {@code due} the available balance covers. */
  private static Future<Long> debitable(SqlClient tx, String merchantId, String mode, String currency, long due) {
    if (currency == null || due == 0) {
      return Future.succeededFuture(0L);
    }
    return Ledger.balance(tx, available(merchantId, mode, currency)).map(balance -> Math.max(0, Math.min(balance, due)));
  }

  private static Future<Void> record(SqlConnection tx, String merchantId, String mode, Periods.Period period, Plan plan,
      JsonArray volume, Due due) {
    String id = Ids.next("stmt");
    return tx.preparedQuery(INSERT).execute(Tuple.tuple(Arrays.asList(id, merchantId, mode, Subscriptions.utc(period.start()),
            Subscriptions.utc(period.end()), plan.id(), volume, due.currency(), due.platformFee(), due.carriedOver(), due.debited(),
            due.owed(), due.owed() == 0 ? "paid" : "owed")))
        .compose(inserted -> inserted.size() == 0 || due.debited() == 0 ? Future.succeededFuture()
            : Ledger.post(tx, merchantId, mode, PLATFORM_FEE_ENTRY, id, List.of(
                new Ledger.Leg(available(merchantId, mode, due.currency()), -due.debited()),
                new Ledger.Leg(new Ledger.AccountRef(merchantId, mode, "fees", PLATFORM_FEES_OWNER, due.currency()), due.debited()))))
        .mapEmpty();
  }

  private static Ledger.AccountRef available(String merchantId, String mode, String currency) {
    return new Ledger.AccountRef(merchantId, mode, "merchant_available", "", currency);
  }

  static Future<JsonObject> list(SqlClient sql, String merchantId, String mode, Page page) {
    return sql.preparedQuery("SELECT * FROM statements WHERE merchant_id = $1 AND mode = $2 AND id < $3 ORDER BY id DESC LIMIT $4")
        .execute(Tuple.of(merchantId, mode, page.cursor(), page.limit() + 1))
        .map(rows -> {
          JsonArray data = new JsonArray();
          rows.forEach(row -> data.add(toJson(row)));
          return page.envelope(data);
        });
  }

  static Future<JsonObject> get(SqlClient sql, String merchantId, String mode, String id) {
    return sql.preparedQuery("SELECT * FROM statements WHERE merchant_id = $1 AND mode = $2 AND id = $3")
        .execute(Tuple.of(merchantId, mode, id))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(CowrieError.notFound("statement", id))
            : Future.succeededFuture(toJson(rows.iterator().next())));
  }

  static JsonObject toJson(Row row) {
    return new JsonObject().put("id", row.getString("id")).put("object", "statement")
        .put("period_start", Times.rfc3339(row.getOffsetDateTime("period_start")))
        .put("period_end", Times.rfc3339(row.getOffsetDateTime("period_end")))
        .put("plan", row.getString("plan_id"))
        .put("volume", row.getValue("volume"))
        .put("currency", row.getString("currency"))
        .put("platform_fee", row.getLong("platform_fee"))
        .put("carried_over", row.getLong("carried_over"))
        .put("amount_debited", row.getLong("amount_debited"))
        .put("amount_owed", row.getLong("amount_owed"))
        .put("status", row.getString("status"))
        .put("livemode", "live".equals(row.getString("mode")))
        .put("created_at", Times.rfc3339(row.getOffsetDateTime("created_at")));
  }

  /** A statement as CSV: one line per currency's payments and fees, then the platform fee's lines. */
  static String csv(JsonObject statement) {
    StringBuilder out = new StringBuilder("statement,period_start,period_end,line,currency,count,amount\n");
    String prefix = statement.getString("id") + "," + statement.getString("period_start") + "," + statement.getString("period_end") + ",";
    for (Object item : statement.getJsonArray("volume")) {
      JsonObject line = (JsonObject) item;
      out.append(prefix).append("payments,").append(line.getString("currency")).append(',').append(line.getLong("count"))
          .append(',').append(line.getLong("volume")).append('\n');
      out.append(prefix).append("transaction_fees,").append(line.getString("currency")).append(',').append(line.getLong("count"))
          .append(',').append(line.getLong("fees")).append('\n');
    }
    String currency = statement.getString("currency") == null ? "" : statement.getString("currency");
    for (String field : List.of("platform_fee", "carried_over", "amount_debited", "amount_owed")) {
      out.append(prefix).append(field).append(',').append(currency).append(",,").append(statement.getLong(field)).append('\n');
    }
    return out.toString();
  }
}
