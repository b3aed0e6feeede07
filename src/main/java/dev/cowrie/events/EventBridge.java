package dev.cowrie.events;

import dev.cowrie.config.CowrieConfig;
import dev.cowrie.http.Access;
import dev.cowrie.http.Api;
import dev.cowrie.security.AuthAddresses;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The event stream for browsers: a Vert.x SockJS event-bus bridge at {@code /v1/eventbus}. A
 * session authenticates when it opens (Authorization header, or a single-use {@code ?ticket=}
 * because browsers cannot set headers on WebSockets); it may then register for its own merchant's
 * address only. Nothing may be sent inbound.
 */
final class EventBridge {
  private static final int HANDLERS_PER_SOCKET_MAX = 4;

  /** Who each open session is and the credential to re-check when keys change. */
  private record Session(String address, String credential) {}

  private final Clock clock;
  private final Api api;
  private final Vertx vertx;
  private final long busTimeoutMs;
  // Authentication runs while the session opens; the bridge drops frames that arrive before
  // SOCKET_CREATED completes, so that completes at once and registrations wait for the answer.
  private final Map<SockJSSocket, Future<Session>> sessions = new HashMap<>();
  // Sessions opened with a JWT close when it expires (policy violation, as the WebSocket stream does).
  private final Map<SockJSSocket, Long> expiryTimers = new HashMap<>();

  EventBridge(Api api, CowrieConfig config, Clock clock) {
    this.clock = clock;
    this.api = api;
    this.vertx = api.vertx();
    this.busTimeoutMs = config.bus().requestTimeoutMs();
  }

  void mount() {
    SockJSBridgeOptions options = new SockJSBridgeOptions()
        .addOutboundPermitted(new PermittedOptions().setAddressRegex("cowrie\\.events\\.[^.]+\\.(test|live)"))
        .setMaxHandlersPerSocket(HANDLERS_PER_SOCKET_MAX);
    api.router().route("/v1/eventbus/*").subRouter(SockJSHandler.create(vertx).bridge(options, this::guard));
    vertx.eventBus().consumer(AuthAddresses.KEYS_CHANGED, message -> Map.copyOf(sessions).forEach((socket, session) ->
        session.compose(open -> EventStream.stillValid(vertx, open.credential(), busTimeoutMs)).onSuccess(valid -> {
          if (!valid) {
            socket.close(EventStream.CLOSE_REVOKED, "API key revoked");
          }
        })));
  }

  private void guard(BridgeEvent event) {
    switch (event.type()) {
      case SOCKET_CREATED -> {
        SockJSSocket socket = event.socket();
        Future<Session> session = authenticate(socket);
        sessions.put(socket, session);
        session.onFailure(refused -> socket.close(4401, "authentication failed: " + refused.getMessage()));
        session.onSuccess(open -> closeWhenExpired(socket, open.credential()));
        event.complete(true);
      }
      case SOCKET_CLOSED -> {
        sessions.remove(event.socket());
        Long timer = expiryTimers.remove(event.socket());
        if (timer != null) {
          vertx.cancelTimer(timer);
        }
        event.complete(true);
      }
      case REGISTER, RECEIVE -> {
        Future<Session> session = sessions.get(event.socket());
        String address = event.getRawMessage() == null ? null : event.getRawMessage().getString("address");
        if (session == null) {
          event.complete(false);
        } else {
          session.onComplete(open -> event.complete(open.succeeded() && open.result().address().equals(address)));
        }
      }
      case SEND, PUBLISH -> event.complete(false);
      default -> event.complete(true); // pings, idle, unregister, errors
    }
  }

  private void closeWhenExpired(SockJSSocket socket, String credential) {
    long expiresAtMs = TokenExpiry.expiresAtMs(credential);
    if (expiresAtMs >= 0 && sessions.containsKey(socket)) {
      expiryTimers.put(socket, vertx.setTimer(TokenExpiry.msLeft(expiresAtMs, clock), fired -> {
        expiryTimers.remove(socket);
        socket.close(TokenExpiry.CLOSE_EXPIRED, "access token expired");
      }));
    }
  }

  private Future<Session> authenticate(SockJSSocket socket) {
    MultiMap query = socket.routingContext() == null ? MultiMap.caseInsensitiveMultiMap() : socket.routingContext().queryParams();
    return api.authenticator().authenticateSocket(socket.headers().get("Authorization"), query, Access.SECRET)
        .map(presented -> new Session(EventAddresses.stream(presented.identity().principal().merchantId(),
            presented.identity().principal().mode()), presented.credential()));
  }
}
