package dev.cowrie.webhooks;

import dev.cowrie.common.Ids;
import dev.cowrie.events.EventFanOut.NewEvent;
import dev.cowrie.events.EventTypes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** The {@code webhook_deliveries} and {@code webhook_attempts} tables: create, lease, settle. */
public final class Deliveries {
  /** An event about to be relayed, as far as subscriptions care. */
  /** A leased delivery with everything needed to make the call. */
  record Due(String id, String endpointId, String eventId, int attempts, int attemptsMax, String url,
             byte[] secretSealed, JsonObject event, OffsetDateTime leasedUntil) {}

  /** What one call to the endpoint came to. */
  record Outcome(boolean delivered, Integer statusCode, int latencyMs, String body, String error) {}

  // Bounded by the batch's merchants times the per-merchant cap (both modes), so no endpoint is ever cut off.
  private static final String SUBSCRIBED = """
      SELECT id, merchant_id, mode, events FROM webhook_endpoints
      WHERE merchant_id = ANY($1) AND enabled AND deleted_at IS NULL LIMIT $2""";
  private static final String INSERT = """
      INSERT INTO webhook_deliveries (id, merchant_id, mode, endpoint_id, event_id, attempts_max, event)
      SELECT id, merchant_id, mode, endpoint_id, event_id, attempts_max, event::json
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[])
        AS fanned(id, merchant_id, mode, endpoint_id, event_id, attempts_max, event)
      ON CONFLICT (endpoint_id, event_id) DO NOTHING""";
  // The endpoints owning the oldest due rows (but not those with all $2 calls open, so one slow
  // endpoint cannot fill the claim), locked for this claim's transaction: a node claiming
  // for an endpoint skips it while another node is counting and leasing for it, so the open-call
  // count read next is never stale (NO KEY UPDATE: deliveries inserted meanwhile are not blocked).
  private static final String LOCK_DUE_ENDPOINTS = """
      WITH full_endpoints AS (
        SELECT endpoint_id FROM webhook_deliveries WHERE status = 'pending' AND leased_until > now()
        GROUP BY endpoint_id HAVING count(*) >= $2)
      SELECT e.id FROM webhook_endpoints e
      WHERE e.id IN (SELECT DISTINCT endpoint_id FROM (
          SELECT endpoint_id FROM webhook_deliveries
          WHERE status = 'pending' AND next_attempt_at <= now()
            AND endpoint_id NOT IN (SELECT endpoint_id FROM full_endpoints)
          ORDER BY next_attempt_at LIMIT $1 * 4) oldest)
        AND e.enabled AND e.deleted_at IS NULL
      FOR NO KEY UPDATE OF e SKIP LOCKED""";
  // Then, in a second statement (a fresh snapshot that sees every committed lease), per locked
  // endpoint ($3) its oldest due rows, as many as it has free slots: $2 minus the calls open on
  // any node. Leasing = moving next_attempt_at past the call's timeout and stamping leased_until:
  // a crashed node's lease runs out and any node retakes the delivery.
  private static final String CLAIM = """
      WITH open_calls AS (
        SELECT endpoint_id, count(*) AS open FROM webhook_deliveries
        WHERE endpoint_id = ANY($3) AND status = 'pending' AND leased_until > now() GROUP BY endpoint_id),
      leased AS (
        SELECT picked.id FROM unnest($3::text[]) AS de(endpoint_id)
        LEFT JOIN open_calls o ON o.endpoint_id = de.endpoint_id
        CROSS JOIN LATERAL (
          SELECT d.id FROM webhook_deliveries d
          WHERE d.endpoint_id = de.endpoint_id AND d.status = 'pending' AND d.next_attempt_at <= now()
          ORDER BY d.next_attempt_at LIMIT greatest(0, $2 - coalesce(o.open, 0)) FOR UPDATE SKIP LOCKED) picked
        LIMIT $1)
      UPDATE webhook_deliveries w SET next_attempt_at = now() + make_interval(secs => $4::float8 / 1000),
        leased_until = now() + make_interval(secs => $4::float8 / 1000)
      FROM leased l, webhook_endpoints e
      WHERE w.id = l.id AND e.id = w.endpoint_id
      RETURNING w.id, w.next_attempt_at AS leased_until, w.endpoint_id, w.event_id, w.attempts, w.attempts_max,
        e.url, e.secret_enc, w.event""";

