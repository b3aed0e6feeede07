package dev.cowrie.recurring;

import dev.cowrie.config.CowrieConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import java.util.List;

/**
 * A merchant's dunning: the retry schedule (days after an invoice fell due) and what a subscription
 * becomes when it runs out ({@code cancel} → canceled, {@code unpaid} → unpaid, its invoices kept).
 * Without a row of its own a merchant has the configured defaults (recurring.retry_days, after_retries).
 */
record BillingSettings(List<Integer> retryDays, String afterRetries) {
  static final int RETRIES_MAX = 10;
  static final int RETRY_DAYS_MAX = 60;
  private static final String FIND = "SELECT retry_days, after_retries FROM billing_settings WHERE merchant_id = $1 AND mode = $2";
  private static final String UPSERT = """
      INSERT INTO billing_settings (merchant_id, mode, retry_days, after_retries) VALUES ($1, $2, $3, $4)
      ON CONFLICT (merchant_id, mode) DO UPDATE SET retry_days = EXCLUDED.retry_days, after_retries = EXCLUDED.after_retries""";

  static BillingSettings defaults(CowrieConfig config) {
    return new BillingSettings(config.recurring().retryDays(), config.recurring().afterRetries());
  }

  static Future<BillingSettings> of(SqlClient sql, String merchantId, String mode, BillingSettings defaults) {
    return sql.preparedQuery(FIND).execute(Tuple.of(merchantId, mode)).map(rows -> rows.size() == 0 ? defaults
        : new BillingSettings(Arrays.asList(rows.iterator().next().getArrayOfIntegers("retry_days")),
            rows.iterator().next().getString("after_retries")));
  }

  Future<Void> save(SqlClient sql, String merchantId, String mode) {
    return sql.preparedQuery(UPSERT).execute(Tuple.of(merchantId, mode, retryDays.toArray(Integer[]::new), afterRetries)).mapEmpty();
  }

  /** Attempts an invoice gets in all: the first, then one per retry day. */
  int attemptsMax() {
    return 1 + retryDays.size();
  }

  /** The status a subscription ends in when its dunning runs out. */
  String endStatus() {
    return afterRetries.equals("unpaid") ? "unpaid" : "canceled";
  }

  JsonObject toJson() {
    return new JsonObject().put("object", "billing_settings").put("retry_days", new JsonArray(retryDays))
        .put("after_retries", afterRetries);
  }
}
