package dev.cowrie.recurring;

import static dev.cowrie.common.Times.rfc3339;

import dev.cowrie.common.Ids;
import dev.cowrie.http.Page;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import dev.cowrie.common.Periods;
import java.time.OffsetDateTime;

/** Recurring prices: an amount per interval × count, with optional trial days. */
final class Prices {
  private static final String INSERT = """
      INSERT INTO prices (id, merchant_id, mode, amount, currency, interval, interval_count, trial_days, nickname, metadata)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *""";
  private static final String FIND = "SELECT * FROM prices WHERE merchant_id = $1 AND mode = $2 AND id = $3";
  private static final String LIST = """
      SELECT * FROM prices WHERE merchant_id = $1 AND mode = $2 AND id < $3 ORDER BY id DESC LIMIT $4""";
  private static final String ARCHIVE = "UPDATE prices SET active = false WHERE merchant_id = $1 AND mode = $2 AND id = $3 RETURNING *";

  private Prices() {}

  static Future<Row> create(SqlClient sql, String merchantId, String mode, JsonObject cmd) {
    return sql.preparedQuery(INSERT).execute(Tuple.tuple(Arrays.asList(Ids.next("price"), merchantId, mode, cmd.getLong("amount"),
            cmd.getString("currency"), cmd.getString("interval"), cmd.getInteger("interval_count"), cmd.getInteger("trial_days"),
            cmd.getString("nickname"), cmd.getJsonObject("metadata"))))
        .map(rows -> rows.iterator().next());
  }

  static Future<Row> find(SqlClient sql, String merchantId, String mode, String id) {
    return sql.preparedQuery(FIND).execute(Tuple.of(merchantId, mode, id)).compose(rows -> Lists.one(rows, "price", id));
  }

  /** Archived prices start no new subscriptions; the ones running keep renewing. */
  static Future<Row> archive(SqlClient sql, String merchantId, String mode, String id) {
    return sql.preparedQuery(ARCHIVE).execute(Tuple.of(merchantId, mode, id)).compose(rows -> Lists.one(rows, "price", id));
  }

  static Future<JsonObject> list(SqlClient sql, String merchantId, String mode, Page page) {
    return Lists.page(sql, LIST, merchantId, mode, page, Prices::toJson);
  }

  /** The price's billing periods counted from {@code anchor} (the shared period arithmetic of plans, too). */
  static Periods periods(Row price, OffsetDateTime anchor) {
    return new Periods(anchor.toInstant(), Periods.Interval.fromApi(price.getString("interval")),
        price.getInteger("interval_count"));
  }

  static JsonObject toJson(Row row) {
    return new JsonObject().put("id", row.getString("id")).put("object", "price").put("amount", row.getLong("amount"))
        .put("currency", row.getString("currency")).put("interval", row.getString("interval"))
        .put("interval_count", row.getInteger("interval_count")).put("trial_days", row.getInteger("trial_days"))
        .put("nickname", row.getString("nickname")).put("active", row.getBoolean("active"))
        .put("metadata", row.getJsonObject("metadata") == null ? new JsonObject() : row.getJsonObject("metadata"))
        .put("livemode", "live".equals(row.getString("mode"))).put("created_at", rfc3339(row.getOffsetDateTime("created_at")));
  }
}
