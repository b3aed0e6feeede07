package dev.cowrie.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import dev.cowrie.testing.WalletUsers;
import dev.cowrie.testing.WalletUsers.User;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A WebSocket opened with a JWT does not outlive the token: it is closed (1008) when the token's exp
 * passes. Tokens live their default TTL (15 minutes); the gateway's clock is moved past it instead of
 * waiting, before the socket opens (the handshake still verifies the token against real time).
 */
class SocketTokenExpiryTest {
  static TestGateway gateway;
  static WebSocketClient sockets;
  static TestGateway.Merchant merchant;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(SocketTokenExpiryTest.class);
    sockets = gateway.vertx.createWebSocketClient();
    merchant = gateway.createMerchant("Expiring Tokens");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  /** Opens the socket after moving the gateway's clock past the token's lifetime. */
  static WebSocket connectExpired(String uri, String token) {
    gateway.clock.advance(Duration.ofSeconds(gateway.config.auth().accessTokenTtlSeconds() + 1));
    return TestGateway.await(sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.port)
        .setURI(uri).addHeader("Authorization", "Bearer " + token)));
  }

  static void assertClosedForExpiry(WebSocket socket) {
    TestGateway.eventually("the socket is closed when its token expires", Duration.ofSeconds(10), socket::isClosed);
    assertEquals((short) 1008, socket.closeStatusCode());
    assertEquals("access token expired", socket.closeReason());
  }

  @Test
  void chatSocketClosesWhenTheWalletUsersTokenExpires() {
    User ada = WalletUsers.create(gateway, merchant, "ada");
    assertClosedForExpiry(connectExpired("/v1/chat/ws", ada.token()));
  }

  static String dashboardToken(String username) {
    Response user = gateway.post("/v1/admin/users").bearer(gateway.adminToken)
        .json(new JsonObject().put("merchant", merchant.id()).put("username", username).put("password", "correct horse 1")).send();
    assertEquals(201, user.status(), user.toString());
    Response token = gateway.post("/v1/auth/token")
        .json(new JsonObject().put("username", username).put("password", "correct horse 1")).send();
    assertEquals(200, token.status(), token.toString());
    return token.json().getString("access_token");
  }

  @Test
  void eventStreamClosesWhenTheDashboardUsersTokenExpires() {
    assertClosedForExpiry(connectExpired("/v1/events/stream", dashboardToken("dash")));
  }

  @Test
  void eventBusBridgeSessionClosesWhenItsTokenExpires() {
    WebSocket socket = connectExpired("/v1/eventbus/websocket", dashboardToken("dash2"));
    // The bridge closes sessions that stop pinging; keep this one alive so only the expiry can close it.
    long pings = gateway.vertx.setPeriodic(500, tick -> socket.writeTextMessage("{\"type\":\"ping\"}"));
    try {
      assertClosedForExpiry(socket);
    } finally {
      gateway.vertx.cancelTimer(pings);
    }
  }
}
