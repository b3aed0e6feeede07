package dev.cowrie.payments;

import dev.cowrie.common.Bus;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.config.Timeouts;
import dev.cowrie.store.Database;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
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
 * Settles payments stuck in requires_action/processing, and pending refunds, by asking their provider;
 * routes payments that were stored but never reached a provider (reconcile.unrouted_after_seconds)
 * ({@code cowrie.payments.reconcile}, and every {@code reconcile.interval_ms}). Work is claimed
 * with {@code FOR UPDATE SKIP LOCKED}, and claiming bumps {@code updated_at}, so several gateways
 * never verify the same payment at once and a payment the provider cannot settle yet is asked
 * again only after another {@code stale_after_seconds}. Staleness is measured on the injected clock;
 * the claim's stamp is the database's (the payments trigger sets it on every update).
 */
public final class Reconciler extends VerticleBase {
  public static final int BATCH_MAX = 50;
  private static final String CLAIM_UNROUTED = """
      UPDATE payments SET updated_at = now() WHERE id IN (
        SELECT id FROM payments
        WHERE status = 'requires_action' AND connection_id IS NULL AND updated_at <= $3::timestamptz - make_interval(secs => $1)
        ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING id, merchant_id, mode, status""";

  private final CowrieConfig config;
  private final Clock clock;
  private Pool pool;
  private long timer = -1;

  /** {@code clock} decides which payments and refunds are stale (tests move it instead of waiting). */
  public Reconciler(CowrieConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    // A worker across every merchant: the system role (bypasses row-level security).
    pool = Database.systemPool(vertx, config);
    long intervalMs = config.reconcile().intervalMs();
    if (intervalMs > 0) {
      timer = vertx.setPeriodic(intervalMs, id -> run(new JsonObject()));
    }
    return Bus.serve(vertx, PaymentAddresses.RECONCILE, this::run).completion();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return pool.close();
  }

  /** {provider?, since? (RFC 3339), updated_before?, stale_after_seconds?, limit?} → {checked, settled, payments:[…]}. */
  Future<JsonObject> run(JsonObject cmd) {
    long staleAfter = cmd.getLong("stale_after_seconds", config.reconcile().staleAfterSeconds());
    int limit = Math.min(cmd.getInteger("limit", BATCH_MAX), BATCH_MAX);
    OffsetDateTime since = cmd.getString("since") == null ? null : OffsetDateTime.parse(cmd.getString("since"));
    OffsetDateTime before = cmd.getString("updated_before") == null ? null : OffsetDateTime.parse(cmd.getString("updated_before"));
    RefundReconciler refunds = new RefundReconciler(vertx, pool, config.bus().requestTimeoutMs(), clock);
    long unroutedAfter = cmd.getLong("unrouted_after_seconds", config.reconcile().unroutedAfterSeconds());
    return claim(cmd.getString("provider"), since, before, staleAfter, limit).compose(rows -> verifyEach(rows, 0, new JsonArray()))
        .compose(results -> claimUnrouted(unroutedAfter, limit)
            .compose(rows -> each(rows, 0, new JsonArray(), PaymentAddresses.RESUME))
            .compose(resumed -> refunds.run(cmd.getString("provider"), staleAfter, limit).map(refunded -> new JsonObject()
                .put("checked", results.size())
                .put("settled", results.stream().map(JsonObject.class::cast)
                    .filter(r -> settled(r.getString("status"))).count())
                .put("payments", results)
                .put("resumed", resumed)
                .put("refunds", refunded))));
  }

  /** A verify's answer left the payment in a final status ("error": the verify itself failed). */
  private static boolean settled(String status) {
    PaymentStatus read = PaymentStatus.fromApi(status);
    return read != null && read != PaymentStatus.REQUIRES_ACTION && read != PaymentStatus.PROCESSING;
  }

  /**
   * Payments stored but never routed (the gateway died between the row's commit and the provider
   * call), older than a grace period that lets a slow creation finish: routing them again links
   * a start that did reach the provider (same reference) or starts one.
   */
  private Future<List<Row>> claimUnrouted(long afterSeconds, int limit) {
    return pool.preparedQuery(CLAIM_UNROUTED).execute(Tuple.of((double) afterSeconds, limit, OffsetDateTime.now(clock))).map(rows -> {
      List<Row> claimed = new ArrayList<>();
      rows.forEach(claimed::add);
      return claimed;
    });
  }

  private Future<List<Row>> claim(String provider, OffsetDateTime since, OffsetDateTime before, long staleAfterSeconds, int limit) {
    return pool.preparedQuery("""
            UPDATE payments SET updated_at = now() WHERE id IN (
              SELECT id FROM payments
              WHERE status IN ('requires_action', 'processing') AND connection_id IS NOT NULL
                AND provider_reference IS NOT NULL AND updated_at <= $6::timestamptz - make_interval(secs => $1)
                AND ($2::text IS NULL OR provider = $2) AND ($3::timestamptz IS NULL OR created_at >= $3)
                AND ($5::timestamptz IS NULL OR updated_at < $5)
              ORDER BY updated_at LIMIT $4 FOR UPDATE SKIP LOCKED)
            RETURNING id, merchant_id, mode, status""")
        .execute(Tuple.tuple(Arrays.asList((double) staleAfterSeconds, provider, since, limit, before, OffsetDateTime.now(clock))))
        .map(rows -> {
          List<Row> claimed = new ArrayList<>();
          rows.forEach(claimed::add);
          return claimed;
        });
  }

  private Future<JsonArray> verifyEach(List<Row> rows, int index, JsonArray results) {
    return each(rows, index, results, PaymentAddresses.VERIFY);
  }

  /** One at a time: a reconciler must not flood a provider that is already struggling. */
  private Future<JsonArray> each(List<Row> rows, int index, JsonArray results, String address) {
    if (index >= rows.size()) {
      return Future.succeededFuture(results);
    }
    Row row = rows.get(index);
    PaymentById command = PaymentById.asWorker("reconciler", row.getString("merchant_id"), row.getString("mode"), row.getString("id"));
    return Bus.<JsonObject>request(vertx, address, command.toJson(), Timeouts.of(config).creationMs())
        .map(payment -> new JsonObject().put("id", row.getString("id")).put("status", payment.getString("status")))
        .otherwise(failure -> new JsonObject().put("id", row.getString("id")).put("status", "error")
            .put("message", failure.getMessage()))
        .compose(result -> each(rows, index + 1, results.add(result), address));
  }
}
