package dev.cowrie.chat;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Input;
import dev.cowrie.security.Principal;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * What a client says on the chat socket: {@code {"type":"ping"}} and
 * {@code {"type":"message","room","kind","text","client_id"}}, answered by
 * {@code {"type":"ack","client_id","seq"}} once stored (or {@code {"type":"error","client_id","error"}}).
 * A frame that is not a JSON object with a known type closes the socket with {@link #CLOSE_BAD_FRAME}.
 */
final class SocketPosts {
  /** RFC 6455 "invalid frame payload data". */
  static final short CLOSE_BAD_FRAME = 1007;
  static final int CLIENT_ID_CHARS_MAX = 100;

  private final Vertx vertx;
  private final long timeoutMs;
  private final int textCharsMax;

  private final java.time.Clock clock;

  /** {@code clock}: the window a payment request's expiry must fall in (as over the API). */
  SocketPosts(Vertx vertx, long timeoutMs, int textCharsMax, java.time.Clock clock) {
    this.clock = clock;
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
    this.textCharsMax = textCharsMax;
  }

  void receive(ServerWebSocket socket, Principal user, String text) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (DecodeException | ClassCastException notAnObject) {
      socket.close(CLOSE_BAD_FRAME, "bad frame: not a JSON object");
      return;
    }
    Object type = frame.getValue("type");
    if ("ping".equals(type)) {
      socket.writeTextMessage(new JsonObject().put("type", "pong").encode());
    } else if ("message".equals(type)) {
      post(socket, user, frame);
    } else {
      socket.close(CLOSE_BAD_FRAME, "bad frame: type must be ping or message");
    }
  }

  private void post(ServerWebSocket socket, Principal user, JsonObject frame) {
    Object clientId = frame.getValue("client_id");
    JsonObject command;
    try {
      if (!(clientId instanceof String id) || id.isBlank() || id.length() > CLIENT_ID_CHARS_MAX) {
        throw CowrieError.invalid("client_id", "client_id must be a string of 1 to " + CLIENT_ID_CHARS_MAX + " characters.");
      }
      JsonObject body = frame.copy();
      body.remove("type");
      body.remove("room");
      body.remove("client_id");
      String room = Input.string(frame, "room", 64);
      // The client id doubles as a paying message's retry key: a resent transfer pays once.
      command = ChatRoutes.message(body, room, textCharsMax, () -> id, clock).put("client_id", id).put("principal", user.toJson());
    } catch (CowrieError invalid) {
      socket.writeTextMessage(error(clientId, invalid).encode());
      return;
    }
    Bus.<JsonObject>request(vertx, ChatAddresses.POST_MESSAGE, command, timeoutMs).onComplete(done -> {
      if (socket.isClosed()) {
        return;
      }
      socket.writeTextMessage((done.succeeded()
          ? new JsonObject().put("type", "ack").put("client_id", clientId).put("seq", done.result().getLong("seq"))
              .put("id", done.result().getString("id")).put("room", command.getString("room_id"))
          : error(clientId, CowrieError.from(done.cause()))).encode());
    });
  }

  private static JsonObject error(Object clientId, CowrieError error) {
    return new JsonObject().put("type", "error").put("client_id", clientId instanceof String id ? id : null)
        .put("error", error.toJson());
  }
}
