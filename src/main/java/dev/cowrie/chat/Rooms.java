package dev.cowrie.chat;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Times;
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
import java.util.List;

/** SQL of rooms and their members; the tenant is in every WHERE. */
final class Rooms {
  private Rooms() {}

  /** A room member: user id and username. */
  record Member(String userId, String username) {}

  static Future<JsonObject> create(Pool pool, String id, String merchantId, String mode, String name, Member creator,
      List<Member> members) {
    return Tenancy.transaction(pool, merchantId, tx -> tx.preparedQuery("""
            INSERT INTO chat_rooms (id, merchant_id, mode, name, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING created_at""")
        .execute(Tuple.of(id, merchantId, mode, name, creator.userId()))
        .compose(created -> tx.preparedQuery("""
                INSERT INTO chat_members (room_id, user_id, username, merchant_id, mode) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT DO NOTHING""")
            .executeBatch(members.stream().map(m -> Tuple.of(id, m.userId(), m.username(), merchantId, mode)).toList())
            .map(created.iterator().next().getOffsetDateTime("created_at"))))
        .map(createdAt -> {
          JsonArray names = new JsonArray();
          members.forEach(m -> names.add(m.username()));
          return new JsonObject().put("id", id).put("object", "chat_room").put("name", name).put("members", names)
              .put("created_by", creator.username()).put("created_at", Times.rfc3339(createdAt));
        });
  }

  /** The members of a room, if the caller is one of them; otherwise the room does not exist for them (404). */
  static Future<List<Member>> membersFor(SqlClient sql, String merchantId, String mode, String roomId, String userId, int max) {
    return sql.preparedQuery("""
            SELECT user_id, username FROM chat_members WHERE room_id = $1 AND merchant_id = $2 AND mode = $3
            ORDER BY username LIMIT $4""")
        .execute(Tuple.of(roomId, merchantId, mode, max))
        .compose(rows -> {
          List<Member> members = new ArrayList<>();
          rows.forEach(row -> members.add(new Member(row.getString("user_id"), row.getString("username"))));
          return members.stream().anyMatch(m -> m.userId().equals(userId)) ? Future.succeededFuture(members)
              : Future.failedFuture(CowrieError.notFound("chat room", roomId));
        });
  }

  /** Rooms the user belongs to, newest first, with the user's read marker and unread count (others' messages past it). */
  static Future<JsonObject> listFor(SqlClient sql, String merchantId, String mode, String userId, Page page) {
    return sql.preparedQuery("""
            SELECT r.id, r.name, r.created_at, r.last_seq, m.last_read_seq,
                   (SELECT array_agg(m2.username ORDER BY m2.username) FROM chat_members m2 WHERE m2.room_id = r.id) AS members,
                   (SELECT count(*) FROM chat_messages c WHERE c.room_id = r.id AND c.seq > m.last_read_seq
                      AND c.sender_id <> m.user_id) AS unread
            FROM chat_members m JOIN chat_rooms r ON r.id = m.room_id
            WHERE m.merchant_id = $1 AND m.mode = $2 AND m.user_id = $3 AND r.id < $4
            ORDER BY r.id DESC LIMIT $5""")
        .execute(Tuple.of(merchantId, mode, userId, page.cursor(), page.limit() + 1))
        .map(rows -> {
          JsonArray list = new JsonArray();
          for (Row row : rows) {
            list.add(new JsonObject().put("id", row.getString("id")).put("object", "chat_room").put("name", row.getString("name"))
                .put("members", new JsonArray(List.of(row.getArrayOfStrings("members"))))
                .put("messages", row.getLong("last_seq")).put("last_read_seq", row.getLong("last_read_seq"))
                .put("unread", row.getLong("unread")).put("created_at", Times.rfc3339(row.getOffsetDateTime("created_at"))));
          }
          return page.envelope(list);
        });
  }

  /** Users who share a room with this one: the people presence frames go to. */
  static Future<List<String>> companions(SqlClient sql, String merchantId, String mode, String userId, int max) {
    return sql.preparedQuery("""
            SELECT DISTINCT other.user_id FROM chat_members mine JOIN chat_members other ON other.room_id = mine.room_id
            WHERE mine.merchant_id = $1 AND mine.mode = $2 AND mine.user_id = $3 AND other.user_id <> $3 LIMIT $4""")
        .execute(Tuple.of(merchantId, mode, userId, max))
        .map(rows -> {
          List<String> ids = new ArrayList<>();
          rows.forEach(row -> ids.add(row.getString("user_id")));
          return ids;
        });
  }
}
