package dev.cowrie.chat;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Input;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.http.Access;
import dev.cowrie.http.Api;
import dev.cowrie.http.Call;
import dev.cowrie.http.HttpVerticle;
import dev.cowrie.http.Reply;
import dev.cowrie.requests.RequestsRoutes;
import dev.cowrie.wallets.WalletsRoutes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** Chat rooms, messages, the chat WebSocket and who is online (API.md "Chat"). */
public final class ChatRoutes implements HttpVerticle.Routes {
  private final CowrieConfig config;
  private final long timeoutMs;
  private final int textCharsMax;
  private final int membersMax;

  public ChatRoutes(CowrieConfig config) {
    this.config = config;
    this.timeoutMs = config.number("bus", "request_timeout_ms");
    this.textCharsMax = config.integer("chat", "text_chars_max");
    this.membersMax = config.integer("chat", "members_max");
  }

  @Override
  public void mount(Api api) {
    ChatSockets sockets = new ChatSockets(api, config.number("chat", "heartbeat_ms"), timeoutMs,
        config.integer("chat", "socket_frames_pending_max"));
    api.router().get("/v1/chat/ws").handler(sockets::handle);
    api.post("/v1/chat/rooms", Access.WALLET_USER, call -> {
      JsonObject body = call.body();
      Input.onlyKnown(body, Set.of("name", "members"));
      return send(api, ChatAddresses.CREATE_ROOM, call.command(new JsonObject().put("name", Input.string(body, "name", 100))
          .put("members", members(body)))).map(Reply::created);
    });
    api.get("/v1/chat/rooms", Access.WALLET_USER, call ->
        send(api, ChatAddresses.LIST_ROOMS, call.command(new JsonObject().put("page", call.page().toJson()))).map(Reply::ok));
    api.post("/v1/chat/rooms/:id/messages", Access.WALLET_USER, call ->
        send(api, ChatAddresses.POST_MESSAGE, call.command(message(call))).map(Reply::created));
    api.get("/v1/chat/rooms/:id/messages", Access.WALLET_USER, call ->
        send(api, ChatAddresses.LIST_MESSAGES, call.command(new JsonObject().put("room_id", call.path("id"))
            .put("after_seq", afterSeq(call)).put("page", call.page().toJson()))).map(Reply::ok));
    api.get("/v1/users/online", Access.ANY_AUTHENTICATED, call ->
        send(api, ChatAddresses.ONLINE, call.command(new JsonObject())).map(Reply::ok));
  }

  private JsonArray members(JsonObject body) {
    JsonArray members = Input.optionalArray(body, "members");
    if (members == null || members.isEmpty()) {
      throw CowrieError.missing("members");
    }
    if (members.size() >= membersMax) {
      throw CowrieError.invalid("members", "A room has at most " + membersMax + " members, you included.");
    }
    for (Object member : members) {
      if (!(member instanceof String name) || name.isBlank() || name.length() > 64) {
        throw CowrieError.invalid("members", "members must be usernames.");
      }
    }
    return members;
  }

  /** {@code ?after_seq=N}: the messages after the last one a client saw, oldest first (how a cut-off socket resumes). */
  private static Long afterSeq(Call call) {
    String value = call.query("after_seq");
    if (value == null) {
      return null;
    }
    if (call.query("starting_after") != null) {
      throw CowrieError.invalid("after_seq", "Use either after_seq or starting_after, not both.");
    }
    if (!value.matches("[0-9]{1,18}")) {
      throw CowrieError.invalid("after_seq", "after_seq must be a message seq (a non-negative integer).");
    }
    return Long.parseLong(value);
  }

  private JsonObject message(Call call) {
    JsonObject body = call.body();
    String kind = Input.string(body, "kind", 20);
    JsonObject command = new JsonObject().put("room_id", call.path("id")).put("kind", kind);
    switch (kind) {
      case "text" -> {
        Input.onlyKnown(body, Set.of("kind", "text"));
        Object text = body.getValue("text");
        if (text instanceof String words && words.length() > textCharsMax) {
          throw CowrieError.invalid("text", "text is " + words.length() + " characters; a message holds at most "
              + textCharsMax + ". Split it into several messages.");
        }
        return command.put("text", Input.string(body, "text", textCharsMax));
      }
      case "transfer" -> {
        Input.onlyKnown(body, Set.of("kind", "to", "amount", "currency", "note", "pin"));
        // The client's retry key becomes the transfer's: a paying message retried after a network error pays once.
        return command.mergeIn(WalletsRoutes.transferFields(body)).put("idempotency_key", call.requiredIdempotencyKey());
      }
      case "payment_request" -> {
        Input.onlyKnown(body, Set.of("kind", "amount", "currency", "description", "expires_at", "accepts"));
        return command.put("request", RequestsRoutes.requestFields(body));
      }
      default -> throw CowrieError.invalid("kind", "kind must be text, transfer or payment_request.");
    }
  }

  private Future<JsonObject> send(Api api, String address, JsonObject command) {
    return Bus.request(api.vertx(), address, command, timeoutMs);
  }
}
