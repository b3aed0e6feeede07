package dev.cowrie.chat;

import dev.cowrie.store.RedisStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.Clock;

/**
 * Who is connected now, in Redis: one sorted set per merchant and mode whose members are
 * {@code userId|username|connectionId} scored by the time they lapse. Sockets refresh their score
 * by heartbeat; a node that crashes stops refreshing, so its users drop out within the TTL.
 */
final class Presence {
  static final int ONLINE_MAX = 1000;
  private final RedisStore redis;
  private final long ttlMs;
  private final Clock clock;

  Presence(RedisStore redis, long ttlMs, Clock clock) {
    this.redis = redis;
    this.clock = clock;
    this.ttlMs = ttlMs;
  }

  private String key(String merchantId, String mode) {
    return redis.key("presence", merchantId, mode);
  }

  private static String member(JsonObject connection) {
    return connection.getString("user_id") + "|" + connection.getString("username") + "|" + connection.getString("connection");
  }

  /** Marks connections alive until now + TTL; each is {merchant_id, mode, user_id, username, connection}. */
  Future<Void> refresh(List<JsonObject> connections) {
    Map<String, List<String>> byKey = new LinkedHashMap<>();
    String until = String.valueOf(clock.millis() + ttlMs);
    for (JsonObject connection : connections) {
      byKey.computeIfAbsent(key(connection.getString("merchant_id"), connection.getString("mode")), k -> new ArrayList<>())
          .addAll(List.of(until, member(connection)));
    }
    List<Future<?>> writes = new ArrayList<>();
    byKey.forEach((key, pairs) -> {
      List<String> args = new ArrayList<>(List.of(key));
      args.addAll(pairs);
      writes.add(redis.api().zadd(args).compose(ok -> redis.api().pexpire(List.of(key, String.valueOf(ttlMs * 2)))));
    });
    return Future.all(writes).mapEmpty();
  }

  Future<Void> remove(JsonObject connection) {
    return redis.api().zrem(List.of(key(connection.getString("merchant_id"), connection.getString("mode")), member(connection)))
        .mapEmpty();
  }

  /** Distinct users with a live connection, oldest lapse first; lapsed entries are swept on the way. */
  Future<JsonObject> online(String merchantId, String mode) {
    String key = key(merchantId, mode);
    String now = String.valueOf(clock.millis());
    return redis.api().zremrangebyscore(key, "-inf", "(" + now)
        .compose(swept -> redis.api().zrangebyscore(List.of(key, now, "+inf", "LIMIT", "0", String.valueOf(ONLINE_MAX))))
        .map(members -> {
          Map<String, JsonObject> users = new LinkedHashMap<>();
          members.forEach(item -> {
            String[] parts = item.toString().split("\\|", 3);
            users.putIfAbsent(parts[0], new JsonObject().put("id", parts[0]).put("object", "user").put("username", parts[1]));
          });
          return new JsonObject().put("object", "list").put("data", new JsonArray(new ArrayList<>(users.values())))
              .put("has_more", members.size() >= ONLINE_MAX);
        });
  }
}
