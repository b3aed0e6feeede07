package dev.cowrie.webhooks;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Ids;
import dev.cowrie.common.Times;
import dev.cowrie.http.Page;
import dev.cowrie.plans.Subscriptions;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Arrays;

/** The {@code webhook_endpoints} table, always within one merchant and mode. */
final class Endpoints {
  private static final String COLUMNS = "id, url, events, description, enabled, created_at";
  /** Like Stripe's limit: it keeps the relay's per-batch endpoint lookup bounded without ever dropping one. */
  static final int PER_MERCHANT_MODE_MAX = 16;
  // Concurrent creations for one merchant count one by one: a transaction-scoped advisory lock on the
  // merchant (webhooks own no merchant row to lock), taken in its own statement so the insert's
  // count runs on a snapshot taken after the lock.
  private static final String LOCK_MERCHANT = "SELECT pg_advisory_xact_lock(hashtextextended('webhook_endpoints:' || $1, 0))";
  // Inserts only while the merchant has room.
  private static final String INSERT = """
      INSERT INTO webhook_endpoints (id, merchant_id, mode, url, events, secret_enc, description, enabled)
      SELECT $1, $2, $3, $4, $5, $6, $7, $8
      WHERE (SELECT count(*) FROM webhook_endpoints WHERE merchant_id = $2 AND mode = $3 AND deleted_at IS NULL) < $9
      RETURNING\s""" + COLUMNS;
  private static final String LIST = "SELECT " + COLUMNS + " FROM webhook_endpoints"
      + " WHERE merchant_id = $1 AND mode = $2 AND deleted_at IS NULL AND id < $3 ORDER BY id DESC LIMIT $4";
  private static final String GET = "SELECT " + COLUMNS + " FROM webhook_endpoints"
      + " WHERE merchant_id = $1 AND mode = $2 AND id = $3 AND deleted_at IS NULL LIMIT 1";
  // Each field changes only when given (null keeps the stored value).
  private static final String UPDATE = """
      UPDATE webhook_endpoints SET url = coalesce($4, url), events = coalesce($5, events),
        description = coalesce($6, description), enabled = coalesce($7, enabled)
      WHERE merchant_id = $1 AND mode = $2 AND id = $3 AND deleted_at IS NULL RETURNING\s""" + COLUMNS;
  private static final String DELETE = """
      UPDATE webhook_endpoints SET deleted_at = now(), enabled = false
      WHERE merchant_id = $1 AND mode = $2 AND id = $3 AND deleted_at IS NULL RETURNING id""";
  // Deliveries still waiting for a deleted endpoint will never be made.
  private static final String ABANDON = """
      UPDATE webhook_deliveries SET status = 'dead', last_error = 'endpoint deleted'
      WHERE merchant_id = $1 AND mode = $2 AND endpoint_id = $3 AND status = 'pending'""";

  /** What a merchant may set on an endpoint; null fields are left as they are. */
  record Fields(String url, String[] events, String description, Boolean enabled) {}

  private Endpoints() {}

  /**
   * Creates the endpoint and answers it with its secret, the only time the secret is shown. The
   * merchant's plan in force at {@code at} may allow fewer endpoints than the gateway's own maximum.
   */
  static Future<JsonObject> create(Pool pool, byte[] masterKey, String merchantId, String mode, Fields fields, Instant at) {
    String secret = WebhookSecrets.generate();
    Tuple params = Tuple.of(Ids.next("we"), merchantId, mode, fields.url(), fields.events(),
        io.vertx.core.buffer.Buffer.buffer(WebhookSecrets.seal(masterKey, secret)))
        .addValue(fields.description()).addValue(fields.enabled() == null || fields.enabled());
    return Tenancy.transaction(pool, merchantId, tx -> tx.preparedQuery(LOCK_MERCHANT).execute(Tuple.of(merchantId))
        .compose(locked -> Subscriptions.limitsAt(tx, merchantId, at))
        .compose(limits -> {
          Integer planned = limits.webhookEndpoints();
          int allowed = planned == null ? PER_MERCHANT_MODE_MAX : Math.min(planned, PER_MERCHANT_MODE_MAX);
          return tx.preparedQuery(INSERT).execute(params.addValue(allowed)).compose(rows -> rows.size() > 0
              ? Future.succeededFuture(toJson(rows.iterator().next()).put("secret", secret))
              : Future.failedFuture(allowed < PER_MERCHANT_MODE_MAX
                  ? new CowrieError(ErrorCode.PLAN_LIMIT_EXCEEDED,
                      "Your plan allows " + allowed + " webhook endpoints per mode; delete one or change plans.", "url")
                  : new CowrieError(ErrorCode.INVALID_STATE,
                      "A merchant can have at most " + PER_MERCHANT_MODE_MAX + " webhook endpoints per mode; delete one first.", "url")));
        }));
  }

  static Future<JsonObject> list(Pool pool, String merchantId, String mode, Page page) {
    return Tenancy.transaction(pool, merchantId,
        sql -> sql.preparedQuery(LIST).execute(Tuple.of(merchantId, mode, page.cursor(), page.limit() + 1))).map(rows -> {
      JsonArray data = new JsonArray();
      rows.forEach(row -> data.add(toJson(row)));
      return page.envelope(data);
    });
  }

  static Future<JsonObject> get(Pool pool, String merchantId, String mode, String id) {
    return Tenancy.transaction(pool, merchantId, sql -> sql.preparedQuery(GET).execute(Tuple.of(merchantId, mode, id)))
        .map(rows -> one(rows, id));
  }

  static Future<JsonObject> update(Pool pool, String merchantId, String mode, String id, Fields fields) {
    Tuple params = Tuple.of(merchantId, mode, id, fields.url(), fields.events(), fields.description())
        .addValue(fields.enabled());
    return Tenancy.transaction(pool, merchantId, sql -> sql.preparedQuery(UPDATE).execute(params)).map(rows -> one(rows, id));
  }

  static Future<JsonObject> delete(Pool pool, String merchantId, String mode, String id) {
    return Tenancy.transaction(pool, merchantId, tx -> tx.preparedQuery(DELETE).execute(Tuple.of(merchantId, mode, id))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(CowrieError.notFound("webhook endpoint", id))
            : tx.preparedQuery(ABANDON).execute(Tuple.of(merchantId, mode, id))))
        .map(done -> new JsonObject().put("id", id).put("object", "webhook_endpoint").put("deleted", true));
  }

  private static JsonObject one(RowSet<Row> rows, String id) {
    if (rows.size() == 0) {
      throw CowrieError.notFound("webhook endpoint", id);
    }
    return toJson(rows.iterator().next());
  }

  private static JsonObject toJson(Row row) {
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("object", "webhook_endpoint")
        .put("url", row.getString("url"))
        .put("events", new JsonArray(Arrays.asList(row.getArrayOfStrings("events"))))
        .put("description", row.getString("description"))
        .put("enabled", row.getBoolean("enabled"))
        .put("created_at", Times.rfc3339(row.getOffsetDateTime("created_at")));
  }
}
