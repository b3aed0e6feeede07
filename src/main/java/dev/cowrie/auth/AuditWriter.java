package dev.cowrie.auth;

import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Group commit of audit rows, one queue per merchant: while a merchant's rows commit, the next ones
 * wait and are then written together in one transaction (its tenant set once), so a busy merchant
 * pays one transaction and one fsync per batch instead of one per request. Each entry still answers
 * only once its row is committed, so a client that sees 2xx can find it. Operators' entries (no
 * merchant) go through the system role. Runs on its verticle's event loop only.
 */
final class AuditWriter {
  static final String INSERT = """
      INSERT INTO audit_log (actor, merchant_id, mode, action, target, status, ip, user_agent, request_id)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""";
  private static final int BATCH_MAX = 200;
  private static final int USER_AGENT_CHARS_MAX = 512;
  /** The queue key of operators' entries (a merchant id is never empty). */
  private static final String OPERATOR = "";

  private record Entry(JsonObject fields, Promise<Void> written) {}

  private final Pool pool;
  private final Pool system;
  /** Merchants with a batch in flight, and the entries waiting behind it. */
  private final Map<String, ArrayDeque<Entry>> busy = new HashMap<>();

  AuditWriter(Pool pool, Pool system) {
    this.pool = pool;
    this.system = system;
  }

  /** Completes when the entry's row is committed. */
  Future<Void> write(JsonObject fields) {
    String merchant = fields.getString("merchant_id") == null ? OPERATOR : fields.getString("merchant_id");
    Entry entry = new Entry(fields, Promise.promise());
    ArrayDeque<Entry> waiting = busy.get(merchant);
    if (waiting != null) {
      waiting.add(entry);
    } else {
      busy.put(merchant, new ArrayDeque<>());
      flush(merchant, List.of(entry));
    }
    return entry.written().future();
  }

  private void flush(String merchant, List<Entry> batch) {
    Future.succeededFuture(batch).compose(entries -> insert(merchant, entries))
        .onSuccess(done -> batch.forEach(entry -> entry.written().complete()))
        .recover(failure -> batch.size() == 1 ? fail(batch.get(0), failure) : oneByOne(merchant, batch))
        .onComplete(done -> next(merchant));
  }

  /** A refused batch is retried one entry at a time, so one bad entry fails alone. */
  private Future<Void> oneByOne(String merchant, List<Entry> batch) {
    Future<Void> chain = Future.succeededFuture();
    for (Entry entry : batch) {
      chain = chain.compose(ignored -> insert(merchant, List.of(entry))
          .onSuccess(done -> entry.written().complete())
          .recover(failure -> fail(entry, failure)));
    }
    return chain;
  }

  private static Future<Void> fail(Entry entry, Throwable failure) {
    entry.written().fail(failure);
    return Future.succeededFuture();
  }

  private Future<Void> insert(String merchant, List<Entry> entries) {
    List<Tuple> rows = entries.stream().map(entry -> row(entry.fields())).toList();
    return merchant.equals(OPERATOR) ? insertAll(system, rows)
        : Tenancy.transaction(pool, merchant, sql -> insertAll(sql, rows));
  }

  private static Future<Void> insertAll(SqlClient sql, List<Tuple> rows) {
    return sql.preparedQuery(INSERT).executeBatch(rows).mapEmpty();
  }

  private static Tuple row(JsonObject entry) {
    String userAgent = entry.getString("user_agent");
    return Tuple.tuple(Arrays.asList(entry.getString("actor"), entry.getString("merchant_id"),
        entry.getString("mode"), entry.getString("action"), entry.getString("target"), entry.getInteger("status"),
        entry.getString("ip"),
        userAgent == null || userAgent.length() <= USER_AGENT_CHARS_MAX ? userAgent : userAgent.substring(0, USER_AGENT_CHARS_MAX),
        entry.getString("request_id")));
  }

  private void next(String merchant) {
    ArrayDeque<Entry> waiting = busy.get(merchant);
    if (waiting.isEmpty()) {
      busy.remove(merchant);
      return;
    }
    List<Entry> batch = new ArrayList<>();
    while (!waiting.isEmpty() && batch.size() < BATCH_MAX) {
      batch.add(waiting.poll());
    }
    flush(merchant, batch);
  }
}
