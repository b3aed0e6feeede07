package dev.cowrie.chat;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.security.Principal;
import dev.cowrie.store.RedisStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Supplier;

/**
 * De-duplicates messages posted over the socket by their {@code client_id} (per sender and room,
 * kept {@link #KEEP_SECONDS}): the first post claims the id in Redis, a repeat is answered with the
 * message the first one stored, so a client that resends after a dropped ack stores it once.
 */
final class ClientIds {
  static final int KEEP_SECONDS = 24 * 3600;
  private static final String PENDING = "pending";

  private final RedisStore redis;

  ClientIds(RedisStore redis) {
    this.redis = redis;
  }

  Future<JsonObject> once(Principal sender, String roomId, String clientId, Supplier<Future<JsonObject>> post) {
    String key = redis.key("chat_client", sender.userId(), roomId, clientId);
    return redis.api().set(List.of(key, PENDING, "NX", "EX", String.valueOf(KEEP_SECONDS))).compose(claimed -> claimed != null
        ? post.get()
            .compose(stored -> redis.api().set(List.of(key, new JsonObject().put("id", stored.getString("id"))
                .put("seq", stored.getLong("seq")).encode(), "EX", String.valueOf(KEEP_SECONDS))).map(stored))
            .recover(failure -> redis.api().del(List.of(key)).transform(ignored -> Future.failedFuture(failure)))
        : earlier(key));
  }

  private Future<JsonObject> earlier(String key) {
    return redis.api().get(key).compose(value -> {
      if (value == null || PENDING.equals(value.toString())) {
        return Future.failedFuture(new CowrieError(ErrorCode.IDEMPOTENCY_KEY_IN_USE,
            "A message with this client_id is being stored; wait for its ack.", "client_id"));
      }
      return Future.succeededFuture(new JsonObject(value.toString()).put("duplicate", true));
    });
  }
}
