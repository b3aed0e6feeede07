package dev.cowrie.events;

import dev.cowrie.common.CowrieError;
import dev.cowrie.http.Page;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/** Reads a merchant's events (newest first), always within its merchant and mode. */
final class EventQueries {
  private static final String LIST = """
      SELECT id, merchant_id, mode, type, data, created_at FROM events
      WHERE merchant_id = $1 AND mode = $2 AND id < $3 AND ($4::text IS NULL OR type = $4)
      ORDER BY id DESC LIMIT $5""";
  private static final String GET = """
      SELECT id, merchant_id, mode, type, data, created_at FROM events WHERE merchant_id = $1 AND mode = $2 AND id = $3 LIMIT 1""";

  static final int OF_PAYMENT_MAX = 100;
  // The payment's own events carry it as data.object; its refunds' name it in data.object.payment (V30 indexes both).
  private static final String OF_PAYMENT = """
      SELECT id, merchant_id, mode, type, data, created_at FROM events
      WHERE merchant_id = $1 AND mode = $2 AND data->'object'->>'id' = $3
      UNION
      SELECT id, merchant_id, mode, type, data, created_at FROM events
      WHERE merchant_id = $1 AND mode = $2 AND data->'object' ? 'payment' AND data->'object'->>'payment' = $3
      ORDER BY id LIMIT\s""" + (OF_PAYMENT_MAX + 1);

  private EventQueries() {}

  static Future<JsonObject> ofPayment(Pool pool, String merchantId, String mode, String paymentId) {
    return Tenancy.transaction(pool, merchantId, sql -> sql.preparedQuery(OF_PAYMENT).execute(Tuple.of(merchantId, mode, paymentId)))
        .map(rows -> {
          JsonArray data = new JsonArray();
          rows.forEach(row -> data.add(toJson(row)));
          return new Page(OF_PAYMENT_MAX, null).envelope(data);
        });
  }

  static Future<JsonObject> list(Pool pool, String merchantId, String mode, Page page, String type) {
    return Tenancy.transaction(pool, merchantId,
            sql -> sql.preparedQuery(LIST).execute(Tuple.of(merchantId, mode, page.cursor(), type, page.limit() + 1)))
        .map(rows -> {
          JsonArray data = new JsonArray();
          rows.forEach(row -> data.add(toJson(row)));
          return page.envelope(data);
        });
  }

  static Future<JsonObject> get(Pool pool, String merchantId, String mode, String id) {
    return Tenancy.transaction(pool, merchantId, sql -> sql.preparedQuery(GET).execute(Tuple.of(merchantId, mode, id)))
        .compose(rows -> rows.size() == 0
        ? Future.failedFuture(CowrieError.notFound("event", id))
        : Future.succeededFuture(toJson(rows.iterator().next())));
  }

  private static JsonObject toJson(Row row) {
    return Outbox.toJson(row.getString("id"), row.getString("merchant_id"), row.getString("mode"), row.getString("type"), row.getOffsetDateTime("created_at"),
        (JsonObject) row.getJson("data"));
  }
}
