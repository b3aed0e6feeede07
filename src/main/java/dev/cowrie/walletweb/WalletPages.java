package dev.cowrie.walletweb;

import dev.cowrie.chat.ChatAddresses;
import dev.cowrie.chat.ChatRoutes;
import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.http.Page;
import dev.cowrie.http.PageCall;
import dev.cowrie.http.Pages;
import dev.cowrie.http.Reply;
import dev.cowrie.requests.RequestsAddresses;
import dev.cowrie.requests.RequestsRoutes;
import dev.cowrie.security.AuthAddresses;
import dev.cowrie.security.Principal;
import dev.cowrie.wallets.TopupCreate;
import dev.cowrie.wallets.TransferCreate;
import dev.cowrie.wallets.WalletsAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cowrie Wallet web ({@code /wallet}): sign in or up, balance, history, send money, top up,
 * payment requests asked by and of the person, and their chats (ChatPage). Every action sends the
 * command the matching API route sends, with the signed-in person as principal and the form's
 * submit id as its idempotency key.
 */
final class WalletPages {
  private static final int LIST_LIMIT = 20;
  private static final int ROOMS_SCANNED_FOR_REQUESTS = 10;
  private final Vertx vertx;
  private final long timeoutMs;
  private final SignIn signIn;
  private final int membersMax;
  private final java.time.Clock clock;

  WalletPages(Vertx vertx, long timeoutMs, SignIn signIn, int membersMax, java.time.Clock clock) {
    this.clock = clock;
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
    this.signIn = signIn;
    this.membersMax = membersMax;
  }

  void mount(Pages pages) {
    pages.get("/wallet", call -> person(call) == null ? signInPage(call, 200, null) : home(call, 200, Map.of()));
    pages.post("/wallet/sign_in", call -> enter(call, false));
    pages.post("/wallet/sign_up", call -> enter(call, true));
    pages.post("/wallet/send", call -> act(call, this::send));
    pages.post("/wallet/topup", call -> act(call, this::topUp));
    pages.post("/wallet/requests", call -> act(call, this::ask));
    pages.post("/wallet/rooms", call -> act(call, this::newRoom));
  }

  /** The signed-in wallet user, or null. */
  static Principal person(PageCall call) {
    Principal principal = call.principal();
    return principal != null && principal.kind() == Principal.Kind.WALLET_USER ? principal : null;
  }

  private <T> Future<T> send(String address, JsonObject command) {
    return Bus.request(vertx, address, command, timeoutMs);
  }

  private Future<Reply> signInPage(PageCall call, int status, String error) {
    String app = call.query("app") != null ? call.query("app") : call.form("app");
    Map<String, Object> params = new HashMap<>();
    params.put("app", app);
    params.put("error", error);
    return Future.succeededFuture(call.view(status, "walletweb/sign_in.jte", params));
  }

  private Future<Reply> enter(PageCall call, boolean signUp) {
    return Future.succeededFuture().compose(ignored -> signIn.signIn(call, SignIn.Scope.ofApp(call.form("app")), signUp))
        .map(ignored -> PageCall.redirect("/wallet"))
        .recover(failure -> {
          CowrieError error = CowrieError.from(failure);
          return error.code == ErrorCode.INTERNAL_ERROR || error.code == ErrorCode.RATE_LIMITED ? Future.failedFuture(failure)
              : signInPage(call, error.code.httpStatus, error.getMessage());
        });
  }

  private Future<Reply> home(PageCall call, int status, Map<String, Object> extra) {
    Principal me = person(call);
    JsonObject page = new Page(LIST_LIMIT, null).toJson();
    Future<JsonObject> wallet = send(WalletsAddresses.GET_WALLET, call.command(new JsonObject()));
    Future<JsonObject> transfers = send(WalletsAddresses.LIST_TRANSFERS, call.command(new JsonObject().put("page", page)));
    Future<JsonObject> asked = send(RequestsAddresses.LIST, call.command(new JsonObject().put("page", page)));
    Future<JsonObject> rooms = send(ChatAddresses.LIST_ROOMS, call.command(new JsonObject().put("page", page)));
    Future<JsonObject> profile = send(AuthAddresses.GET_PROFILE, call.command(new JsonObject()));
    Future<List<WalletHome.Request>> askedOfYou = rooms.compose(list -> askedOfYou(call, me, list));
    return Future.all(List.of(wallet, transfers, asked, rooms, profile, askedOfYou)).map(all -> {
      var locale = call.locale();
      List<String> balances = WalletHome.balances(wallet.result(), locale);
      String currency = wallet.result().getJsonArray("balances").isEmpty() ? "NGN"
          : wallet.result().getJsonArray("balances").getJsonObject(0).getString("currency");
      long pinLimit = profile.result().getJsonObject("limits").getLong("pin_limit");
      WalletHome view = new WalletHome(me.username(), balances, WalletHome.history(transfers.result(), me.username(), locale),
          WalletHome.requests(asked.result(), locale), askedOfYou.result(), WalletHome.rooms(rooms.result()),
          profile.result().getBoolean("pin_set"), WalletHome.money(pinLimit, currency, locale), currency);
      Map<String, Object> params = new HashMap<>(extra);
      params.put("view", view);
      params.put("submit", PageCall.submitId());
      params.putIfAbsent("error", null);
      params.putIfAbsent("errorCode", null);
      params.putIfAbsent("notice", call.query("done"));
      return call.view(status, "walletweb/home.jte", params);
    });
  }

