package dev.cowrie.webhooks;

import dev.cowrie.common.Ids;
import dev.cowrie.common.Times;
import dev.cowrie.events.EventFanOut;
import dev.cowrie.http.Page;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/** A merchant's view of deliveries and their attempts, and redelivery by hand. */
public final class DeliveryQueries {
  private static final int ATTEMPTS_SHOWN_MAX = 20;
  private static final String SELECT = """
      SELECT d.id, d.endpoint_id, d.event_id, d.event->>'type' AS type, d.status, d.attempts, d.next_attempt_at, d.last_status,
        d.last_error, d.created_at, d.delivered_at,
        (SELECT coalesce(json_agg(a ORDER BY a.id DESC), '[]'::json) FROM (
           SELECT id, to_char(attempted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS attempted_at,
             status_code, latency_ms, response_body, error
           FROM webhook_attempts WHERE delivery_id = d.id ORDER BY id DESC LIMIT\s""" + ATTEMPTS_SHOWN_MAX + """
        ) a) AS attempt_log
      FROM webhook_deliveries d
      """;
  private static final String LIST = SELECT + """
      WHERE d.merchant_id = $1 AND d.mode = $2 AND d.endpoint_id = $3 AND d.id < $4
      ORDER BY d.id DESC LIMIT $5""";
  private static final String OF_EVENT = SELECT + """
      WHERE d.merchant_id = $1 AND d.mode = $2 AND d.event_id = $3 AND d.id < $4
      ORDER BY d.id DESC LIMIT $5""";
  // Finished deliveries (delivered or dead) get one more try, now; pending ones are already coming.
  private static final String RETRY = """
      UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(), attempts_max = attempts + 1,
        delivered_at = NULL
      WHERE merchant_id = $1 AND mode = $2 AND event_id = $3 AND status <> 'pending'
        AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE merchant_id = $1 AND mode = $2 AND deleted_at IS NULL)""";

  // One delivery of a test event to one endpoint (enabled or not: the merchant asked for this one).
  private static final String TEST = """
      INSERT INTO webhook_deliveries (id, merchant_id, mode, endpoint_id, event_id, attempts_max, event)
      SELECT $1, merchant_id, mode, id, $4, 1, $5::text::json FROM webhook_endpoints
      WHERE merchant_id = $2 AND mode = $3 AND id = $6 AND deleted_at IS NULL""";

  /** Type of the event "Send a test event" delivers; not a business event, so never subscribable nor stored in events. */
  public static final String TEST_EVENT_TYPE = "webhook_endpoint.test";

  private DeliveryQueries() {}

  /**
   * Queues one signed {@value #TEST_EVENT_TYPE} event for this endpoint alone, made once by the
   * dispatcher like any delivery (so the log shows its answer and latency), not relayed anywhere else.
   */
  static Future<JsonObject> sendTest(Pool pool, String merchantId, String mode, String endpointId, String createdAt) {
    return Endpoints.get(pool, merchantId, mode, endpointId).compose(endpoint -> {
      String eventId = Ids.next("evt");
      String deliveryId = Ids.next("del");
      JsonObject event = new JsonObject().put("id", eventId).put("object", "event").put("type", TEST_EVENT_TYPE)
          .put("merchant", merchantId).put("livemode", "live".equals(mode)).put("created_at", createdAt)
          .put("data", new JsonObject().put("object", new JsonObject().put("id", endpointId).put("object", "webhook_endpoint")
              .put("url", endpoint.getString("url"))));
      return Tenancy.transaction(pool, merchantId, tx -> tx.preparedQuery(TEST)
              .execute(Tuple.of(deliveryId, merchantId, mode, eventId, event.encode(), endpointId)))
          .map(done -> new JsonObject().put("object", "webhook_test").put("endpoint", endpointId).put("event", eventId)
              .put("event_type", TEST_EVENT_TYPE).put("delivery", deliveryId));
    });
  }

  static Future<JsonObject> list(Pool pool, String merchantId, String mode, String endpointId, Page page) {
    return Endpoints.get(pool, merchantId, mode, endpointId).compose(found -> Tenancy.transaction(pool, merchantId,
            sql -> sql.preparedQuery(LIST).execute(Tuple.of(merchantId, mode, endpointId, page.cursor(), page.limit() + 1)))
        .map(rows -> {
          JsonArray data = new JsonArray();
          rows.forEach(row -> data.add(toJson(row)));
          return page.envelope(data);
        }));
  }

  /** The deliveries of one event to every endpoint (the event is the caller's to find: 404 belongs to events). */
  static Future<JsonObject> ofEvent(Pool pool, String merchantId, String mode, String eventId, Page page) {
    return Tenancy.transaction(pool, merchantId,
            sql -> sql.preparedQuery(OF_EVENT).execute(Tuple.of(merchantId, mode, eventId, page.cursor(), page.limit() + 1)))
        .map(rows -> {
          JsonArray data = new JsonArray();
          rows.forEach(row -> data.add(toJson(row)));
          return page.envelope(data);
        });
  }

  /**
   * Redelivers an event to its merchant's endpoints: finished deliveries get one more try now, and
   * subscribed endpoints that never had one (created after the event) get a new delivery. The
   * event is the events area's public JSON of it (found by the caller, within this merchant and mode).
   */
  public static Future<JsonObject> redeliver(Pool pool, String merchantId, String mode, JsonObject event, int attemptsMax) {
    String eventId = event.getString("id");
    EventFanOut.NewEvent fanned = new EventFanOut.NewEvent(eventId, merchantId, mode, event.getString("type"), event);
    return Tenancy.transaction(pool, merchantId, tx -> tx.preparedQuery(RETRY).execute(Tuple.of(merchantId, mode, eventId))
            .compose(retried -> Deliveries.createFor(tx, List.of(fanned), attemptsMax).map(created -> retried.rowCount() + created)))
        .map(count -> new JsonObject().put("object", "redelivery").put("event", eventId).put("deliveries", count));
  }

  private static JsonObject toJson(Row row) {
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("object", "webhook_delivery")
        .put("endpoint", row.getString("endpoint_id"))
        .put("event", row.getString("event_id"))
        .put("event_type", row.getString("type"))
        .put("status", row.getString("status"))
        .put("attempt_count", row.getInteger("attempts"))
        .put("next_attempt_at", "pending".equals(row.getString("status"))
            ? Times.rfc3339(row.getOffsetDateTime("next_attempt_at")) : null)
        .put("last_status_code", row.getInteger("last_status"))
        .put("last_error", row.getString("last_error"))
        .put("created_at", Times.rfc3339(row.getOffsetDateTime("created_at")))
        .put("delivered_at", Times.rfc3339(row.getOffsetDateTime("delivered_at")))
        .put("attempts", (JsonArray) row.getJson("attempt_log"));
  }
}
