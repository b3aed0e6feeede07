package dev.cowrie.chat;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Input;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.http.Access;
import dev.cowrie.http.Api;
import dev.cowrie.http.Call;
import dev.cowrie.http.Reply;
import dev.cowrie.http.Routes;
import dev.cowrie.requests.RequestsRoutes;
import dev.cowrie.wallets.TransferCreate;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Set;

/** Chat rooms, messages, the chat WebSocket and who is online (API.md "Chat"). */
public final class ChatRoutes implements Routes {
  private final CowrieConfig config;
  private final long timeoutMs;
  private final int textCharsMax;
  private final int membersMax;
  private final Clock clock;

  public ChatRoutes(CowrieConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.timeoutMs = config.bus().requestTimeoutMs();
    this.textCharsMax = config.chat().textCharsMax();
    this.membersMax = config.chat().membersMax();
  }

  @Override
  public void mount(Api api) {
    ChatSockets sockets = new ChatSockets(api, config.chat().heartbeatMs(), timeoutMs,
        config.chat().socketFramesPendingMax(), textCharsMax, clock);
    api.router().get("/v1/chat/ws").handler(sockets::handle);
    api.post("/v1/chat/rooms", Access.WALLET_USER, call -> {
      JsonObject body = call.body();
      return send(api, ChatAddresses.CREATE_ROOM, call.command(roomFields(body, membersMax))).map(Reply::created);
    });
    api.get("/v1/chat/rooms", Access.WALLET_USER, call ->
        send(api, ChatAddresses.LIST_ROOMS, call.command(new JsonObject().put("page", call.page().toJson()))).map(Reply::ok));
    api.post("/v1/chat/rooms/:id/messages", Access.WALLET_USER, call ->
        send(api, ChatAddresses.POST_MESSAGE, call.command(message(call))).map(Reply::created));
    api.get("/v1/chat/rooms/:id/messages", Access.WALLET_USER, call ->
        send(api, ChatAddresses.LIST_MESSAGES, call.command(new JsonObject().put("room_id", call.path("id"))
            .put("after_seq", seqQuery(call, "after_seq")).put("before_seq", seqQuery(call, "before_seq"))
            .put("page", call.page().toJson()))).map(Reply::ok));
    api.post("/v1/chat/rooms/:id/members", Access.WALLET_USER, call -> {
      Input.onlyKnown(call.body(), Set.of("username"));
      return send(api, ChatAddresses.ADD_MEMBER, call.command(new JsonObject().put("room_id", call.path("id"))
          .put("username", Input.string(call.body(), "username", 64)))).map(Reply::ok);
    });
    api.delete("/v1/chat/rooms/:id/members/:username", Access.WALLET_USER, call ->
        send(api, ChatAddresses.REMOVE_MEMBER, call.command(new JsonObject().put("room_id", call.path("id"))
            .put("username", call.path("username")))).map(Reply::ok));
    api.post("/v1/chat/rooms/:id/leave", Access.WALLET_USER, call -> {
      Input.onlyKnown(call.body(), Set.of());
      return send(api, ChatAddresses.REMOVE_MEMBER, call.command(new JsonObject().put("room_id", call.path("id"))
          .put("username", call.principal().username()))).map(Reply::ok);
    });
    api.post("/v1/chat/rooms/:id/read", Access.WALLET_USER, call -> {
      Input.onlyKnown(call.body(), Set.of("seq"));
      Object seq = call.body().getValue("seq");
      if (!(seq instanceof Number number) || number.doubleValue() != number.longValue() || number.longValue() < 0) {
        throw CowrieError.invalid("seq", "seq must be a message seq (a non-negative integer).");
      }
      return send(api, ChatAddresses.MARK_READ, call.command(new JsonObject().put("room_id", call.path("id"))
          .put("seq", number.longValue()))).map(Reply::ok);
    });
    api.get("/v1/users/online", Access.ANY_AUTHENTICATED, call ->
        send(api, ChatAddresses.ONLINE, call.command(new JsonObject())).map(Reply::ok));
  }

  /** A new room's fields, validated (the API and the wallet web alike). */
  public static JsonObject roomFields(JsonObject body, int membersMax) {
    Input.onlyKnown(body, Set.of("name", "members"));
    return new JsonObject().put("name", Input.string(body, "name", 100)).put("members", members(body, membersMax));
  }

  private static JsonArray members(JsonObject body, int membersMax) {
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

  /**
   * {@code ?after_seq=N}: the messages after the last one a client saw, oldest first (how a cut-off
   * socket resumes); {@code ?before_seq=N}: the ones before it, newest first (scrolling back).
   */
  private static Long seqQuery(Call call, String name) {
    String value = call.query(name);
    if (value == null) {
      return null;
    }
    if (call.query("starting_after") != null || (call.query("after_seq") != null && call.query("before_seq") != null)) {
      throw CowrieError.invalid(name, "Use one of after_seq, before_seq and starting_after.");
    }
    if (!value.matches("[0-9]{1,18}")) {
      throw CowrieError.invalid(name, name + " must be a message seq (a non-negative integer).");
    }
    return Long.parseLong(value);
  }

  private JsonObject message(Call call) {
    return message(call.body(), call.path("id"), textCharsMax, call::requiredIdempotencyKey, clock);
  }

  /** A message's fields, validated, as a post command (HTTP and socket posts alike). */
  static JsonObject message(JsonObject body, String roomId, int textCharsMax, java.util.function.Supplier<String> retryKey,
      Clock clock) {
    String kind = Input.string(body, "kind", 20);
    JsonObject command = new JsonObject().put("room_id", roomId).put("kind", kind);
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
        Input.onlyKnown(body, Set.of("kind", "to", "amount", "currency", "note", "pin", "payment_request"));
        // The client's retry key becomes the transfer's: a paying message retried after a network error pays once.
        return command.mergeIn(TransferCreate.Fields.from(body).toJson()).put("idempotency_key", retryKey.get())
            .put("payment_request", Input.optionalString(body, "payment_request", 64));
      }
      case "payment_request" -> {
        Input.onlyKnown(body, Set.of("kind", "amount", "currency", "description", "expires_at", "accepts"));
        return command.put("request", RequestsRoutes.requestFields(body, clock));
      }
      default -> throw CowrieError.invalid("kind", "kind must be text, transfer or payment_request.");
    }
  }

  private Future<JsonObject> send(Api api, String address, JsonObject command) {
    return Bus.request(api.vertx(), address, command, timeoutMs);
  }
}
