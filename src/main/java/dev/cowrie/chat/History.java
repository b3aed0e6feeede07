package dev.cowrie.chat;

import dev.cowrie.http.Page;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/** History read backwards from a seq ({@code ?before_seq=}), the mirror of {@code ?after_seq=}: newest first. */
final class History {
  static final String LIST_BEFORE_SEQ = """
      SELECT id, room_id, seq, sender_username, kind, text, data, created_at
        FROM chat_messages WHERE room_id = $1 AND merchant_id = $2 AND mode = $3 AND seq < $4
      ORDER BY seq DESC LIMIT $5""";

  private History() {}

  static Future<JsonObject> before(SqlClient sql, String merchantId, String mode, String roomId, long beforeSeq, Page page) {
    return sql.preparedQuery(LIST_BEFORE_SEQ).execute(Tuple.of(roomId, merchantId, mode, beforeSeq, page.limit() + 1))
        .map(rows -> {
          JsonArray list = new JsonArray();
          rows.forEach(row -> list.add(Messages.json(row)));
          return page.envelope(list);
        });
  }
}
