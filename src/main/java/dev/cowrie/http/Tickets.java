package dev.cowrie.http;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Secrets;
import dev.cowrie.store.RedisStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Short-lived, single-use connection tickets for sockets a browser opens (it cannot set an
 * Authorization header on a WebSocket, and a long-lived token in a URL ends up in logs). A ticket
 * stands for the credential that asked for it, for at most {@link #TTL_SECONDS_MAX} seconds; Redis holds it
 * under its hash, and GETDEL makes redeeming it and burning it one step.
 */
public final class Tickets {
  public static final int TTL_SECONDS_MAX = 60;
  public static final String PREFIX = "tkt_";

  /** What a redeemed ticket stands for: the credential to authenticate the socket with. */
  record Redeemed(String credential) {}

  private final RedisStore redis;
  private final Clock clock;
  private final int ttlSeconds;

  public Tickets(RedisStore redis, Clock clock, int ttlSeconds) {
    if (ttlSeconds < 1 || ttlSeconds > TTL_SECONDS_MAX) {
      throw new IllegalArgumentException("auth.ticket_ttl_seconds must be 1.." + TTL_SECONDS_MAX + ", not " + ttlSeconds);
    }
    this.redis = redis;
    this.clock = clock;
    this.ttlSeconds = ttlSeconds;
  }

  /** Issues a ticket for a credential that was just authenticated: {@code {ticket, expires_at}}. */
  public Future<JsonObject> issue(String credential) {
    String ticket = PREFIX + Secrets.randomToken(24);
    Instant expiresAt = clock.instant().plusSeconds(ttlSeconds);
    // Redis forgets it after the TTL; the clock decides (so a moved clock is obeyed, as everywhere else).
    JsonObject stored = new JsonObject().put("credential", credential).put("expires_at_ms", expiresAt.toEpochMilli());
    return redis.api().set(List.of(key(ticket), stored.encode(), "EX", String.valueOf(ttlSeconds), "NX"))
        .map(ok -> new JsonObject().put("object", "realtime_ticket").put("ticket", ticket)
            .put("expires_at", expiresAt.toString()));
  }

  /** Burns the ticket and answers what it stood for; unknown, used and expired tickets are one clear 401. */
  Future<Redeemed> redeem(String ticket) {
    if (ticket == null || !ticket.startsWith(PREFIX) || ticket.length() > 100) {
      return Future.failedFuture(refused());
    }
    return redis.api().getdel(key(ticket)).compose(stored -> {
      JsonObject found = stored == null ? null : new JsonObject(stored.toString());
      return found == null || clock.millis() >= found.getLong("expires_at_ms", 0L)
          ? Future.failedFuture(refused())
          : Future.succeededFuture(new Redeemed(found.getString("credential")));
    });
  }

  private String key(String ticket) {
    return redis.key("ticket", Secrets.sha256Hex(ticket));
  }

  private static CowrieError refused() {
    return new CowrieError(ErrorCode.INVALID_TOKEN,
        "The ticket is unknown, expired or already used; get a new one with POST /v1/realtime/tickets.", "ticket");
  }
}
