package dev.cowrie.payments;

import dev.cowrie.http.Page;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The payments list: only the conditions a filter sets reach the SQL (bound parameters), so each
 * can use its index (V30: reference, customer email, created_at) instead of a catch-all plan; the
 * cursor stays {@code id <} because ids sort by time.
 */
final class PaymentSearch {
  static final String EMAIL = "lower(customer->>'email')";

  private PaymentSearch() {}

  static Future<JsonObject> list(SqlClient sql, String merchantId, String mode, PaymentFilter filter, Page page) {
    List<Object> params = new ArrayList<>(List.of(merchantId, mode));
    StringBuilder where = new StringBuilder("merchant_id = $1 AND mode = $2");
    condition(where, params, "status = $", filter.status());
    condition(where, params, "reference = $", filter.reference());
    condition(where, params, "provider = $", filter.provider());
    condition(where, params, "currency = $", filter.currency());
    condition(where, params, "created_at >= $", filter.since());
    condition(where, params, "created_at < $", filter.until());
    condition(where, params, "amount >= $", filter.amountMin());
    condition(where, params, "amount <= $", filter.amountMax());
    condition(where, params, EMAIL + " = lower($", filter.customerEmail());
    if (filter.search() != null) {
      params.add(filter.search());
      int n = params.size();
      where.append(" AND (id = $").append(n).append(" OR reference = $").append(n)
          .append(" OR ").append(EMAIL).append(" = lower($").append(n).append("))");
    }
    params.add(page.cursor());
    where.append(" AND id < $").append(params.size());
    params.add(page.limit() + 1);
    String query = "SELECT * FROM payments WHERE " + where + " ORDER BY id DESC LIMIT $" + params.size();
    return sql.preparedQuery(query).execute(Tuple.tuple(params)).map(rows -> {
      JsonArray data = new JsonArray();
      rows.forEach(row -> data.add(Payments.toJson(row)));
      return page.envelope(data);
    });
  }

  /** Appends {@code AND <sql><n>} (closing a {@code lower(} it opened) when the value is set. */
  private static void condition(StringBuilder where, List<Object> params, String sql, Object value) {
    if (value == null) {
      return;
    }
    params.add(value);
    where.append(" AND ").append(sql).append(params.size()).append(sql.endsWith("lower($") ? ")" : "");
  }
}
