package dev.cowrie.payments;

import dev.cowrie.common.Bus;
import dev.cowrie.providers.CallOutcome;
import dev.cowrie.providers.ProviderAddresses;
import dev.cowrie.providers.ProviderCall;
import dev.cowrie.providers.RefundLookup;
import dev.cowrie.providers.RefundResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The refund half of reconciliation: pending refunds are looked up at the provider (where it has
 * a lookup) and settled. A refund whose creation timed out has no provider id yet: the adapter
 * looks for it among the payment's refunds at the provider (matched on our refund id and the
 * amount, never guessed); where it cannot, the refund stays pending for its callback or a human.
 * Every lookup is recorded in payment_attempts (operation refund_status), with why when it settled nothing.
 */
final class RefundReconciler {
  private final Vertx vertx;
  private final Pool pool;
  private final long timeoutMs;
  private final Clock clock;

  /** {@code clock}: when a pending refund is stale, and the claim's stamp. */
  RefundReconciler(Vertx vertx, Pool pool, long timeoutMs, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.timeoutMs = timeoutMs;
    this.clock = clock;
  }

  Future<JsonArray> run(String provider, long staleAfterSeconds, int limit) {
    return pool.preparedQuery("""
            WITH claimed AS (
              UPDATE refunds SET updated_at = $4 WHERE id IN (
                SELECT r.id FROM refunds r JOIN payments p ON p.id = r.payment_id
                WHERE r.status = $5
                  AND r.updated_at <= $4::timestamptz - make_interval(secs => $1) AND ($2::text IS NULL OR p.provider = $2)
                ORDER BY r.updated_at LIMIT $3 FOR UPDATE OF r SKIP LOCKED)
              RETURNING id, payment_id, provider_reference, amount, currency)
            SELECT c.*, p.connection_id, p.provider, coalesce(p.provider_charge_ref, p.provider_reference) AS charge_ref
            FROM claimed c JOIN payments p ON p.id = c.payment_id""")
        .execute(Tuple.tuple(Arrays.asList((double) staleAfterSeconds, provider, limit, OffsetDateTime.now(clock),
            RefundStatus.PENDING.api())))
        .compose(rows -> {
          List<Row> claimed = new ArrayList<>();
          rows.forEach(claimed::add);
          return each(claimed, 0, new JsonArray());
        });
  }

  /** An answer that settles nothing (e.g. our refund not in the provider's list) says why in the attempt's message. */
  private static JsonObject withReason(JsonObject reply) {
    JsonObject result = reply.getJsonObject("result");
    return CallOutcome.of(reply) == CallOutcome.OK && result != null && result.getString("failure_message") != null
        && "UNKNOWN".equals(result.getString("status")) ? reply.copy().put("message", result.getString("failure_message")) : reply;
  }

  private Future<JsonArray> each(List<Row> rows, int index, JsonArray results) {
    if (index >= rows.size()) {
      return Future.succeededFuture(results);
    }
    Row row = rows.get(index);
    RefundLookup lookup = new RefundLookup(row.getString("id"), row.getString("provider_reference"),
        row.getString("payment_id"), row.getString("charge_ref"), row.getLong("amount"), row.getString("currency"));
    ProviderCall call = new ProviderCall("refund_status", row.getString("connection_id"), lookup.toJson());
    return Bus.<JsonObject>request(vertx, ProviderAddresses.call(row.getString("provider")), call.toJson(), timeoutMs)
        .otherwise(call::unreachable)
        .compose(reply -> ProviderCalls.record(pool, row.getString("payment_id"), row.getString("connection_id"),
            row.getString("provider"), "refund_status", withReason(reply)).map(reply))
        .compose(reply -> CallOutcome.of(reply) != CallOutcome.OK
            ? Future.succeededFuture(new JsonObject().put("id", lookup.refundId()).put("status", RefundStatus.PENDING.api())
                .put("message", reply.getString("message")))
            : Bus.<JsonObject>request(vertx, PaymentAddresses.APPLY_REFUND_STATUS,
                    reported(lookup.refundId(), reply.getJsonObject("result")).toJson(), timeoutMs)
                .map(refund -> new JsonObject().put("id", lookup.refundId()).put("status", refund.getString("status"))
                    .put("message", withReason(reply).getString("message"))))
        .otherwise(failure -> new JsonObject().put("id", lookup.refundId()).put("status", RefundStatus.PENDING.api())
            .put("message", failure.getMessage()))
        .compose(result -> each(rows, index + 1, results.add(result)));
  }

  /** The provider's refund_status result as the report payments applies. */
  private static RefundReport reported(String refundId, JsonObject result) {
    return new RefundReport(refundId, RefundResult.Status.valueOf(result.getString("status")),
        result.getString("provider_refund_id"), result.getString("failure_message"));
  }
}
