package dev.cowrie.events;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * One pass of the Kafka relay, over the rows Kafka is still owed ({@code kafka_outbox}, queued by
 * a trigger with each event): claim them in seq order, send them, drop the acknowledged ones from
 * the queue, commit. One node at a time sends (a transaction-scoped advisory lock per schema), so
 * a merchant's events reach the topic in the order they were written, whatever the number of
 * nodes. What is not acknowledged stays queued and is sent again: at least once, with the same
 * event id, never lost.
 */
final class KafkaRelay {
  private static final String LEAD = "SELECT pg_try_advisory_xact_lock(hashtext(current_schema() || '.kafka_relay')) AS leading";
  private static final String CLAIM = """
      SELECT e.seq, e.id, e.merchant_id, e.mode, e.type, e.data, e.created_at
      FROM kafka_outbox k JOIN events e ON e.seq = k.seq
      ORDER BY k.seq LIMIT $1 FOR UPDATE OF k SKIP LOCKED""";
  // Across tenants on purpose: the relay serves every merchant; the rows are named by their keys.
  private static final String SENT = "DELETE FROM kafka_outbox WHERE seq = ANY($1)";
  private static final String LAG = "SELECT count(*) FROM (SELECT 1 FROM kafka_outbox LIMIT $1) owed";
  private static final long LAG_COUNTED_MAX = 10_000_000;

  private final Pool pool;
  private final KafkaSink sink;
  private final int batchSize;

  KafkaRelay(Pool pool, KafkaSink sink, int batchSize) {
    this.pool = pool;
    this.sink = sink;
    this.batchSize = batchSize;
  }

  /** Relays one batch; answers how many events it sent, or fails (after marking what did go) if the broker refused. */
  Future<Integer> relayBatch() {
    return pool.withTransaction(tx -> tx.query(LEAD).execute().compose(lead -> lead.iterator().next().getBoolean("leading")
        ? tx.preparedQuery(CLAIM).execute(Tuple.of(batchSize)).map(OutboxRelay::events).compose(events -> send(tx, events))
        : Future.succeededFuture(new KafkaSink.Sent(List.of(), null))))
        .compose(sent -> sent.failure() == null
            ? Future.succeededFuture(sent.acknowledged().size())
            : Future.failedFuture(sent.failure()));
  }

  private Future<KafkaSink.Sent> send(SqlConnection tx, List<OutboxRelay.Relayed> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture(new KafkaSink.Sent(events, null));
    }
    return sink.send(events).compose(sent -> sent.acknowledged().isEmpty() ? Future.succeededFuture(sent)
        : tx.preparedQuery(SENT).execute(Tuple.of(OutboxRelay.seqs(sent.acknowledged()))).map(sent));
  }

  /** Outbox rows not yet on the topic (counted up to a bound, so a huge backlog stays cheap to ask about). */
  Future<Long> lag() {
    return pool.preparedQuery(LAG).execute(Tuple.of(LAG_COUNTED_MAX)).map(rows -> rows.iterator().next().getLong(0));
  }
}
