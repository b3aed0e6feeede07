package dev.cowrie.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * One pass of the webhook and live-stream relay: claim committed, unrelayed outbox rows
 * ({@code FOR UPDATE SKIP LOCKED}, so any number of nodes relay side by side), create what
 * they owe ({@link EventFanOut}: webhook deliveries), mark them relayed, commit — then publish them on the event bus. It needs
 * nothing but Postgres: Kafka has its own relay ({@link KafkaRelay}), so a broker outage never
 * holds up webhooks or socket frames. A crash before the commit leaves the rows unrelayed, so an
 * event may be relayed twice but never lost.
 */
final class OutboxRelay {
  /** An event as it leaves the outbox. */
  record Relayed(long seq, String id, String merchantId, String mode, String type, JsonObject json) {}

  private static final String CLAIM = """
      SELECT seq, id, merchant_id, mode, type, data, created_at FROM events
      WHERE relayed_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED""";
  // Across tenants on purpose: the relay serves every merchant; the rows are named by their keys.
  private static final String MARK = "UPDATE events SET relayed_at = now() WHERE seq = ANY($1)";
  // With Kafka off nothing is owed to it: the rows the trigger queued for it are dropped.
  private static final String LAG = "SELECT count(*) FROM (SELECT 1 FROM events WHERE relayed_at IS NULL LIMIT $1) owed";
  private static final long LAG_COUNTED_MAX = 10_000_000;
  private static final String NOT_FOR_KAFKA = "DELETE FROM kafka_outbox WHERE seq = ANY($1)";

  private final Vertx vertx;
  private final Pool pool;
  private final boolean kafkaOn;
  private final int batchSize;
  private final EventFanOut fanOut;

  OutboxRelay(Vertx vertx, Pool pool, boolean kafkaOn, int batchSize, EventFanOut fanOut) {
    this.vertx = vertx;
    this.pool = pool;
    this.kafkaOn = kafkaOn;
    this.batchSize = batchSize;
    this.fanOut = fanOut;
  }

  int batchSize() {
    return batchSize;
  }

  /** Relays one batch; answers how many events it relayed. */
  Future<Integer> relayBatch() {
    return pool.withTransaction(tx -> claim(tx).compose(events -> events.isEmpty()
            ? Future.succeededFuture(new Batch(events, 0))
            : relay(tx, events)))
        .map(this::publish);
  }

  private record Batch(List<Relayed> events, int deliveries) {}

  /** The writes run pipelined; the transaction commits only if all succeed. */
  private Future<Batch> relay(SqlConnection tx, List<Relayed> events) {
    Future<Integer> deliveries = fanOut.fanOut(tx, events.stream()
        .map(e -> new EventFanOut.NewEvent(e.id(), e.merchantId(), e.mode(), e.type(), e.json())).toList());
    Future<Void> marked = markRelayed(tx, events);
    Future<Void> unqueued = kafkaOn ? Future.succeededFuture() : tx.preparedQuery(NOT_FOR_KAFKA).execute(Tuple.of(seqs(events))).mapEmpty();
    return Future.all(deliveries, marked, unqueued).map(done -> new Batch(events, deliveries.result()));
  }

  /** Outbox rows not yet relayed (counted up to a bound, so a huge backlog stays cheap to ask about). */
  Future<Long> lag() {
    return pool.preparedQuery(LAG).execute(Tuple.of(LAG_COUNTED_MAX)).map(rows -> rows.iterator().next().getLong(0));
  }

  private Future<List<Relayed>> claim(SqlConnection tx) {
    return tx.preparedQuery(CLAIM).execute(Tuple.of(batchSize)).map(OutboxRelay::events);
  }

  /** Outbox rows (seq, id, merchant_id, mode, type, data, created_at) as they leave, in seq order. */
  static List<Relayed> events(Iterable<Row> rows) {
    List<Relayed> events = new ArrayList<>();
    for (Row row : rows) {
      JsonObject json = Outbox.toJson(row.getString("id"), row.getString("merchant_id"), row.getString("mode"),
          row.getString("type"), row.getOffsetDateTime("created_at"), (JsonObject) row.getJson("data"));
      events.add(new Relayed(row.getLong("seq"), row.getString("id"), row.getString("merchant_id"),
          row.getString("mode"), row.getString("type"), json));
    }
    return events;
  }

  static Long[] seqs(List<Relayed> events) {
    return events.stream().map(Relayed::seq).toArray(Long[]::new);
  }

  private Future<Void> markRelayed(SqlConnection tx, List<Relayed> events) {
    return tx.preparedQuery(MARK).execute(Tuple.of(seqs(events))).mapEmpty();
  }

  /** After the commit: live subscribers get each event; the dispatcher hears there is work. */
  private int publish(Batch batch) {
    for (Relayed event : batch.events()) {
      vertx.eventBus().publish(EventAddresses.stream(event.merchantId(), event.mode()), event.json());
    }
    if (batch.deliveries() > 0) {
      fanOut.nudge(vertx);
    }
    return batch.events().size();
  }
}
