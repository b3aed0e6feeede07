package dev.cowrie.wallets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import dev.cowrie.testing.WalletUsers;
import dev.cowrie.testing.WalletUsers.User;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET /v1/me/stream: a person's own socket hears their transfers both ways, answered requests and contacts' presence. */
class PersonStreamTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static TestGateway gateway;
  static WebSocketClient sockets;
  static TestGateway.Merchant merchant;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(PersonStreamTest.class);
    sockets = gateway.vertx.createWebSocketClient();
    merchant = gateway.createMerchant("Streams of people");
    gateway.enableSandbox(merchant, "people_secret_0123456789abcdef");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  record Live(WebSocket socket, List<JsonObject> frames) {
    List<JsonObject> ofType(String type) {
      return frames.stream().filter(frame -> type.equals(frame.getString("type"))).toList();
    }
  }

  static Live open(String uri, String token) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.port).setURI(uri);
    if (token != null) {
      options.addHeader("Authorization", "Bearer " + token);
    }
    WebSocket socket = TestGateway.await(sockets.connect(options));
    Live live = new Live(socket, new CopyOnWriteArrayList<>());
    socket.textMessageHandler(text -> live.frames().add(new JsonObject(text)));
    // The ready frame may come before this handler is set; a pong answers only once the stream is subscribed.
    TestGateway.eventually("the stream is subscribed", WAIT, () -> {
      socket.writeTextMessage("{\"type\":\"ping\"}");
      return !live.ofType("pong").isEmpty() || !live.ofType("ready").isEmpty();
    });
    return live;
  }

  @Test
  void eachSideHearsItsTransferAndPayeesHearAnswersAndPresence() {
    User ada = WalletUsers.create(gateway, merchant, "ada.stream");
    User ben = WalletUsers.create(gateway, merchant, "ben.stream");
    WalletUsers.topUp(gateway, ada, 5_000, "NGN");
    String ticket = gateway.post("/v1/realtime/tickets").bearer(ada.token()).send().json().getString("ticket");
    Live adas = open("/v1/me/stream?ticket=" + ticket, null);
    Live bens = open("/v1/me/stream", ben.token());

    Response sent = gateway.post("/v1/transfers").bearer(ada.token()).idempotencyKey(UUID.randomUUID().toString())
        .json(new JsonObject().put("to", "ben.stream").put("amount", 1_200).put("currency", "NGN")).send();
    assertEquals(201, sent.status(), sent.toString());
    String transferId = sent.json().getString("id");
    TestGateway.eventually("ada hears transfer.sent", WAIT, () -> adas.ofType("transfer.sent").size() == 1);
    TestGateway.eventually("ben hears transfer.received", WAIT, () -> bens.ofType("transfer.received").size() == 1);
    assertEquals(transferId, adas.ofType("transfer.sent").get(0).getString("id"));
    assertEquals(transferId, bens.ofType("transfer.received").get(0).getString("id"));
    assertEquals(1_200L, bens.ofType("transfer.received").get(0).getJsonObject("transfer").getLong("amount"));
    assertEquals(0, adas.ofType("transfer.received").size(), "the sender hears only that it sent");

    Response request = gateway.post("/v1/payment_requests").bearer(ben.token())
        .json(new JsonObject().put("amount", 700).put("currency", "NGN").put("description", "lunch")).send();
    assertEquals(201, request.status(), request.toString());
    Response claim = gateway.post("/v1/payment_requests/" + request.json().getString("id") + "/sent").bearer(ada.token())
        .json(new JsonObject().put("paid_amount", 700).put("proof", "cash")).send();
    assertEquals(201, claim.status(), claim.toString());
    TestGateway.eventually("the payee hears the answer", WAIT, () -> bens.ofType("payment_request.answered").size() == 1);
    assertEquals(request.json().getString("id"), bens.ofType("payment_request.answered").get(0).getString("id"));

    assertEquals(201, gateway.post("/v1/chat/rooms").bearer(ada.token())
        .json(new JsonObject().put("name", "contacts").put("members", new JsonArray().add("ben.stream"))).send().status());
    WebSocket chat = TestGateway.await(sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.port)
        .setURI("/v1/chat/ws").addHeader("Authorization", "Bearer " + ben.token())));
    TestGateway.eventually("ada hears her contact come online", WAIT, () -> adas.ofType("presence").stream()
        .anyMatch(frame -> "joined".equals(frame.getString("event"))
            && "ben.stream".equals(frame.getJsonObject("user").getString("username"))));
    chat.close();
    adas.socket().close();
    bens.socket().close();
  }
}
