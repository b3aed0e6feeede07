package dev.cowrie.chat;

import dev.cowrie.common.Bus;
import dev.cowrie.common.Secrets;
import dev.cowrie.events.TokenExpiry;
import dev.cowrie.http.Access;
import dev.cowrie.http.Api;
import dev.cowrie.http.Authenticator;
import dev.cowrie.security.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chat WebSocket of one HTTP verticle instance. The handshake is authenticated by the
 * Authorization header or a single-use {@code ?ticket=} (never a token in the URL, which would land in logs); each socket listens
 * on its user's address (presence) and on the room-frames address (messages, one bus message per
 * stored batch, each frame already encoded); a heartbeat keeps this instance's sockets present in
 * Redis. A socket is closed (1008) when the access token it was opened with expires, and (4008)
 * when it falls behind: it then resumes from the last seq it saw.
 */
final class ChatSockets {
  static final int HEARTBEAT_BATCH_MAX = 500;
  private final Clock clock;
  private final Vertx vertx;
  private final Authenticator authenticator;
  private final long timeoutMs;
  private final int framesPendingMax;
  private final Map<String, JsonObject> live = new LinkedHashMap<>();
  /** This instance's open sockets by user id: where a batch of room frames goes. */
  private final Map<String, List<ChatOutlet>> outlets = new HashMap<>();
  private final Future<Void> framesReady;
  private final SocketPosts posts;

  ChatSockets(Api api, long heartbeatMs, long timeoutMs, int framesPendingMax, int textCharsMax, Clock clock) {
    this.clock = clock;
    this.vertx = api.vertx();
    this.posts = new SocketPosts(vertx, timeoutMs, textCharsMax, clock);
    this.authenticator = api.authenticator();
    this.timeoutMs = timeoutMs;
    this.framesPendingMax = framesPendingMax;
    vertx.setPeriodic(heartbeatMs, id -> heartbeat());
    framesReady = vertx.eventBus().<JsonObject>consumer(ChatAddresses.FRAMES, message -> deliver(message.body())).completion();
  }

  void handle(RoutingContext ctx) {
    authenticator.acceptSocket(ctx, Access.WALLET_USER, (socket, presented) ->
        open(socket, presented.identity().principal(), presented.credential()));
  }

  private void open(ServerWebSocket socket, Principal user, String credential) {
    JsonObject connection = new JsonObject().put("merchant_id", user.merchantId()).put("mode", user.mode())
        .put("user_id", user.userId()).put("username", user.username()).put("connection", "ws_" + Secrets.randomToken(12));
    ChatOutlet outlet = new ChatOutlet(socket, framesPendingMax);
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(ChatAddresses.user(user.userId()),
        message -> outlet.send(message.body().encode()));
    long expiry = TokenExpiry.closeWhenExpired(vertx, socket, credential, clock);
    socket.closeHandler(closed -> {
      vertx.cancelTimer(expiry);
      consumer.unregister();
      live.remove(connection.getString("connection"));
      List<ChatOutlet> mine = outlets.get(user.userId());
      if (mine != null && mine.remove(outlet) && mine.isEmpty()) {
        outlets.remove(user.userId());
      }
      Bus.request(vertx, ChatAddresses.DISCONNECTED, new JsonObject().put("connection", connection), timeoutMs);
    });
    socket.textMessageHandler(text -> posts.receive(socket, user, text));
    Future.all(consumer.completion(), framesReady)
        .compose(v -> Bus.request(vertx, ChatAddresses.CONNECTED, new JsonObject().put("connection", connection), timeoutMs))
        .onComplete(done -> {
          if (!socket.isClosed()) {
            live.put(connection.getString("connection"), connection);
            outlets.computeIfAbsent(user.userId(), id -> new ArrayList<>()).add(outlet);
            // Frames after this one are guaranteed: the socket's address is registered.
            socket.writeTextMessage(new JsonObject().put("type", "ready").put("user", user.username())
                .put("connection", connection.getString("connection")).encode());
          }
        });
  }

  /** A batch of stored messages: its frames, in seq order, to this instance's sockets of the room's members. */
  private void deliver(JsonObject batch) {
    JsonArray frames = batch.getJsonArray("frames");
    for (Object member : batch.getJsonArray("members")) {
      List<ChatOutlet> sockets = outlets.get((String) member);
      if (sockets == null) {
        continue;
      }
      for (ChatOutlet outlet : List.copyOf(sockets)) {
        for (Object frame : frames) {
          outlet.send((String) frame);
        }
      }
    }
  }

  private void heartbeat() {
    List<JsonObject> all = new ArrayList<>(live.values());
    for (int from = 0; from < all.size(); from += HEARTBEAT_BATCH_MAX) {
      JsonArray batch = new JsonArray(new ArrayList<>(all.subList(from, Math.min(all.size(), from + HEARTBEAT_BATCH_MAX))));
      Bus.request(vertx, ChatAddresses.HEARTBEAT, new JsonObject().put("connections", batch), timeoutMs);
    }
  }
}
