package dev.cowrie.payments;

import dev.cowrie.common.Times;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * How a merchant's provider connections have been answering, read from the attempts payments keeps
 * ({@link PaymentAddresses#CONNECTION_HEALTH}): calls and successful calls over the last window,
 * the newest failed call, and whether the newest call found the circuit breaker open (the breaker
 * itself lives in each ProviderVerticle; this is what its refusals left in the attempt log).
 */
final class ConnectionHealth {
  /** The window of the success rate. */
  static final int WINDOW_SECONDS = 3600;
  private static final int CONNECTIONS_MAX = 32;
  private static final String HEALTH = """
      WITH recent AS (
        SELECT connection_id, count(*) AS calls, count(*) FILTER (WHERE outcome = 'succeeded') AS succeeded
        FROM payment_attempts
        WHERE merchant_id = $1 AND connection_id = ANY($2) AND created_at > now() - make_interval(secs => $3)
        GROUP BY connection_id)
      SELECT c.id, coalesce(r.calls, 0) AS calls, coalesce(r.succeeded, 0) AS succeeded,
        e.error_code, e.error_message, e.http_status, e.created_at AS error_at, l.error_message LIKE 'circuit open%' AS circuit_open
      FROM unnest($2::text[]) AS c(id)
      LEFT JOIN recent r ON r.connection_id = c.id
      LEFT JOIN LATERAL (SELECT error_code, error_message, http_status, created_at FROM payment_attempts
        WHERE merchant_id = $1 AND connection_id = c.id AND outcome <> 'succeeded' ORDER BY created_at DESC LIMIT 1) e ON true
      LEFT JOIN LATERAL (SELECT error_message FROM payment_attempts
        WHERE merchant_id = $1 AND connection_id = c.id ORDER BY created_at DESC LIMIT 1) l ON true""";

  private ConnectionHealth() {}

  /** {@code connections}: the merchant's connection ids (others' ids find nothing: the merchant's rows only). */
  static Future<JsonObject> of(Pool pool, String merchantId, List<String> connections) {
    String[] ids = connections.stream().distinct().limit(CONNECTIONS_MAX).toArray(String[]::new);
    return Tenancy.transaction(pool, merchantId, sql -> sql.preparedQuery(HEALTH).execute(Tuple.of(merchantId, ids, WINDOW_SECONDS)))
        .map(rows -> {
          JsonArray data = new JsonArray();
          for (Row row : rows) {
            data.add(toJson(row));
          }
          return new JsonObject().put("window_seconds", WINDOW_SECONDS).put("data", data);
        });
  }

  private static JsonObject toJson(Row row) {
    JsonObject health = new JsonObject().put("connection", row.getString("id"))
        .put("calls", row.getLong("calls")).put("succeeded", row.getLong("succeeded"))
        .put("circuit_open", Boolean.TRUE.equals(row.getBoolean("circuit_open")));
    if (row.getOffsetDateTime("error_at") != null) {
      health.put("last_error", new JsonObject().put("code", row.getString("error_code"))
          .put("message", row.getString("error_message")).put("http_status", row.getInteger("http_status"))
          .put("at", Times.rfc3339(row.getOffsetDateTime("error_at"))));
    }
    return health;
  }
}
