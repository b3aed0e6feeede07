package dev.cowrie.events;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.http.Access;
import dev.cowrie.http.Api;
import dev.cowrie.security.AuthAddresses;
import dev.cowrie.security.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/**
 * {@code GET /v1/events/stream}: a WebSocket carrying the caller's own events (its merchant and
 * mode), one JSON text frame each. Authenticated at the handshake like any API call (or by a single-use {@code ?ticket=}); pinged so
 * proxies keep it open; closed with 4001 when its API key is revoked, 1008 when the JWT it was
 * opened with expires, 4008 when the client reads too slowly to keep up.
 */
final class EventStream {
  static final short CLOSE_REVOKED = 4001;
  static final short CLOSE_TOO_SLOW = 4008;

  private final Clock clock;
  private final Api api;
  private final Vertx vertx;
  private final long pingIntervalMs;
  private final int queueMax;
  private final long busTimeoutMs;

  EventStream(Api api, CowrieConfig config, Clock clock) {
    this.clock = clock;
    this.api = api;
    this.vertx = api.vertx();
    this.pingIntervalMs = config.webhook().streamPingIntervalMs();
    this.queueMax = config.webhook().streamQueueMax();
    this.busTimeoutMs = config.bus().requestTimeoutMs();
  }

  void mount() {
    api.router().get("/v1/events/stream").handler(this::handshake);
  }

  private void handshake(RoutingContext ctx) {
    api.authenticator().acceptSocket(ctx, Access.SECRET, (socket, presented) ->
        attach(socket, presented.identity().principal(), presented.credential()));
  }

  private void attach(ServerWebSocket socket, Principal principal, String credential) {
    socket.setWriteQueueMaxSize(queueMax * 1024);
    MessageConsumer<JsonObject> events = vertx.eventBus().consumer(EventAddresses.stream(principal.merchantId(), principal.mode()),
        message -> {
          if (socket.isClosed()) {
            return; // a message already on its way when the socket closed (the consumer is unregistering)
          }
          if (socket.writeQueueFull()) {
            socket.close(CLOSE_TOO_SLOW, "client too slow; reconnect and catch up with GET /v1/events");
            return;
          }
          socket.writeTextMessage(message.body().encode());
        });
    MessageConsumer<JsonObject> keys = vertx.eventBus().consumer(AuthAddresses.KEYS_CHANGED,
        message -> stillValid(vertx, credential, busTimeoutMs).onSuccess(valid -> {
          if (!valid) {
            socket.close(CLOSE_REVOKED, "API key revoked");
          }
        }));
    long ping = vertx.setPeriodic(pingIntervalMs, tick -> socket.writePing(Buffer.buffer("cowrie")));
    long expiry = TokenExpiry.closeWhenExpired(vertx, socket, credential, clock);
    socket.textMessageHandler(ignored -> { }); // the stream is one-way; what clients say is ignored
    socket.closeHandler(closed -> {
      events.unregister();
      keys.unregister();
      vertx.cancelTimer(ping);
      vertx.cancelTimer(expiry);
    });
  }

  /**
   * Asks the AuthVerticle directly (not the Authenticator's cache, which may not have heard of
   * the change yet) whether an API key still works; JWTs are not revoked by key changes.
   */
  static Future<Boolean> stillValid(Vertx vertx, String credential, long timeoutMs) {
    if (!credential.startsWith("sk_")) {
      return Future.succeededFuture(true);
    }
    return vertx.eventBus().request(AuthAddresses.AUTHENTICATE_KEY, new JsonObject().put("key", credential),
            Bus.command(timeoutMs))
        .map(valid -> true)
        .recover(failure -> {
          CowrieError error = CowrieError.from(failure);
          return error.code == ErrorCode.INVALID_API_KEY
              ? Future.succeededFuture(false) : Future.failedFuture(error); // unsure: keep the socket
        });
  }
}