  // Only while our lease holds: if it ran out and another node took the delivery, its result counts.
  // Across tenants on purpose: the dispatcher serves every merchant, by delivery id.
  private static final String SETTLE = """
      WITH settled AS (
        UPDATE webhook_deliveries SET attempts = attempts + 1,
          status = CASE WHEN $2 THEN 'delivered' WHEN attempts + 1 >= attempts_max THEN 'dead' ELSE 'pending' END,
          next_attempt_at = CASE WHEN $2 THEN next_attempt_at ELSE now() + make_interval(secs => $3::float8 / 1000) END,
          delivered_at = CASE WHEN $2 THEN now() END, last_status = $4, last_error = $7, leased_until = NULL
        WHERE id = $1 AND status = 'pending' AND next_attempt_at = $8 RETURNING id)
      INSERT INTO webhook_attempts (delivery_id, status_code, latency_ms, response_body, error)
      SELECT id, $4, $5, $6, $7 FROM settled""";

  private Deliveries() {}

  /** In the relay's transaction: one pending delivery per enabled endpoint subscribed to each event. */
  public static Future<Integer> createFor(SqlClient tx, List<NewEvent> events, int attemptsMax) {
    String[] merchants = events.stream().map(NewEvent::merchantId).distinct().toArray(String[]::new);
    int bound = merchants.length * 2 * Endpoints.PER_MERCHANT_MODE_MAX;
    return tx.preparedQuery(SUBSCRIBED).execute(Tuple.of(merchants, bound)).compose(endpoints -> {
      List<String[]> rows = new ArrayList<>();
      for (Row endpoint : endpoints) {
        Set<String> types = Set.of(endpoint.getArrayOfStrings("events"));
        for (NewEvent event : events) {
          if (event.merchantId().equals(endpoint.getString("merchant_id")) && event.mode().equals(endpoint.getString("mode"))
              && (types.contains(event.type()) || types.contains(EventTypes.ALL))) {
            rows.add(new String[] {Ids.next("del"), event.merchantId(), event.mode(), endpoint.getString("id"), event.id(),
                event.event().encode()});
          }
        }
      }
      if (rows.isEmpty()) {
        return Future.succeededFuture(0);
      }
      Integer[] attempts = new Integer[rows.size()];
      Arrays.fill(attempts, attemptsMax);
      Tuple params = Tuple.of(column(rows, 0), column(rows, 1), column(rows, 2), column(rows, 3), column(rows, 4), attempts)
          .addArrayOfString(column(rows, 5));
      return tx.preparedQuery(INSERT).execute(params).map(done -> done.rowCount());
    });
  }

  /** Records the attempt; a failure is retried after {@code retryDelayMs} unless it was the last try. */
  static Future<Void> settle(Pool pool, Due due, Outcome outcome, long retryDelayMs) {
    Tuple params = Tuple.of(due.id(), outcome.delivered(), retryDelayMs, outcome.statusCode(), outcome.latencyMs(),
        outcome.body(), outcome.error(), due.leasedUntil());
    return pool.preparedQuery(SETTLE).execute(params).mapEmpty();
  }

  private static String[] column(List<String[]> rows, int index) {
    return rows.stream().map(row -> row[index]).toArray(String[]::new);
  }

  /** Leases up to {@code limit} due deliveries, at most {@code perEndpoint} calls open per endpoint across nodes. */
  static Future<List<Due>> claim(Pool pool, int limit, int perEndpoint, long leaseMs) {
    return pool.withTransaction(tx -> tx.preparedQuery(LOCK_DUE_ENDPOINTS).execute(Tuple.of(limit, perEndpoint))
        .compose(locked -> {
          String[] endpoints = new String[locked.size()];
          int i = 0;
          for (Row row : locked) {
            endpoints[i++] = row.getString("id");
          }
          return endpoints.length == 0 ? Future.succeededFuture(List.of())
              : tx.preparedQuery(CLAIM).execute(Tuple.of(limit, perEndpoint, endpoints, leaseMs)).map(Deliveries::toDue);
        }));
  }

  private static List<Due> toDue(RowSet<Row> rows) {
    List<Due> due = new ArrayList<>(rows.size());
    for (Row row : rows) {
      JsonObject event = (JsonObject) row.getJson("event");
      due.add(new Due(row.getString("id"), row.getString("endpoint_id"), row.getString("event_id"),
          row.getInteger("attempts"), row.getInteger("attempts_max"), row.getString("url"),
          row.getBuffer("secret_enc").getBytes(), event, row.getOffsetDateTime("leased_until")));
    }
    return due;
  }
}
