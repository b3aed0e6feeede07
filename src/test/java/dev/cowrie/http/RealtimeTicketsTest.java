package dev.cowrie.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.events.EventAddresses;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import dev.cowrie.testing.WalletUsers;
import dev.cowrie.testing.WalletUsers.User;
import io.vertx.core.Future;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Browser-style sockets: a single-use ticket in the URL instead of a token, on every socket endpoint. */
class RealtimeTicketsTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static TestGateway gateway;
  static WebSocketClient sockets;
  static TestGateway.Merchant merchant;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(RealtimeTicketsTest.class, Map.of("COWRIE_OUTBOX_POLL_INTERVAL_MS", "50"));
    sockets = gateway.vertx.createWebSocketClient();
    merchant = gateway.createMerchant("Tickets");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static JsonObject ticket(String credential) {
    Response issued = gateway.post("/v1/realtime/tickets").bearer(credential).send();
    assertEquals(201, issued.status(), issued.toString());
    return issued.json();
  }

  /** Connects the way a browser does: no Authorization header, only the URL. */
  static Future<WebSocket> open(String uri) {
    return sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.port).setURI(uri));
  }

  static int refusedStatus(String uri) {
    Throwable failure = TestGateway.await(open(uri).map(socket -> (Throwable) null).recover(Future::succeededFuture));
    return assertInstanceOf(UpgradeRejectedException.class, failure, "the handshake is refused").getStatus();
  }

  @Test
  void aChatTicketOpensTheSocketOnceAndIsBoundToItsUser() {
    User ada = WalletUsers.create(gateway, merchant, "ada");
    JsonObject issued = ticket(ada.token());
    String ticket = issued.getString("ticket");
    assertTrue(ticket.startsWith("tkt_"), issued.encode());
    Instant expiresAt = Instant.parse(issued.getString("expires_at"));
    assertTrue(expiresAt.isAfter(Instant.now()) && !expiresAt.isAfter(Instant.now().plusSeconds(61)), issued.encode());

    List<JsonObject> frames = new CopyOnWriteArrayList<>();
    // The handler is set on the event loop as the socket opens, so the early "ready" frame is never missed.
    WebSocket socket = TestGateway.await(open("/v1/chat/ws?ticket=" + ticket)
        .map(opened -> opened.textMessageHandler(text -> frames.add(new JsonObject(text)))));
    TestGateway.eventually("the socket is ready for ada", WAIT, () -> frames.stream()
        .anyMatch(frame -> "ready".equals(frame.getString("type")) && "ada".equals(frame.getString("user"))));
    socket.close();

    assertEquals(401, refusedStatus("/v1/chat/ws?ticket=" + ticket), "a used ticket is refused");
    assertEquals(401, refusedStatus("/v1/chat/ws?ticket=tkt_forged"), "an unknown ticket is refused");
    assertEquals(403, refusedStatus("/v1/events/stream?ticket=" + ticket(ada.token()).getString("ticket")),
        "a wallet user's ticket opens only what the wallet user may open");
  }

  @Test
  void tokensInTheQueryStringAreRefused() {
    User bea = WalletUsers.create(gateway, merchant, "bea");
    assertEquals(400, refusedStatus("/v1/chat/ws?access_token=" + bea.token()));
    assertEquals(400, refusedStatus("/v1/events/stream?access_token=" + merchant.secret()));
    Response noAuth = gateway.post("/v1/realtime/tickets").send();
    assertEquals(401, noAuth.status(), noAuth.toString());
  }

  @Test
  void aMerchantTicketOpensTheEventStream() {
    WebSocket socket = TestGateway.await(open("/v1/events/stream?ticket=" + ticket(merchant.secret()).getString("ticket")));
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    socket.textMessageHandler(text -> events.add(new JsonObject(text)));
    TestGateway.eventually("the merchant's event arrives", WAIT, () -> {
      gateway.recordEvent(merchant.id(), "test", "payment.succeeded", new JsonObject().put("id", "pay_ticket"));
      return !events.isEmpty();
    });
    assertEquals("payment.succeeded", events.get(0).getString("type"));
    socket.close();
  }

  @Test
  void aMerchantTicketOpensTheEventBusBridgeAndAnAccessTokenDoesNot() {
    String address = EventAddresses.stream(merchant.id(), "test");
    WebSocket socket = TestGateway.await(open("/v1/eventbus/websocket?ticket=" + ticket(merchant.secret()).getString("ticket")));
    List<JsonObject> frames = new CopyOnWriteArrayList<>();
    socket.handler(frame -> frames.add(new JsonObject(frame)));
    socket.writeTextMessage(new JsonObject().put("type", "register").put("address", address).encode());
    TestGateway.eventually("the bridge delivers the merchant's events", WAIT, () -> {
      gateway.recordEvent(merchant.id(), "test", "payment.succeeded", new JsonObject().put("id", "pay_bridge"));
      return frames.stream().anyMatch(frame -> "rec".equals(frame.getString("type")));
    });
    socket.close();

    WebSocket withToken = TestGateway.await(open("/v1/eventbus/websocket?access_token=" + merchant.secret()));
    // The bridge closes the session it refused (SockJS answers its own close frame, so the code is not the point).
    TestGateway.eventually("a session opened with a token in its URL is closed", WAIT, withToken::isClosed);
  }

  @Test
  void anExpiredTicketIsRefused() {
    // Its own gateway, so moving its clock past the ticket's lifetime touches no other test.
    TestGateway shortLived = TestGateway.start(RealtimeTicketsTest.class, Map.of("COWRIE_AUTH_TICKET_TTL_SECONDS", "30"));
    try {
      User cyd = WalletUsers.create(shortLived, shortLived.createMerchant("Short tickets"), "cyd");
      Response issued = shortLived.post("/v1/realtime/tickets").bearer(cyd.token()).send();
      assertEquals(201, issued.status(), issued.toString());
      Instant expiresAt = Instant.parse(issued.json().getString("expires_at"));
      shortLived.clock.advance(Duration.between(shortLived.clock.instant(), expiresAt).plusSeconds(1));
      Throwable failure = TestGateway.await(sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
              .setPort(shortLived.port).setURI("/v1/chat/ws?ticket=" + issued.json().getString("ticket")))
          .map(socket -> (Throwable) null).recover(Future::succeededFuture));
      assertEquals(401, assertInstanceOf(UpgradeRejectedException.class, failure).getStatus());
    } finally {
      shortLived.close();
    }
  }
}
