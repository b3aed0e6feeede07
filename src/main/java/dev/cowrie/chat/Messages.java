package dev.cowrie.chat;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Times;
import dev.cowrie.events.Outbox;
import dev.cowrie.http.Page;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * SQL of chat messages. A batch of one room's messages is numbered by one bump of the room row's
 * {@code last_seq}: the row lock orders batches (across nodes too), the batch takes consecutive seqs.
 */
final class Messages {
  private static final String COLUMNS = "id, room_id, seq, sender_username, kind, text, data, created_at";

  /** Takes the room's next {@code $4} seqs and stores the batch under them, in the order given. */
  static final String INSERT_BATCH = """
      WITH numbered AS (
        UPDATE chat_rooms SET last_seq = last_seq + $4 WHERE id = $1 AND merchant_id = $2 AND mode = $3 RETURNING last_seq)
      INSERT INTO chat_messages (id, room_id, seq, merchant_id, mode, sender_id, sender_username, kind, text, data)
      SELECT m.id, $1, numbered.last_seq - $4 + m.ord, $2, $3, m.sender_id, m.sender_username, m.kind, m.text, m.data::jsonb
      FROM numbered, unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
        WITH ORDINALITY AS m(id, sender_id, sender_username, kind, text, data, ord)
      RETURNING\s""" + COLUMNS;
  /** Paying messages' holds go in the transaction that stores their receipts. */
  static final String DROP_HOLDS = "DELETE FROM chat_pending_messages WHERE id = ANY($1::text[])";
  static final String LIST_BEFORE = "SELECT " + COLUMNS + """
       FROM chat_messages WHERE room_id = $1 AND merchant_id = $2 AND mode = $3
      AND seq < CASE WHEN $4::text IS NULL THEN 9223372036854775807
                     ELSE (SELECT seq FROM chat_messages WHERE id = $4 AND room_id = $1) END
      ORDER BY seq DESC LIMIT $5""";
  static final String LIST_AFTER_SEQ = "SELECT " + COLUMNS + """
       FROM chat_messages WHERE room_id = $1 AND merchant_id = $2 AND mode = $3 AND seq > $4
      ORDER BY seq LIMIT $5""";

  static final String RECEIPT_OF = "SELECT " + COLUMNS + """
       FROM chat_messages WHERE room_id = $1 AND merchant_id = $2 AND mode = $3 AND kind = 'transfer' AND data->>'id' = $4
      LIMIT 1""";

  private Messages() {}

  /** A message about to be stored. */
  record New(String id, String roomId, String merchantId, String mode, String senderId, String sender, String kind, String text,
      JsonObject data) {}

  /**
   * Stores messages of ONE room in one transaction, numbered consecutively in list order; answers
   * them in seq order. The events commit with the messages, so webhooks and Kafka see exactly the
   * stored messages. Fails as a whole (then nothing is stored) if the room is gone or a row is refused.
   */
  static Future<List<JsonObject>> insertBatch(Pool pool, List<New> batch) {
    New first = batch.get(0);
    List<String> ids = new ArrayList<>();
    List<String> senderIds = new ArrayList<>();
    List<String> senders = new ArrayList<>();
    List<String> kinds = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    List<String> data = new ArrayList<>();
    for (New message : batch) {
      ids.add(message.id());
      senderIds.add(message.senderId());
      senders.add(message.sender());
      kinds.add(message.kind());
      texts.add(message.text());
      data.add(message.data() == null ? null : message.data().encode());
    }
    Tuple params = Tuple.of(first.roomId(), first.merchantId(), first.mode(), batch.size())
        .addArrayOfString(ids.toArray(String[]::new)).addArrayOfString(senderIds.toArray(String[]::new))
        .addArrayOfString(senders.toArray(String[]::new)).addArrayOfString(kinds.toArray(String[]::new))
        .addArrayOfString(texts.toArray(String[]::new)).addArrayOfString(data.toArray(String[]::new));
    return Tenancy.transaction(pool, first.merchantId(), tx -> tx.preparedQuery(INSERT_BATCH).execute(params)
        .compose(rows -> {
          if (rows.rowCount() != batch.size()) {
            return Future.failedFuture(CowrieError.notFound("chat room", first.roomId()));
          }
          List<JsonObject> stored = new ArrayList<>();
          rows.forEach(row -> stored.add(json(row)));
          stored.sort(Comparator.comparingLong(message -> message.getLong("seq")));
          return Future.succeededFuture(stored);
        })
        .compose(stored -> tx.preparedQuery(DROP_HOLDS).execute(Tuple.of(ids.toArray(String[]::new))).map(stored))
        .compose(stored -> Outbox.recordAll(tx, first.merchantId(), first.mode(), "chat.message.created", stored).map(stored)));
  }

  /** Newest first; {@code starting_after} is a message id of this room (an unknown one yields an empty page). */
  static Future<JsonObject> list(SqlClient sql, String merchantId, String mode, String roomId, Page page) {
    return sql.preparedQuery(LIST_BEFORE)
        .execute(Tuple.of(roomId, merchantId, mode, page.startingAfter(), page.limit() + 1))
        .map(rows -> envelope(rows, page));
  }

  /** Oldest first from just after {@code afterSeq}: how a client that was cut off resumes without a gap. */
  static Future<JsonObject> listAfter(SqlClient sql, String merchantId, String mode, String roomId, long afterSeq, Page page) {
    return sql.preparedQuery(LIST_AFTER_SEQ)
        .execute(Tuple.of(roomId, merchantId, mode, afterSeq, page.limit() + 1))
        .map(rows -> envelope(rows, page));
  }

  /** The receipt message of a transfer in this room, or null (a retried paying message looks for its first attempt's). */
  static Future<JsonObject> receiptOf(SqlClient sql, String merchantId, String mode, String roomId, String transferId) {
    return sql.preparedQuery(RECEIPT_OF).execute(Tuple.of(roomId, merchantId, mode, transferId))
        .map(rows -> rows.size() == 0 ? null : json(rows.iterator().next()));
  }

  private static JsonObject envelope(Iterable<Row> rows, Page page) {
    JsonArray list = new JsonArray();
    rows.forEach(row -> list.add(json(row)));
    return page.envelope(list);
  }

  static JsonObject json(Row row) {
    JsonObject message = new JsonObject()
        .put("id", row.getString("id"))
        .put("object", "chat_message")
        .put("room_id", row.getString("room_id"))
        .put("seq", row.getLong("seq"))
        .put("kind", row.getString("kind"))
        .put("sender", row.getString("sender_username"))
        .put("text", row.getString("text"))
        .put("created_at", Times.rfc3339(row.getOffsetDateTime("created_at")));
    JsonObject data = (JsonObject) row.getValue("data");
    if (data != null) {
      message.put(row.getString("kind"), data);
    }
    return message;
  }
}