  /** Payment requests others asked in the person's rooms (the most recent rooms), as they read now. */
  private Future<List<WalletHome.Request>> askedOfYou(PageCall call, Principal me, JsonObject rooms) {
    JsonArray list = rooms.getJsonArray("data", new JsonArray());
    List<Future<JsonObject>> histories = list.stream().limit(ROOMS_SCANNED_FOR_REQUESTS).map(JsonObject.class::cast)
        .map(room -> this.<JsonObject>send(ChatAddresses.LIST_MESSAGES, call.command(new JsonObject().put("room_id", room.getString("id"))
            .put("page", new Page(50, null).toJson())))).toList();
    return Future.all(histories).compose(all -> {
      List<String> ids = histories.stream().flatMap(history -> history.result().getJsonArray("data").stream())
          .map(JsonObject.class::cast)
          .filter(message -> "payment_request".equals(message.getString("kind")) && !me.username().equals(message.getString("sender")))
          .map(message -> message.getJsonObject("payment_request").getString("id")).distinct().limit(LIST_LIMIT).toList();
      List<Future<JsonObject>> requests = ids.stream()
          .map(id -> this.<JsonObject>send(RequestsAddresses.GET, call.command(new JsonObject().put("id", id)))).toList();
      return Future.all(requests).map(done -> requests.stream().map(request -> WalletHome.request(request.result(), call.locale()))
          .toList());
    });
  }

  interface Action {
    Future<String> run(PageCall call, Principal me);
  }

  /** A signed-in action: its answer is where to go next; a refusal is shown on the home page, next to the forms. */
  private Future<Reply> act(PageCall call, Action action) {
    Principal me = person(call);
    if (me == null) {
      return Future.succeededFuture(PageCall.redirect("/wallet"));
    }
    return Future.succeededFuture().compose(ignored -> action.run(call, me)).map(PageCall::redirect).recover(failure -> {
      CowrieError error = CowrieError.from(failure);
      if (error.code == ErrorCode.INTERNAL_ERROR || error.code == ErrorCode.RATE_LIMITED) {
        return Future.failedFuture(failure);
      }
      return home(call, error.code.httpStatus, Map.of("error", error.getMessage(), "errorCode", error.code.wire()));
    });
  }

  /** The same command as POST /v1/transfers (PIN above the limit), once per submit. */
  private Future<String> send(PageCall call, Principal me) {
    String currency = Forms.currency(call, "currency");
    // The form's fields pass the same checks as POST /v1/transfers.
    TransferCreate.Fields fields = TransferCreate.Fields.from(new JsonObject().put("to", required(call, "to"))
        .put("amount", Forms.amount(call, "amount", currency)).put("currency", currency).put("note", call.form("note"))
        .put("pin", Forms.pin(call)));
    TransferCreate transfer = new TransferCreate(me, call.requestId(), null, fields, "page:" + call.form(PageCall.SUBMIT_FIELD));
    return call.once(me.merchantId(), me.mode(), () -> send(WalletsAddresses.TRANSFER, call.command(transfer.toJson())))
        .map(done -> "/wallet?done=" + encode("Sent " + WalletHome.money(done.getLong("amount"), currency, call.locale())
            + " to " + done.getString("to") + "."));
  }

  /** A top-up payment (POST /v1/wallet/topups), then on to its checkout. */
  private Future<String> topUp(PageCall call, Principal me) {
    String currency = Forms.currency(call, "currency");
    TopupCreate topup = new TopupCreate(me, call.requestId(), Forms.amount(call, "amount", currency), currency, null,
        "page:" + call.form(PageCall.SUBMIT_FIELD));
    return call.once(me.merchantId(), me.mode(), () -> send(WalletsAddresses.TOPUP, call.command(topup.toJson())))
        // On to Cowrie's hosted checkout (hosted_url), or straight to the provider's page (next_action) without one.
        .map(payment -> payment.getString("hosted_url") != null ? payment.getString("hosted_url")
            : payment.getJsonObject("next_action") != null ? payment.getJsonObject("next_action").getString("url", "/wallet") : "/wallet");
  }

  /** A payment request (POST /v1/payment_requests), validated by the API's own rules. */
  private Future<String> ask(PageCall call, Principal me) {
    String currency = Forms.currency(call, "currency");
    JsonObject fields = RequestsRoutes.requestFields(new JsonObject().put("amount", Forms.amount(call, "amount", currency))
        .put("currency", currency).put("description", call.form("description")), clock);
    return call.once(me.merchantId(), me.mode(), () -> send(RequestsAddresses.CREATE, call.command(fields)))
        .map(request -> WalletHome.path(request.getString("pay_url")));
  }

  private Future<String> newRoom(PageCall call, Principal me) {
    JsonArray members = new JsonArray();
    for (String name : required(call, "members").split("[,\\s]+")) {
      if (!name.isBlank()) {
        members.add(name.strip());
      }
    }
    JsonObject room = ChatRoutes.roomFields(new JsonObject().put("name", call.form("name") == null ? "Chat" : call.form("name"))
        .put("members", members), membersMax);
    return call.once(me.merchantId(), me.mode(), () -> send(ChatAddresses.CREATE_ROOM, call.command(room)))
        .map(created -> "/wallet/rooms/" + created.getString("id"));
  }

  private static String required(PageCall call, String field) {
    String value = call.form(field);
    if (value == null || value.length() > 100) {
      throw CowrieError.invalid(field, "Fill in " + field.replace('_', ' ') + " (up to 100 characters).");
    }
    return value;
  }

  private static String encode(String text) {
    return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
  }
}
