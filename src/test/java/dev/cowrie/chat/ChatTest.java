package dev.cowrie.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.ledger.Ledger;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import dev.cowrie.testing.WalletUsers;
import dev.cowrie.testing.WalletUsers.User;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Chat over HTTP and real WebSocket clients: members-only delivery in room order, history, presence, money in messages. */
class ChatTest {
  static TestGateway gateway;
  static TestGateway.Merchant merchant;
  static WebSocketClient sockets;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(ChatTest.class, Map.of("COWRIE_RATE_LIMIT_PER_KEY_PER_SECOND", "5000",
        "COWRIE_RATE_LIMIT_PER_KEY_BURST", "5000", "COWRIE_RATE_LIMIT_PER_IP_AUTH_BURST", "200"));
    merchant = gateway.createMerchant("Chat Shop");
    sockets = gateway.vertx.createWebSocketClient();
  }

  @AfterAll
  static void stop() {
    TestGateway.await(sockets.close());
    gateway.close();
  }

  /** A connected socket and the frames it received, in order. */
  record Client(WebSocket socket, LinkedBlockingQueue<JsonObject> frames) {
    JsonObject next(Predicate<JsonObject> wanted) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        JsonObject frame = frames.poll(100, TimeUnit.MILLISECONDS);
        if (frame != null && wanted.test(frame)) {
          return frame;
        }
      }
      throw new AssertionError("no such frame within 10 s");
    }
  }

  static Client connect(User user) throws InterruptedException {
    LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    // The handler is set on the event loop as the socket opens, so no frame can arrive before it.
    WebSocket socket = TestGateway.await(sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.port)
        .setURI("/v1/chat/ws").addHeader("Authorization", "Bearer " + user.token()))
        .map(opened -> opened.textMessageHandler(text -> frames.add(new JsonObject(text)))));
    Client client = new Client(socket, frames);
    client.next(frame -> "ready".equals(frame.getString("type")));
    return client;
  }

  static String room(User creator, String name, String... members) {
    Response created = gateway.post("/v1/chat/rooms").bearer(creator.token())
        .json(new JsonObject().put("name", name).put("members", new JsonArray(List.of((Object[]) members)))).send();
    assertEquals(201, created.status(), created.toString());
    return created.json().getString("id");
  }

  static Response say(User user, String room, String text) {
    return gateway.post("/v1/chat/rooms/" + room + "/messages").bearer(user.token())
        .json(new JsonObject().put("kind", "text").put("text", text)).send();
  }

  static boolean message(JsonObject frame) {
    return "message".equals(frame.getString("type"));
  }

  @Test
  void membersReceiveInRoomOrderNonMembersNeitherReadNorPost() throws Exception {
    User amy = WalletUsers.create(gateway, merchant, "amy");
    User bo = WalletUsers.create(gateway, merchant, "bol");
    User cy = WalletUsers.create(gateway, merchant, "cyd");
    String room = room(amy, "Lunch", "bol");
    String side = room(amy, "Side", "cyd");
    Client amyClient = connect(amy);
    Client boClient = connect(bo);
    Client cyClient = connect(cy);

    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Response posted = say(i % 2 == 0 ? amy : bo, room, "message " + i);
      assertEquals(201, posted.status(), posted.toString());
      assertEquals(i + 1, posted.json().getLong("seq"));
      sent.add(posted.json().getString("id"));
    }
    for (Client client : List.of(amyClient, boClient)) {
      for (int i = 0; i < 40; i++) {
        JsonObject frame = client.next(ChatTest::message).getJsonObject("message");
        assertEquals(sent.get(i), frame.getString("id"));
        assertEquals("message " + i, frame.getString("text"));
      }
    }
    assertEquals(201, say(amy, side, "marker").status());
    JsonObject first = cyClient.next(ChatTest::message);
    assertEquals("marker", first.getJsonObject("message").getString("text"), "cy saw nothing of the room she is not in");

    assertEquals(404, gateway.get("/v1/chat/rooms/" + room + "/messages").bearer(cy.token()).send().status());
    Response intruder = say(cy, room, "let me in");
    assertEquals(404, intruder.status());
    assertEquals("resource_missing", intruder.errorCode());
    assertEquals(404, say(amy, "room_doesnotexist00000000000", "hello").status());

    Response page1 = gateway.get("/v1/chat/rooms/" + room + "/messages?limit=25").bearer(bo.token()).send();
    assertEquals(25, page1.data().size());
    assertTrue(page1.json().getBoolean("has_more"));
    String last = page1.data().getJsonObject(24).getString("id");
    Response page2 = gateway.get("/v1/chat/rooms/" + room + "/messages?limit=25&starting_after=" + last).bearer(bo.token()).send();
    assertEquals(15, page2.data().size());
    assertEquals(false, page2.json().getBoolean("has_more"));
    assertEquals(sent.get(0), page2.data().getJsonObject(14).getString("id"));
    assertEquals(sent.get(39), page1.data().getJsonObject(0).getString("id"));
    assertEquals(2, gateway.get("/v1/chat/rooms").bearer(amy.token()).send().data().size());
    assertEquals(40, gateway.query("SELECT count(*) AS n FROM events WHERE type = 'chat.message.created' AND data->'object'->>'room_id' = $1",
        room).iterator().next().getLong("n"));
    for (Client client : List.of(amyClient, boClient, cyClient)) {
      TestGateway.await(client.socket().close());
    }
  }

  @Test
  void limitsAndBadInput() {
    User dee = WalletUsers.create(gateway, merchant, "dee");
    WalletUsers.create(gateway, merchant, "eli");
    String room = room(dee, "Limits", "eli");
    Response huge = say(dee, room, "x".repeat(10 * 1024));
    assertEquals(400, huge.status(), huge.toString());
    assertEquals("text", huge.json().getJsonObject("error").getString("param"));
    assertTrue(huge.json().getJsonObject("error").getString("message").contains("at most 4000"));
    assertEquals(201, say(dee, room, "y".repeat(4000)).status());
    assertEquals(400, say(dee, room, "").status());
    assertEquals(400, gateway.post("/v1/chat/rooms/" + room + "/messages").bearer(dee.token())
        .json(new JsonObject().put("kind", "shout").put("text", "hi")).send().status());
    assertEquals(404, gateway.post("/v1/chat/rooms").bearer(dee.token())
        .json(new JsonObject().put("name", "Ghosts").put("members", new JsonArray().add("nobody"))).send().status());
    var rejected = sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.port).setURI("/v1/chat/ws"));
    Throwable failure = TestGateway.await(rejected.map(ok -> (Throwable) null).recover(e -> io.vertx.core.Future.succeededFuture(e)));
    assertTrue(failure instanceof UpgradeRejectedException, String.valueOf(failure));
    assertEquals(401, ((UpgradeRejectedException) failure).getStatus());
    // A NUL character (which Postgres text cannot hold) is bad input, never an internal error.
    Response nul = say(dee, room, "a\u0000b");
    assertEquals(400, nul.status(), nul.toString());
    for (String path : java.util.List.of("/v1/chat/rooms/%00/messages", "/v1/chat/rooms?starting_after=%00", "/v1/transfers/%00",
        "/v1/transfers?starting_after=%00", "/v1/payment_requests/%00", "/v1/payment_requests/%00/qr.png")) {
      Response response = gateway.get(path).bearer(dee.token()).send();
      assertEquals(400, response.status(), path + " " + response);
    }
  }

  @Test
  void transfersAndPaymentRequestsAreMessages() throws Exception {
    User fay = WalletUsers.create(gateway, merchant, "fay");
    User gus = WalletUsers.create(gateway, merchant, "gus");
    WalletUsers.create(gateway, merchant, "hal");
    Ledger.AccountRef clearing = new Ledger.AccountRef(merchant.id(), "test", "provider_clearing", "sandbox", "NGN");
    Ledger.AccountRef wallet = new Ledger.AccountRef(merchant.id(), "test", "user_wallet", fay.id(), "NGN");
    TestGateway.await(gateway.sql.withTransaction(tx -> Ledger.post(tx, merchant.id(), "test", "test_funding", "fund-fay",
        List.of(new Ledger.Leg(clearing, -1_000), new Ledger.Leg(wallet, 1_000)))));
    String room = room(fay, "Money", "gus");
    Client gusClient = connect(gus);

    Response paid = gateway.post("/v1/chat/rooms/" + room + "/messages").bearer(fay.token()).idempotencyKey(UUID.randomUUID().toString())
        .json(new JsonObject().put("kind", "transfer").put("to", "gus").put("amount", 600).put("currency", "NGN")).send();
    assertEquals(201, paid.status(), paid.toString());
    JsonObject receipt = paid.json().getJsonObject("transfer");
    assertNotNull(receipt);
    assertEquals(600, receipt.getLong("amount"));
    assertEquals(receipt.getString("id"), gusClient.next(ChatTest::message).getJsonObject("message").getJsonObject("transfer").getString("id"));
    assertEquals(600, gateway.get("/v1/wallet").bearer(gus.token()).send().json().getJsonArray("balances").getJsonObject(0).getLong("available"));

    long before = gateway.query("SELECT count(*) AS n FROM chat_messages WHERE room_id = $1", room).iterator().next().getLong("n");
    Response broke = gateway.post("/v1/chat/rooms/" + room + "/messages").bearer(fay.token()).idempotencyKey(UUID.randomUUID().toString())
        .json(new JsonObject().put("kind", "transfer").put("to", "gus").put("amount", 600).put("currency", "NGN")).send();
    assertEquals(422, broke.status());
    assertEquals("insufficient_funds", broke.errorCode());
    Response outsider = gateway.post("/v1/chat/rooms/" + room + "/messages").bearer(fay.token()).idempotencyKey(UUID.randomUUID().toString())
        .json(new JsonObject().put("kind", "transfer").put("to", "hal").put("amount", 1).put("currency", "NGN")).send();
    assertEquals(404, outsider.status());
    assertEquals("unknown_recipient", outsider.errorCode());
    assertEquals(before, gateway.query("SELECT count(*) AS n FROM chat_messages WHERE room_id = $1", room).iterator().next().getLong("n"));

    Response asked = gateway.post("/v1/chat/rooms/" + room + "/messages").bearer(gus.token())
        .json(new JsonObject().put("kind", "payment_request").put("amount", 300).put("currency", "NGN").put("description", "Cab")).send();
    assertEquals(201, asked.status(), asked.toString());
    JsonObject request = asked.json().getJsonObject("payment_request");
    assertTrue(request.getString("id").startsWith("preq_"));
    assertEquals(room, request.getString("room_id"));
    assertEquals("gus", request.getString("payee"));
    assertTrue(request.getString("encoded_message").length() <= 160);
    TestGateway.await(gusClient.socket().close());
  }

  @Test
  void presenceFollowsSocketsAndLapsesWithoutHeartbeat() throws Exception {
    User ivy = WalletUsers.create(gateway, merchant, "ivy");
    User jon = WalletUsers.create(gateway, merchant, "jon");
    room(ivy, "Presence", "jon");
    Client ivyClient = connect(ivy);
    Client jonClient = connect(jon);
    JsonObject joined = ivyClient.next(frame -> "presence".equals(frame.getString("type")));
    assertEquals("joined", joined.getString("event"));
    assertEquals("jon", joined.getJsonObject("user").getString("username"));
    assertTrue(online().contains("jon"));
    TestGateway.await(jonClient.socket().close());
    JsonObject left = ivyClient.next(frame -> "presence".equals(frame.getString("type")) && "left".equals(frame.getString("event")));
    assertEquals("jon", left.getJsonObject("user").getString("username"));
    assertTrue(!online().contains("jon"));
    assertTrue(online().contains("ivy"));

    // A crashed node never says goodbye: its entries carry a lapse time and drop out once it passes.
    TestGateway.await(gateway.vertx.eventBus().request(ChatAddresses.HEARTBEAT, new JsonObject().put("connections", new JsonArray().add(
        new JsonObject().put("merchant_id", merchant.id()).put("mode", "test").put("user_id", "usr_ghost").put("username", "ghost")
            .put("connection", "ws_crashed")))));
    assertTrue(online().contains("ghost"));
    String key = gateway.config.redis().keyPrefix() + "presence:" + merchant.id() + ":test";
    // Move the ghost's lapse time into the past, as if its TTL had run out.
    TestGateway.await(io.vertx.redis.client.Redis.createClient(gateway.vertx, gateway.config.redis().url()).connect()
        .compose(connection -> connection.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.ZADD)
            .arg(key).arg("XX").arg(String.valueOf(System.currentTimeMillis() - 1)).arg("usr_ghost|ghost|ws_crashed"))
            .eventually(() -> connection.close())));
    assertTrue(!online().contains("ghost"));
    TestGateway.await(ivyClient.socket().close());
  }

  static List<String> online() {
    Response list = gateway.get("/v1/users/online").bearer(merchant.secret()).send();
    assertEquals(200, list.status(), list.toString());
    return list.data().stream().map(JsonObject.class::cast).map(user -> user.getString("username")).toList();
  }
}
