package dev.cowrie.chat;

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
import java.util.function.Function;

/**
 * SQL of chat messages. A batch of one room's messages is numbered by one bump of the room row's
 * {@code last_seq}: the row lock orders batches (across nodes too), the batch takes consecutive seqs.
 */
final class Messages {
  private static final String COLUMNS = "id, room_id, seq, sender_username, kind, text, data, created_at";

  /**
   * Stores the posts whose sender is a member of the room, numbered consecutively in list order
   * under the room's next seqs (one bump of {@code last_seq}); posts of non-members are left out.
   * The member check is part of the insert: one statement per batch instead of a query per post.
   */
  static final String INSERT_BATCH = """
      WITH posted AS (
        SELECT m.*, row_number() OVER (ORDER BY m.ord) AS n
        FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
          WITH ORDINALITY AS m(id, sender_id, sender_username, kind, text, data, ord)
        WHERE EXISTS (SELECT 1 FROM chat_members c
          WHERE c.room_id = $1 AND c.merchant_id = $2 AND c.mode = $3 AND c.user_id = m.sender_id)),
      numbered AS (
        UPDATE chat_rooms SET last_seq = last_seq + (SELECT count(*) FROM posted)
        WHERE id = $1 AND merchant_id = $2 AND mode = $3 RETURNING last_seq)
      INSERT INTO chat_messages (id, room_id, seq, merchant_id, mode, sender_id, sender_username, kind, text, data)
      SELECT p.id, $1, numbered.last_seq - (SELECT count(*) FROM posted) + p.n, $2, $3, p.sender_id, p.sender_username,
        p.kind, p.text, p.data::jsonb
      FROM numbered, posted p
      RETURNING\s""" + COLUMNS;
  /** Who hears a stored batch: the room's members as of its transaction. */
  static final String MEMBERS = """
      SELECT user_id, username FROM chat_members WHERE room_id = $1 AND merchant_id = $2 AND mode = $3
      ORDER BY username LIMIT $4""";
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

  /** A stored batch: its messages in seq order, and the members of the room when it committed. */
  record Stored(List<JsonObject> messages, List<Rooms.Member> members) {}

  /**
   * Stores messages of ONE room in one transaction, numbered consecutively in list order; answers
   * those stored, in seq order (a post whose sender is not a member is not stored: it is missing
   * from the answer), and the room's members. The events commit with the messages, so webhooks and
   * Kafka see exactly the stored messages. Fails as a whole (then nothing is stored) if a row is refused.
   */
  static Future<Stored> insertBatch(Pool pool, List<New> batch, int membersMax) {
    New first = batch.get(0);
    Tuple params = Tuple.of(first.roomId(), first.merchantId(), first.mode())
        .addArrayOfString(column(batch, New::id)).addArrayOfString(column(batch, New::senderId))
        .addArrayOfString(column(batch, New::sender)).addArrayOfString(column(batch, New::kind))
        .addArrayOfString(column(batch, New::text))
        .addArrayOfString(column(batch, message -> message.data() == null ? null : message.data().encode()));
    return Tenancy.transaction(pool, first.merchantId(), tx -> {
      // Both statements go out at once (the connection pipelines them); the member list is read once per batch.
      Future<List<JsonObject>> inserted = tx.preparedQuery(INSERT_BATCH).execute(params).map(rows -> {
        List<JsonObject> stored = new ArrayList<>();
        rows.forEach(row -> stored.add(json(row)));
        stored.sort(Comparator.comparingLong(message -> message.getLong("seq")));
        return stored;
      });
      Future<List<Rooms.Member>> members = tx.preparedQuery(MEMBERS)
          .execute(Tuple.of(first.roomId(), first.merchantId(), first.mode(), membersMax))
          .map(rows -> {
            List<Rooms.Member> list = new ArrayList<>();
            rows.forEach(row -> list.add(new Rooms.Member(row.getString("user_id"), row.getString("username"))));
            return list;
          });
      return Future.all(inserted, members)
          .compose(both -> afterInsert(tx, first, batch, inserted.result()))
          .map(ignored -> new Stored(inserted.result(), members.result()));
    });
  }

  /** Drops paying messages' holds (only a batch with a transfer has any) and records the events. */
  private static Future<Void> afterInsert(SqlClient tx, New first, List<New> batch, List<JsonObject> stored) {
    if (stored.isEmpty()) {
      return Future.succeededFuture();
    }
    Future<?> holds = batch.stream().anyMatch(message -> "transfer".equals(message.kind()))
        ? tx.preparedQuery(DROP_HOLDS).execute(Tuple.of((Object) column(batch, New::id)))
        : Future.succeededFuture();
    return holds.compose(ignored -> Outbox.recordAll(tx, first.merchantId(), first.mode(), "chat.message.created", stored));
  }

  private static String[] column(List<New> batch, Function<New, String> field) {
    return batch.stream().map(field).toArray(String[]::new);
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
