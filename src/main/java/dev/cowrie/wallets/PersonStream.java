package dev.cowrie.wallets;

import dev.cowrie.security.PersonAddresses;
import dev.cowrie.events.TokenExpiry;
import dev.cowrie.http.Access;
import dev.cowrie.http.Api;
import dev.cowrie.security.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/**
 * {@code GET /v1/me/stream}: one WebSocket per person carrying what concerns them, one JSON frame
 * each: {@code transfer.sent} / {@code transfer.received} (with the transfer id), payment requests
 * answered, and the presence of the people they share a room with. Opened with the Authorization
 * header or a single-use {@code ?ticket=}; closed 1008 when the token expires or is revoked, 4008
 * when the client reads too slowly.
 */
final class PersonStream {
  static final short CLOSE_TOO_SLOW = 4008;
  private static final long PING_INTERVAL_MS = 20_000;
  private static final int WRITE_QUEUE_BYTES_MAX = 1024 * 1024;

  private final Api api;
  private final Vertx vertx;
  private final Clock clock;

  PersonStream(Api api, Clock clock) {
    this.api = api;
    this.clock = clock;
    this.vertx = api.vertx();
  }

  void handshake(RoutingContext ctx) {
    api.authenticator().acceptSocket(ctx, Access.WALLET_USER, (socket, presented) ->
        attach(socket, presented.identity().principal(), presented.credential()));
  }

  private void attach(ServerWebSocket socket, Principal user, String credential) {
    socket.setWriteQueueMaxSize(WRITE_QUEUE_BYTES_MAX);
    MessageConsumer<JsonObject> personal = vertx.eventBus().consumer(WalletsAddresses.person(user.userId()),
        message -> write(socket, message.body()));
    // The chat socket's per-user address also carries presence; this stream takes only that from it.
    MessageConsumer<JsonObject> presence = vertx.eventBus().consumer(PersonAddresses.chatUser(user.userId()), message -> {
      if ("presence".equals(message.body().getString("type"))) {
        write(socket, message.body());
      }
    });
    long ping = vertx.setPeriodic(PING_INTERVAL_MS, tick -> socket.writePing(Buffer.buffer("cowrie")));
    long expiry = TokenExpiry.closeWhenExpired(vertx, socket, credential, clock);
    socket.textMessageHandler(ignored -> { });
    socket.closeHandler(closed -> {
      personal.unregister();
      presence.unregister();
      vertx.cancelTimer(ping);
      vertx.cancelTimer(expiry);
    });
    // One-way but for pings: a pong (like the ready frame) says the stream is subscribed, so nothing after it is missed.
    Future.all(personal.completion(), presence.completion()).onComplete(ready -> {
      if (!socket.isClosed()) {
        socket.textMessageHandler(text -> {
          if (text.contains("\"ping\"")) {
            socket.writeTextMessage(new JsonObject().put("type", "pong").encode());
          }
        });
        socket.writeTextMessage(new JsonObject().put("type", "ready").put("user", user.username()).encode());
      }
    });
  }

  private static void write(ServerWebSocket socket, JsonObject frame) {
    if (socket.isClosed()) {
      return;
    }
    if (socket.writeQueueFull()) {
      socket.close(CLOSE_TOO_SLOW, "client too slow; reconnect and catch up with GET /v1/transfers");
      return;
    }
    socket.writeTextMessage(frame.encode());
  }
}
