package dev.cowrie.http;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Secrets;
import dev.cowrie.security.AuthAddresses;
import dev.cowrie.security.Principal;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Turns the Authorization header into a {@link Principal}: API keys are checked by the
 * AuthVerticle (and cached here briefly; any key change clears every node's cache), JWTs are
 * verified locally, the admin token is compared in constant time.
 */
public final class Authenticator {
  private static final int CACHE_ENTRIES_MAX = 10_000;
  // Short, because a key revoked from the CLI (another process) is only seen when the entry expires.
  private static final long CACHE_TTL_MS = 5_000;

  /** A resolved credential plus the merchant's rate limit overrides (0 = default). */
  public record Identity(Principal principal, int perSecond, int burst) {}

  private record Cached(Identity identity, long expiresAtMs) {}

  /** A socket's handshake, authenticated: who it is and the credential its lifetime follows. */
  public record Presented(Identity identity, String credential) {}

  private final Vertx vertx;
  private final AccessTokens tokens;
  private final String adminToken;
  private final DeliveryOptions busOptions;
  private final Tickets tickets;
  private final Map<String, Cached> keyCache = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
      return size() > CACHE_ENTRIES_MAX;
    }
  };

  private final Clock clock;

  /** {@code clock}: how long a checked API key is remembered before auth is asked again. */
  public Authenticator(Vertx vertx, AccessTokens tokens, Tickets tickets, String adminToken, long busTimeoutMs, Clock clock) {
    this.clock = clock;
    this.vertx = vertx;
    this.tickets = tickets;
    this.tokens = tokens;
    this.adminToken = adminToken;
    this.busOptions = dev.cowrie.common.Bus.command(busTimeoutMs);
    vertx.eventBus().<JsonObject>consumer(AuthAddresses.KEYS_CHANGED, message -> keyCache.clear());
    // Hands a revoked session on to this node's sockets (each listens locally, see TokenExpiry).
    vertx.eventBus().<JsonObject>consumer(AuthAddresses.SESSION_REVOKED, message -> vertx.eventBus().publish(
        AuthAddresses.sessionRevoked(message.body().getString("sid")), message.body(), new DeliveryOptions().setLocalOnly(true)));
  }

  /** The bearer credential of a request: {@code Bearer X}, or Stripe-style Basic with the key as user name. */
  public static String credential(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return null;
    }
    String value = authorization.trim();
    if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return value.substring(7).trim();
    }
    if (value.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return colon >= 0 ? decoded.substring(0, colon) : decoded;
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return null;
  }

  public Future<Identity> authenticate(String credential, Access access) {
    if (credential == null || credential.isEmpty()) {
      return Future.failedFuture(access == Access.WALLET_USER
          ? new CowrieError(ErrorCode.INVALID_TOKEN, "No access token provided. Send 'Authorization: Bearer <token>'.")
          : new CowrieError(ErrorCode.INVALID_API_KEY, "No API key provided. Send 'Authorization: Bearer sk_test_…'."));
    }
    return resolve(credential).compose(identity -> access.kinds.contains(identity.principal().kind())
        ? Future.succeededFuture(identity)
        : Future.failedFuture(new CowrieError(ErrorCode.PERMISSION_DENIED,
            "This credential (" + describe(identity.principal().kind()) + ") may not call this endpoint.")));
  }

  public Tickets tickets() {
    return tickets;
  }

  /**
   * A WebSocket handshake on {@code ctx}: a plain request is refused; the request is held while
   * the credential is checked (a revoked session lives in Redis), then upgraded and handed to
   * {@code open}. A failure before the upgrade answers the error object.
   */
  public void acceptSocket(RoutingContext ctx, Access access, BiConsumer<ServerWebSocket, Presented> open) {
    if (!ctx.request().canUpgradeToWebSocket()) {
      ctx.fail(new CowrieError(ErrorCode.INVALID_REQUEST,
          ctx.request().path() + " is a WebSocket: connect with 'Upgrade: websocket'."));
      return;
    }
    ctx.request().pause();
    authenticateSocket(ctx.request().getHeader("Authorization"), ctx.queryParams(), access)
        .compose(presented -> ctx.request().toWebSocket().map(socket -> {
          open.accept(socket, presented);
          return socket;
        }))
        .onFailure(failure -> {
          if (!ctx.response().ended() && !ctx.response().headWritten()) {
            ctx.fail(failure);
          }
        });
  }

  /**
   * Authenticates a socket handshake by its Authorization header or, for browsers, a single-use
   * {@code ?ticket=}. Long-lived credentials in the query string are refused: URLs end up in logs.
   */
  public Future<Presented> authenticateSocket(String authorization, MultiMap query, Access access) {
    if (query.contains("access_token")) {
      return Future.failedFuture(new CowrieError(ErrorCode.PARAMETER_INVALID, "Access tokens are not accepted in the URL "
          + "(they end up in logs): send the Authorization header, or ?ticket= from POST /v1/realtime/tickets.", "access_token"));
    }
    String header = credential(authorization);
    Future<String> credential = header != null || !query.contains("ticket")
        ? Future.succeededFuture(header)
        : tickets.redeem(query.get("ticket")).map(Tickets.Redeemed::credential);
    return credential.compose(presented -> authenticate(presented, access).map(identity -> new Presented(identity, presented)));
  }

  private Future<Identity> resolve(String credential) {
    if (credential.startsWith("sk_") || credential.startsWith("pk_")) {
      return apiKey(credential);
    }
    if (!adminToken.isEmpty() && Secrets.constantTimeEquals(adminToken, credential)) {
      return Future.succeededFuture(new Identity(Principal.admin(), 0, 0));
    }
    if (credential.chars().filter(c -> c == '.').count() == 2) {
      return tokens.verify(credential).map(principal -> new Identity(principal, 0, 0));
    }
    return Future.failedFuture(new CowrieError(ErrorCode.INVALID_API_KEY, "Invalid API key provided."));
  }

  private Future<Identity> apiKey(String key) {
    String hash = Secrets.sha256Hex(key);
    Cached cached = keyCache.get(hash);
    if (cached != null && cached.expiresAtMs() > clock.millis()) {
      return Future.succeededFuture(cached.identity());
    }
    return vertx.eventBus().<JsonObject>request(AuthAddresses.AUTHENTICATE_KEY, new JsonObject().put("key", key), busOptions)
        .map(reply -> {
          JsonObject body = reply.body();
          Identity identity = new Identity(Principal.fromJson(body.getJsonObject("principal")),
              java.util.Objects.requireNonNullElse(body.getInteger("rate_limit_per_second"), 0),
              java.util.Objects.requireNonNullElse(body.getInteger("rate_limit_burst"), 0));
          keyCache.put(hash, new Cached(identity, clock.millis() + CACHE_TTL_MS));
          return identity;
        });
  }

  private static String describe(Principal.Kind kind) {
    return switch (kind) {
      case SECRET_KEY -> "a secret key";
      case PUBLISHABLE_KEY -> "a publishable key";
      case DASHBOARD_USER -> "a dashboard user's token";
      case WALLET_USER -> "a wallet user's token";
      case ADMIN -> "the admin token";
      case SYSTEM -> "a gateway worker";
    };
  }
}
