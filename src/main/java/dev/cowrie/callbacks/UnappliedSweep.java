package dev.cowrie.callbacks;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies provider events that were stored but never applied (the gateway died in between), so
 * they do not wait for the provider to retry or for the reconciler. Claims a bounded batch with
 * {@code FOR UPDATE SKIP LOCKED} and stamps {@code sweep_claimed_at}, so several gateways share the
 * work and an event that fails to apply is tried again a minute later, not on every pass.
 */
final class UnappliedSweep {
  private static final Logger log = LoggerFactory.getLogger(UnappliedSweep.class);
  // Events stored before headers were kept cannot be verified again; the reconciler settles their payments.
  private static final String CLAIM = """
      UPDATE provider_events SET sweep_claimed_at = $3 WHERE id IN (
        SELECT id FROM provider_events
        WHERE status = 'received' AND headers IS NOT NULL AND received_at <= $3::timestamptz - make_interval(secs => $1)
          AND (sweep_claimed_at IS NULL OR sweep_claimed_at <= $3::timestamptz - interval '60 seconds')
        ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING id, connection_id, raw_body, headers, received_at""";
  private final Pool pool;
  private final long afterSeconds;
  private final int batchMax;
  private final Function<Row, Future<Void>> apply;
  private final Clock clock;
  private boolean running;

  /** {@code clock}: when an event has waited long enough, and when a failed one is tried again. */
  UnappliedSweep(Pool pool, long afterSeconds, int batchMax, Function<Row, Future<Void>> apply, Clock clock) {
    this.pool = pool;
    this.clock = clock;
    this.afterSeconds = afterSeconds;
    this.batchMax = batchMax;
    this.apply = apply;
  }

  /** One pass; a pass still running is not doubled. Answers how many events were applied. */
  Future<Integer> run() {
    if (running) {
      return Future.succeededFuture(0);
    }
    running = true;
    return pool.preparedQuery(CLAIM).execute(Tuple.of((double) afterSeconds, batchMax, OffsetDateTime.now(clock)))
        .compose(rows -> {
          List<Row> claimed = new ArrayList<>();
          rows.forEach(claimed::add);
          return applyEach(claimed, 0, 0);
        })
        .onFailure(failure -> log.warn("Sweep of unapplied provider events failed: {}", failure.getMessage()))
        .onComplete(done -> running = false);
  }

  /** One at a time, so a sweep after an outage does not flood the payments verticle. */
  private Future<Integer> applyEach(List<Row> rows, int index, int applied) {
    if (index >= rows.size()) {
      return Future.succeededFuture(applied);
    }
    Row row = rows.get(index);
    return apply.apply(row).map(ignored -> 1)
        .otherwise(failure -> {
          log.warn("Provider event {} could not be applied yet: {}", row.getString("id"), failure.getMessage());
          return 0;
        })
        .compose(done -> applyEach(rows, index + 1, applied + done));
  }
}
