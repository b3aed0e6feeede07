package dev.cowrie.walletweb;

import dev.cowrie.chat.ChatAddresses;
import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.http.Page;
import dev.cowrie.http.PageCall;
import dev.cowrie.http.Pages;
import dev.cowrie.http.Reply;
import dev.cowrie.security.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A chat room in the wallet web: its recent messages rendered by the server, then live through the
 * chat WebSocket ({@code /v1/chat/ws?ticket=}, the ticket asked for by the page's script with its
 * CSRF token); posting, and paying a payment request inside the chat, are socket frames, as any client sends them.
 */
final class ChatPage {
  private static final int HISTORY = 50;
  private final Vertx vertx;
  private final long timeoutMs;

  ChatPage(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  void mount(Pages pages) {
    pages.get("/wallet/rooms/:id", this::room);
    pages.post("/wallet/ticket", call -> call.realtimeTicket().map(Reply::ok));
    // The room's read marker (POST /v1/chat/rooms/{id}/read), moved by the page as messages are shown.
    pages.post("/wallet/rooms/:id/read", call -> {
      String seq = call.query("seq");
      if (WalletPages.person(call) == null || seq == null || !seq.matches("[0-9]{1,18}")) {
        throw CowrieError.invalid("seq", "seq must be a message seq (a non-negative integer).");
      }
      return Bus.<JsonObject>request(vertx, ChatAddresses.MARK_READ, call.command(new JsonObject().put("room_id", call.path("id"))
          .put("seq", Long.parseLong(seq))), timeoutMs).map(Reply::ok);
    });
  }

  private static JsonObject withTally(JsonObject message, Map<String, JsonObject> tallies) {
    JsonObject request = message.getJsonObject("payment_request");
    JsonObject tally = request == null ? null : tallies.get(request.getString("id"));
    if (tally == null) {
      return message;
    }
    return message.copy().put("payment_request", request.copy().put("paid_amount", tally.getLong("paid_amount"))
        .put("status", tally.getString("status")));
  }

  private Future<Reply> room(PageCall call) {
    Principal me = WalletPages.person(call);
    if (me == null) {
      return Future.succeededFuture(PageCall.redirect("/wallet"));
    }
    String roomId = call.path("id");
    Future<JsonObject> messages = Bus.request(vertx, ChatAddresses.LIST_MESSAGES, call.command(new JsonObject()
        .put("room_id", roomId).put("page", new Page(HISTORY, null).toJson())), timeoutMs);
    Future<JsonObject> rooms = Bus.request(vertx, ChatAddresses.LIST_ROOMS, call.command(new JsonObject()
        .put("page", new Page(Page.LIMIT_MAX, null).toJson())), timeoutMs);
    Future<JsonObject> online = Bus.request(vertx, ChatAddresses.ONLINE, call.command(new JsonObject()), timeoutMs);
    return Future.all(messages, rooms, online).map(all -> {
      JsonObject room = rooms.result().getJsonArray("data").stream().map(JsonObject.class::cast)
          .filter(candidate -> roomId.equals(candidate.getString("id"))).findFirst()
          .orElse(new JsonObject().put("name", "Chat").put("members", new JsonArray()));
      List<String> members = room.getJsonArray("members").stream().map(String::valueOf).toList();
      List<String> onlineNames = online.result().getJsonArray("data").stream().map(JsonObject.class::cast)
          .map(user -> user.getString("username")).toList();
      List<JsonObject> newestFirst = messages.result().getJsonArray("data").stream().map(JsonObject.class::cast).toList();
      // A request message shows its tally as of the newest receipt that paid towards it, not as it was asked.
      Map<String, JsonObject> tallies = new java.util.HashMap<>();
      newestFirst.stream().filter(message -> "transfer".equals(message.getString("kind")))
          .map(message -> message.getJsonObject("transfer").getJsonObject("payment_request")).filter(java.util.Objects::nonNull)
          .forEach(request -> tallies.putIfAbsent(request.getString("id"), request));
      List<ChatLine> history = new ArrayList<>(newestFirst.stream().map(message -> ChatLine.of(withTally(message, tallies),
          me.username(), call.locale())).toList());
      java.util.Collections.reverse(history);
      return call.view("walletweb/room.jte", Map.of("roomId", roomId, "name", room.getString("name"), "members", members,
          "online", onlineNames, "me", me.username(), "history", history));
    });
  }
}
