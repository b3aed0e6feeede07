package dev.cowrie.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import dev.cowrie.testing.WalletUsers;
import dev.cowrie.testing.WalletUsers.User;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A transfer in a chat that answers a payment_request message pays it: the money moves once, the
 * request's tally grows, both people see the receipt live; unpayable requests are refused and
 * nothing moves.
 */
class ChatPaysRequestTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static TestGateway gateway;
  static WebSocketClient sockets;
  static TestGateway.Merchant merchant;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(ChatPaysRequestTest.class, Map.of(
        "COWRIE_RATE_LIMIT_PER_KEY_PER_SECOND", "1000", "COWRIE_RATE_LIMIT_PER_KEY_BURST", "1000"));
    sockets = gateway.vertx.createWebSocketClient();
    merchant = gateway.createMerchant("Chat Pays");
    gateway.enableSandbox(merchant, "chatpays_secret_0123456789abcdef");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  record Live(WebSocket socket, List<JsonObject> frames) {
    List<JsonObject> ofType(String type) {
      return frames.stream().filter(frame -> type.equals(frame.getString("type"))).toList();
    }

    /** Receipts of transfers that answered a payment request, as the room shows them. */
    List<JsonObject> requestReceipts() {
      return ofType("message").stream().map(frame -> frame.getJsonObject("message"))
          .filter(message -> "transfer".equals(message.getString("kind"))
              && message.getJsonObject("transfer").getJsonObject("payment_request") != null).toList();
    }

    void send(JsonObject frame) {
      socket.writeTextMessage(frame.put("type", "message").encode());
    }
  }

  /** Opened the way a browser does: a one-use ticket in the query string. */
  static Live connect(User user) {
    Response ticket = gateway.post("/v1/realtime/tickets").bearer(user.token()).json(new JsonObject()).send();
    assertEquals(201, ticket.status(), ticket.toString());
    List<JsonObject> frames = new CopyOnWriteArrayList<>();
    WebSocket socket = TestGateway.await(sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
            .setPort(gateway.port).setURI("/v1/chat/ws?ticket=" + ticket.json().getString("ticket")))
        .map(opened -> opened.textMessageHandler(text -> frames.add(new JsonObject(text)))));
    Live live = new Live(socket, frames);
    TestGateway.eventually("the socket is ready", WAIT, () -> !live.ofType("ready").isEmpty());
    return live;
  }

  static String room(User owner, String member) {
    Response created = gateway.post("/v1/chat/rooms").bearer(owner.token())
        .json(new JsonObject().put("name", "bills").put("members", new JsonArray().add(member))).send();
    assertEquals(201, created.status(), created.toString());
    return created.json().getString("id");
  }

  /** The payee asks in the room; answers the request as the message carries it. */
  static JsonObject ask(User payee, String roomId, long amount, String currency) {
    Response asked = gateway.post("/v1/chat/rooms/" + roomId + "/messages").bearer(payee.token())
        .idempotencyKey(UUID.randomUUID().toString())
        .json(new JsonObject().put("kind", "payment_request").put("amount", amount).put("currency", currency)
            .put("description", "dinner")).send();
    assertEquals(201, asked.status(), asked.toString());
    return asked.json().getJsonObject("payment_request");
  }

  static JsonObject pay(String roomId, String requestId, String to, long amount, String currency, String clientId) {
    return new JsonObject().put("room", roomId).put("kind", "transfer").put("to", to).put("amount", amount)
        .put("currency", currency).put("payment_request", requestId).put("client_id", clientId);
  }

  static Future<Response> payOverHttp(User payer, String roomId, String requestId, String to, long amount) {
    return gateway.post("/v1/chat/rooms/" + roomId + "/messages").bearer(payer.token()).idempotencyKey(UUID.randomUUID().toString())
        .json(new JsonObject().put("kind", "transfer").put("to", to).put("amount", amount).put("currency", "NGN")
            .put("payment_request", requestId)).sendAsync();
  }

  static JsonObject request(User payee, String id) {
    Response read = gateway.get("/v1/payment_requests/" + id).bearer(payee.token()).send();
    assertEquals(200, read.status(), read.toString());
    return read.json();
  }

  static long sentTransfers(User user) {
    return gateway.get("/v1/transfers?direction=sent&limit=100").bearer(user.token()).send().data().size();
  }

  /** The error frame answering a client id. */
  static JsonObject refusal(Live live, String clientId) {
    TestGateway.eventually("refused " + clientId, WAIT, () -> live.ofType("error").stream()
        .anyMatch(frame -> clientId.equals(frame.getString("client_id"))));
    return live.ofType("error").stream().filter(frame -> clientId.equals(frame.getString("client_id"))).findFirst()
        .orElseThrow().getJsonObject("error");
  }

  @Test
  void aTransferAnsweringARequestPaysItOnceAndBothSeeTheReceiptLive() {
    User ada = WalletUsers.create(gateway, merchant, "ada.asks");
    User ben = WalletUsers.create(gateway, merchant, "ben.pays");
    WalletUsers.topUp(gateway, ben, 10_000, "NGN");
    String roomId = room(ada, "ben.pays");
    Live adas = connect(ada);
    Live bens = connect(ben);
    JsonObject asked = ask(ada, roomId, 5_000, "NGN");
    String requestId = asked.getString("id");

    JsonObject first = pay(roomId, requestId, "ada.asks", 3_000, "NGN", "pay-1");
    bens.send(first.copy());
    TestGateway.eventually("ben's payment is acked", WAIT, () -> bens.ofType("ack").size() == 1);
    bens.send(first.copy()); // a resend after a lost ack
    TestGateway.eventually("the resend is acked", WAIT, () -> bens.ofType("ack").size() == 2);
    assertEquals(bens.ofType("ack").get(0).getLong("seq"), bens.ofType("ack").get(1).getLong("seq"), "one receipt");

    TestGateway.eventually("ada sees the receipt live", WAIT, () -> adas.requestReceipts().size() == 1);
    TestGateway.eventually("ben sees the receipt live", WAIT, () -> bens.requestReceipts().size() == 1);
    JsonObject tally = adas.requestReceipts().get(0).getJsonObject("transfer").getJsonObject("payment_request");
    assertEquals(requestId, tally.getString("id"));
    assertEquals(3_000L, tally.getLong("paid_amount"));
    assertEquals("partially_paid", tally.getString("status"));
    assertEquals(7_000L, WalletUsers.available(gateway, ben, "NGN"), "the money moved once");
    assertEquals(3_000L, WalletUsers.available(gateway, ada, "NGN"));
    assertEquals(1L, sentTransfers(ben));
    assertEquals(3_000L, request(ada, requestId).getLong("paid_amount"));

    // More than is left, or in another currency: refused, nothing moves.
    bens.send(pay(roomId, requestId, "ada.asks", 2_500, "NGN", "pay-over"));
    JsonObject over = refusal(bens, "pay-over");
    assertEquals("amount_exceeds_request", over.getString("code"));
    assertEquals("amount", over.getString("param"));
    assertEquals(2_000L, over.getJsonObject("extra").getLong("remaining"));
    bens.send(pay(roomId, requestId, "ada.asks", 1_000, "USD", "pay-usd"));
    assertEquals("currency_mismatch", refusal(bens, "pay-usd").getString("code"));
    bens.send(pay(roomId, requestId, "nobody.else", 1_000, "NGN", "pay-who"));
    assertEquals("to", refusal(bens, "pay-who").getString("param"));
    assertEquals(7_000L, WalletUsers.available(gateway, ben, "NGN"));
    assertEquals(3_000L, request(ada, requestId).getLong("paid_amount"));

    bens.send(pay(roomId, requestId, "ada.asks", 2_000, "NGN", "pay-rest"));
    TestGateway.eventually("the rest is paid", WAIT, () -> adas.requestReceipts().size() == 2);
    assertEquals("paid", request(ada, requestId).getString("status"));
    bens.send(pay(roomId, requestId, "ada.asks", 100, "NGN", "pay-again"));
    assertEquals("payment_request_paid", refusal(bens, "pay-again").getString("code"));
    assertEquals(5_000L, WalletUsers.available(gateway, ben, "NGN"));
    assertEquals(2L, sentTransfers(ben), "one transfer (one ledger entry) per payment");
    gateway.assertLedgerOk();
    adas.socket().close();
    bens.socket().close();
  }

  @Test
  void twoPayersRacingCannotOverpayARequest() {
    User cy = WalletUsers.create(gateway, merchant, "cy.asks");
    User dee = WalletUsers.create(gateway, merchant, "dee.pays");
    User eve = WalletUsers.create(gateway, merchant, "eve.pays");
    WalletUsers.topUp(gateway, dee, 5_000, "NGN");
    WalletUsers.topUp(gateway, eve, 5_000, "NGN");
    String roomId = room(cy, "dee.pays");
    assertEquals(200, gateway.post("/v1/chat/rooms/" + roomId + "/members").bearer(cy.token())
        .json(new JsonObject().put("username", "eve.pays")).send().status());
    String requestId = ask(cy, roomId, 4_000, "NGN").getString("id");

    List<Response> racing = TestGateway.await(Future.all(payOverHttp(dee, roomId, requestId, "cy.asks", 3_000),
        payOverHttp(eve, roomId, requestId, "cy.asks", 3_000)).map(both -> List.<Response>of(both.resultAt(0), both.resultAt(1))));
    List<Integer> statuses = racing.stream().map(Response::status).sorted().toList();
    assertEquals(List.of(201, 422), statuses, racing.toString());
    assertTrue(racing.stream().anyMatch(answer -> "amount_exceeds_request".equals(answer.errorCode())));
    assertEquals(3_000L, request(cy, requestId).getLong("paid_amount"), "only one of the racing payments counted");
    assertEquals(3_000L, WalletUsers.available(gateway, cy, "NGN"), "and only its money moved");
    assertEquals(7_000L, WalletUsers.available(gateway, dee, "NGN") + WalletUsers.available(gateway, eve, "NGN"));
    assertEquals(0L, gateway.query("SELECT count(*) FROM payment_request_holds").iterator().next().getLong(0),
        "no hold is left behind");
    gateway.assertLedgerOk();
  }

  @Test
  void canceledExpiredAndOtherRoomsRequestsAreRefusedAndNothingMoves() {
    User fay = WalletUsers.create(gateway, merchant, "fay.asks");
    User gus = WalletUsers.create(gateway, merchant, "gus.pays");
    WalletUsers.topUp(gateway, gus, 5_000, "NGN");
    String roomId = room(fay, "gus.pays");
    String otherRoom = room(fay, "gus.pays");

    String canceled = ask(fay, roomId, 1_000, "NGN").getString("id");
    assertEquals(403, gateway.post("/v1/payment_requests/" + canceled + "/cancel").bearer(gus.token()).json(new JsonObject())
        .send().status(), "only who asked cancels");
    Response cancel = gateway.post("/v1/payment_requests/" + canceled + "/cancel").bearer(fay.token()).json(new JsonObject()).send();
    assertEquals(200, cancel.status(), cancel.toString());
    assertEquals("canceled", cancel.json().getString("status"));
    Response refused = TestGateway.await(payOverHttp(gus, roomId, canceled, "fay.asks", 1_000));
    assertEquals("payment_request_canceled", refused.errorCode(), refused.toString());

    String expired = ask(fay, roomId, 1_000, "NGN").getString("id");
    gateway.query("UPDATE payment_requests SET expires_at = now() - interval '1 minute' WHERE id = $1", expired);
    Response late = TestGateway.await(payOverHttp(gus, roomId, expired, "fay.asks", 1_000));
    assertEquals("payment_request_expired", late.errorCode(), late.toString());

    String elsewhere = ask(fay, otherRoom, 1_000, "NGN").getString("id");
    Response wrongRoom = TestGateway.await(payOverHttp(gus, roomId, elsewhere, "fay.asks", 1_000));
    assertEquals(404, wrongRoom.status(), wrongRoom.toString());
    assertEquals("payment_request", wrongRoom.json().getJsonObject("error").getString("param"));

    assertEquals(5_000L, WalletUsers.available(gateway, gus, "NGN"), "no refused payment moved money");
    assertEquals(0L, sentTransfers(gus));
    assertEquals(0L, gateway.query("SELECT count(*) FROM chat_pending_messages").iterator().next().getLong(0)
        + gateway.query("SELECT count(*) FROM payment_request_holds").iterator().next().getLong(0), "nothing half-written");
  }
}
