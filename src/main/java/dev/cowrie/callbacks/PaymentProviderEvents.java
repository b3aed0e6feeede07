package dev.cowrie.callbacks;

import dev.cowrie.common.Times;
import dev.cowrie.http.Page;
import dev.cowrie.security.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/** The provider callbacks a payment received, as its timeline shows them (what came and what Cowrie did with it). */
final class PaymentProviderEvents {
  static final int SHOWN_MAX = 100;
  private static final String OF_PAYMENT = """
      SELECT id, provider, event_type, status, note, received_at, applied_at FROM provider_events
      WHERE payment_id = $1 AND merchant_id = $2 AND mode = $3 ORDER BY received_at, id LIMIT\s""" + (SHOWN_MAX + 1);

  private PaymentProviderEvents() {}

  /** The pool is the system role's (callbacks arrive before a merchant is known), so the merchant and mode are in the WHERE. */
  static Future<JsonObject> list(Pool pool, JsonObject cmd) {
    Principal principal = Principal.fromJson(cmd.getJsonObject("principal"));
    return pool.preparedQuery(OF_PAYMENT).execute(Tuple.of(cmd.getString("payment"), principal.merchantId(), principal.mode()))
        .map(rows -> {
          JsonArray data = new JsonArray();
          rows.forEach(row -> data.add(toJson(row)));
          return new Page(SHOWN_MAX, null).envelope(data);
        });
  }

  private static JsonObject toJson(Row row) {
    return new JsonObject().put("id", row.getString("id")).put("object", "provider_event")
        .put("provider", row.getString("provider")).put("type", row.getString("event_type"))
        .put("status", row.getString("status")).put("note", row.getString("note"))
        .put("received_at", Times.rfc3339(row.getOffsetDateTime("received_at")))
        .put("applied_at", Times.rfc3339(row.getOffsetDateTime("applied_at")));
  }
}
