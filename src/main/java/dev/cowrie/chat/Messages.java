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
import java.util.Arrays;

/** SQL of chat messages. Each room numbers its messages (seq) under the room row's lock: that is the room's order. */
final class Messages {
  private static final String COLUMNS = "id, room_id, seq, sender_username, kind, text, data, created_at";

  private Messages() {}

  /** A message about to be stored. */
  record New(String id, String roomId, String merchantId, String mode, String senderId, String sender, String kind, String text,
      JsonObject data) {}

  static Future<JsonObject> insert(Pool pool, New message) {
    return Tenancy.transaction(pool, message.merchantId(), tx -> tx.preparedQuery("""
            UPDATE chat_rooms SET last_seq = last_seq + 1 WHERE id = $1 AND merchant_id = $2 AND mode = $3 RETURNING last_seq""")
        .execute(Tuple.of(message.roomId(), message.merchantId(), message.mode()))
        .compose(seq -> tx.preparedQuery("""
                INSERT INTO chat_messages (id, room_id, seq, merchant_id, mode, sender_id, sender_username, kind, text, data)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING """ + " " + COLUMNS)
            .execute(Tuple.tuple(Arrays.asList(message.id(), message.roomId(), seq.iterator().next().getLong("last_seq"),
                message.merchantId(), message.mode(), message.senderId(), message.sender(), message.kind(), message.text(),
                message.data())))
            .map(rows -> json(rows.iterator().next()))
            // A paying message's pending row goes in the same transaction as its receipt.
            .compose(json -> tx.preparedQuery("DELETE FROM chat_pending_messages WHERE id = $1")
                .execute(Tuple.of(message.id())).map(json))
            // The event commits with the message, so webhooks and Kafka see exactly the stored messages.
            .compose(json -> Outbox.record(tx, message.merchantId(), message.mode(), "chat.message.created", json).map(json))));
  }

  /** Newest first; {@code starting_after} is a message id of this room (an unknown one yields an empty page). */
  static Future<JsonObject> list(SqlClient sql, String merchantId, String mode, String roomId, Page page) {
    return sql.preparedQuery("SELECT " + COLUMNS + """
             FROM chat_messages WHERE room_id = $1 AND merchant_id = $2 AND mode = $3
            AND seq < CASE WHEN $4::text IS NULL THEN 9223372036854775807
                           ELSE (SELECT seq FROM chat_messages WHERE id = $4 AND room_id = $1) END
            ORDER BY seq DESC LIMIT $5""".indent(1))
        .execute(Tuple.of(roomId, merchantId, mode, page.startingAfter(), page.limit() + 1))
        .map(rows -> {
          JsonArray list = new JsonArray();
          rows.forEach(row -> list.add(json(row)));
          return page.envelope(list);
        });
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
