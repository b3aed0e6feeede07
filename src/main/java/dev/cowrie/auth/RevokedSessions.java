package dev.cowrie.auth;

import dev.cowrie.security.AuthAddresses;
import dev.cowrie.store.RedisStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions whose access tokens no longer count. An access token names its login session (the
 * refresh-token family, claim {@code sid}); logout and a detected refresh-token reuse revoke that
 * session here, in Redis, for as long as any of its access tokens can live, and every request and
 * socket handshake that presents a JWT checks it. Kept in Redis so every node sees it at once.
 */
public final class RevokedSessions {
  private static final Logger log = LoggerFactory.getLogger(RevokedSessions.class);
  private final Vertx vertx;
  private final RedisStore redis;
  private final int accessTtlSeconds;

  public RevokedSessions(Vertx vertx, RedisStore redis, int accessTtlSeconds) {
    this.vertx = vertx;
    this.redis = redis;
    this.accessTtlSeconds = accessTtlSeconds;
  }

  private String key(String sessionId) {
    return redis.key("revoked_session", sessionId);
  }

  /** Revokes the session; its access tokens fail from the next request on, and its open sockets are closed. */
  Future<Void> revoke(String sessionId) {
    // One second past the longest access token life, so no token of the session outlives the mark.
    return redis.api().set(List.of(key(sessionId), "1", "EX", String.valueOf(accessTtlSeconds + 1)))
        .onSuccess(done -> vertx.eventBus().publish(AuthAddresses.SESSION_REVOKED, new JsonObject().put("sid", sessionId)))
        .mapEmpty();
  }

  /**
   * Whether the session was revoked. When Redis cannot answer, the token is accepted (and the
   * failure logged): like the rate limiter, an outage of Redis must not lock every user out, and a
   * token still dies at its short expiry.
   */
  Future<Boolean> isRevoked(String sessionId) {
    return redis.api().exists(List.of(key(sessionId)))
        .map(found -> found != null && found.toInteger() > 0)
        .recover(failure -> {
          log.warn("Cannot check access-token revocation in Redis ({}); accepting the token until its expiry", failure.getMessage());
          return Future.succeededFuture(false);
        });
  }
}
