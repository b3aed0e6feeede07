package dev.cowrie.chat;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.security.AuthAddresses;
import dev.cowrie.security.Principal;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * Who is in a room after it was made: the owner (its creator) adds and removes members, anyone
 * leaves, and each member keeps a read marker. Every change is told live to the members before
 * and after it ({@code {"type":"member","event":"added|removed|left"}} frames).
 */
final class Membership {
  static final String OWNER_OF = "SELECT created_by, name FROM chat_rooms WHERE id = $1 AND merchant_id = $2 AND mode = $3";
  static final String ADD = """
      INSERT INTO chat_members (room_id, user_id, username, merchant_id, mode) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT DO NOTHING""";
  static final String REMOVE = """
      DELETE FROM chat_members WHERE room_id = $1 AND merchant_id = $2 AND mode = $3 AND lower(username) = lower($4)
      RETURNING user_id, username""";
  static final String MARK_READ = """
      UPDATE chat_members m SET last_read_seq = GREATEST(m.last_read_seq, LEAST($5, r.last_seq))
      FROM chat_rooms r WHERE r.id = m.room_id AND m.room_id = $1 AND m.merchant_id = $2 AND m.mode = $3 AND m.user_id = $4
      RETURNING m.last_read_seq, r.last_seq""";

  private record Room(String ownerId, String name, List<Rooms.Member> members) {}

  private final Vertx vertx;
  private final Pool pool;
  private final int membersMax;
  private final long timeoutMs;

  Membership(Vertx vertx, Pool pool, int membersMax, long timeoutMs) {
    this.vertx = vertx;
    this.pool = pool;
    this.membersMax = membersMax;
    this.timeoutMs = timeoutMs;
  }

  Future<JsonObject> add(Principal owner, String roomId, String username) {
    return Bus.<JsonObject>request(vertx, AuthAddresses.FIND_USER, new JsonObject().put("merchant_id", owner.merchantId())
            .put("mode", owner.mode()).put("username", username), timeoutMs)
        .recover(failure -> Future.failedFuture(new CowrieError(ErrorCode.UNKNOWN_RECIPIENT, "No such user: '" + username + "'.", "username")))
        .compose(found -> Tenancy.transaction(pool, owner.merchantId(), sql -> room(sql, owner, roomId)
            .compose(room -> {
              requireOwner(owner, room, "add members");
              if (room.members().size() >= membersMax) {
                throw CowrieError.invalid("username", "A room has at most " + membersMax + " members.");
              }
              return sql.preparedQuery(ADD).execute(Tuple.of(roomId, found.getString("id"), found.getString("username"),
                  owner.merchantId(), owner.mode())).compose(ok -> room(sql, owner, roomId));
            })))
        .map(room -> tell(room, roomId, "added", username, List.of()));
  }

  /** The owner removes anyone; anyone removes themselves (leaving). */
  Future<JsonObject> remove(Principal user, String roomId, String username) {
    boolean leaving = username.equalsIgnoreCase(user.username());
    return Tenancy.transaction(pool, user.merchantId(), sql -> room(sql, user, roomId).compose(before -> {
      if (!leaving) {
        requireOwner(user, before, "remove other members");
      }
      return sql.preparedQuery(REMOVE).execute(Tuple.of(roomId, user.merchantId(), user.mode(), username)).map(rows -> {
        if (rows.size() == 0) {
          throw new CowrieError(ErrorCode.RESOURCE_MISSING, "'" + username + "' is not a member of this room.", "username");
        }
        return before;
      });
    })).map(before -> {
      List<Rooms.Member> after = before.members().stream().filter(m -> !m.username().equalsIgnoreCase(username)).toList();
      Room now = new Room(before.ownerId(), before.name(), after);
      List<Rooms.Member> gone = before.members().stream().filter(m -> m.username().equalsIgnoreCase(username)).toList();
      return tell(now, roomId, leaving ? "left" : "removed", username, gone);
    });
  }

  Future<JsonObject> markRead(Principal user, String roomId, long seq) {
    return Tenancy.transaction(pool, user.merchantId(), sql -> room(sql, user, roomId)
        .compose(room -> sql.preparedQuery(MARK_READ).execute(Tuple.of(roomId, user.merchantId(), user.mode(), user.userId(), seq))))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new JsonObject().put("object", "chat_read_marker").put("room_id", roomId)
              .put("last_read_seq", row.getLong("last_read_seq")).put("last_seq", row.getLong("last_seq"));
        });
  }

  /** The room as the caller sees it: 404 unless the caller is a member. */
  private Future<Room> room(SqlClient sql, Principal user, String roomId) {
    return Rooms.membersFor(sql, user.merchantId(), user.mode(), roomId, user.userId(), membersMax + 1)
        .compose(members -> sql.preparedQuery(OWNER_OF).execute(Tuple.of(roomId, user.merchantId(), user.mode()))
            .map(rows -> new Room(rows.iterator().next().getString("created_by"), rows.iterator().next().getString("name"), members)));
  }

  private static void requireOwner(Principal user, Room room, String what) {
    if (!room.ownerId().equals(user.userId())) {
      throw new CowrieError(ErrorCode.PERMISSION_DENIED, "Only the room's owner may " + what + ".");
    }
  }

  /** Tells the members (and whoever just left) what changed; answers the room as it is now. */
  private JsonObject tell(Room room, String roomId, String event, String username, List<Rooms.Member> departed) {
    JsonArray names = new JsonArray();
    room.members().forEach(member -> names.add(member.username()));
    JsonObject frame = new JsonObject().put("type", "member").put("event", event).put("room_id", roomId)
        .put("user", new JsonObject().put("username", username)).put("members", names);
    room.members().forEach(member -> vertx.eventBus().publish(ChatAddresses.user(member.userId()), frame));
    departed.forEach(member -> vertx.eventBus().publish(ChatAddresses.user(member.userId()), frame));
    return new JsonObject().put("id", roomId).put("object", "chat_room").put("name", room.name()).put("members", names);
  }
}
