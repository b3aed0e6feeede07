package dev.cowrie.events;

import dev.cowrie.security.AuthAddresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;

/**
 * Closes a WebSocket opened with a JWT when that token's {@code exp} passes: the handshake checked
 * the token once, and a socket must not outlive the credential it was opened with. API keys have
 * no expiry (their revocation is handled by the key-change notices).
 */
public final class TokenExpiry {
  /** Policy violation (RFC 6455): the credential no longer allows this connection. */
  public static final short CLOSE_EXPIRED = 1008;

  private TokenExpiry() {}

  /**
   * Arms a timer that closes the socket when the token expires; answers its id, or -1 when the
   * credential is not a JWT with an {@code exp}. Only call after the token was verified; the
   * caller cancels the timer in its close handler (a socket has one). {@code clock} says how long is left.
   */
  public static long closeWhenExpired(Vertx vertx, ServerWebSocket socket, String credential, Clock clock) {
    long expiresAtMs = expiresAtMs(credential);
    if (expiresAtMs < 0) {
      return -1;
    }
    String sessionId = claims(credential).getString("sid");
    // Lives no longer than the token: unregistered when revoked or expired, whichever comes first.
    MessageConsumer<JsonObject> revocation = sessionId == null ? null
        : vertx.eventBus().localConsumer(AuthAddresses.sessionRevoked(sessionId), revoked -> {
          if (!socket.isClosed()) {
            socket.close(CLOSE_EXPIRED, "access token revoked");
          }
        });
    return vertx.setTimer(msLeft(expiresAtMs, clock), fired -> {
      if (revocation != null) {
        revocation.unregister();
      }
      if (!socket.isClosed()) {
        socket.close(CLOSE_EXPIRED, "access token expired");
      }
    });
  }

  /** How long until {@code expiresAtMs} by {@code clock}; at least 1 (a timer's minimum). */
  static long msLeft(long expiresAtMs, Clock clock) {
    return Math.max(1, expiresAtMs - clock.millis());
  }

  /** The {@code exp} of a (verified) JWT in epoch milliseconds, or -1 for anything else. */
  static long expiresAtMs(String credential) {
    if (credential == null || credential.startsWith("sk_") || credential.startsWith("pk_")) {
      return -1;
    }
    try {
      Long exp = claims(credential).getLong("exp");
      return exp == null ? -1 : exp * 1000;
    } catch (RuntimeException notAJwt) {
      return -1;
    }
  }

  /** The claims of a (verified) JWT; empty for anything that is not one. */
  private static JsonObject claims(String credential) {
    String[] parts = credential.split("\\.");
    if (parts.length != 3) {
      return new JsonObject();
    }
    try {
      return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    } catch (RuntimeException notAJwt) {
      return new JsonObject();
    }
  }
}
