package dev.cowrie.recurring;

import dev.cowrie.http.Page;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Newest-first lists of one merchant's objects in one mode, as API.md pages them. */
final class Lists {
  private Lists() {}

  /**
   * {@code sql} selects from one table with {@code merchant_id = $1 AND mode = $2 AND id < $3},
   * then optional filters as $5…, and ends with {@code ORDER BY id DESC LIMIT $4}.
   */
  static Future<JsonObject> page(SqlClient sql, String query, String merchantId, String mode, Page page,
      Function<Row, JsonObject> render, Object... filters) {
    List<Object> params = new ArrayList<>(List.of(merchantId, mode, page.cursor(), page.limit() + 1));
    params.addAll(java.util.Arrays.asList(filters));
    return sql.preparedQuery(query).execute(Tuple.tuple(params)).map(rows -> {
      JsonArray data = new JsonArray();
      rows.forEach(row -> data.add(render.apply(row)));
      return page.envelope(data);
    });
  }

  /** The one row of a lookup, or a 404 naming the object. */
  static Future<Row> one(io.vertx.sqlclient.RowSet<Row> rows, String what, String id) {
    return rows.size() == 0 ? Future.failedFuture(dev.cowrie.common.CowrieError.notFound(what, id))
        : Future.succeededFuture(rows.iterator().next());
  }
}
