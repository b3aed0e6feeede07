package dev.cowrie.wallets;

import dev.cowrie.common.Bus;
import dev.cowrie.security.AuthAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Recipients by username, from the auth area, remembered briefly: a wallet user's id never changes
 * and users are not deleted, so a cached hit is always right; misses (unknown users) are not cached.
 */
final class Recipients {
  static final int ENTRIES_MAX = 10_000;
  static final long TTL_MS = 60_000;

  private record Entry(JsonObject user, long expiresAtMs) {}

  private final Vertx vertx;
  private final long timeoutMs;
  private final Map<String, Entry> cache = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
      return size() > ENTRIES_MAX;
    }
  };

  private final Clock clock;

  /** {@code clock}: when a remembered recipient is looked up again. */
  Recipients(Vertx vertx, long timeoutMs, Clock clock) {
    this.clock = clock;
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  /** {id, username} of a wallet user of this merchant and mode; fails unknown_recipient (404) otherwise. */
  Future<JsonObject> find(String merchantId, String mode, String username) {
    String key = merchantId + "|" + mode + "|" + username.toLowerCase(Locale.ROOT);
    Entry entry = cache.get(key);
    if (entry != null && entry.expiresAtMs() > clock.millis()) {
      return Future.succeededFuture(entry.user());
    }
    return Bus.<JsonObject>request(vertx, AuthAddresses.FIND_USER, new JsonObject().put("merchant_id", merchantId)
            .put("mode", mode).put("username", username), timeoutMs)
        .onSuccess(user -> cache.put(key, new Entry(user, clock.millis() + TTL_MS)));
  }
}
