package dev.cowrie.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An access token dies with its login: after logout, or once a spent refresh token comes back (reuse
 * detected), its access tokens are refused on every request and socket handshake, not 15 minutes later.
 */
class AccessTokenRevocationTest {
  static TestGateway gateway;
  static WebSocketClient sockets;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(AccessTokenRevocationTest.class);
    sockets = gateway.vertx.createWebSocketClient();
    TestGateway.Merchant merchant = gateway.createMerchant("Revocation Shop");
    for (String name : new String[] {"leaver", "victim"}) {
      Response user = gateway.post("/v1/admin/users").bearer(gateway.adminToken)
          .json(new JsonObject().put("merchant", merchant.id()).put("username", name).put("password", "password " + name))
          .send();
      assertEquals(201, user.status(), user.toString());
    }
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static JsonObject login(String name) {
    Response token = gateway.post("/v1/auth/token")
        .json(new JsonObject().put("username", name).put("password", "password " + name)).send();
    assertEquals(200, token.status(), token.toString());
    return token.json();
  }

  static int apiKeysStatus(String accessToken) {
    return gateway.get("/v1/api_keys").bearer(accessToken).send().status();
  }

  static void assertHandshakeRefused(String accessToken) {
    Throwable refused = TestGateway.await(sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
            .setPort(gateway.port).setURI("/v1/events/stream").addHeader("Authorization", "Bearer " + accessToken))
        .map(socket -> (Throwable) null).otherwise(failure -> failure));
    assertTrue(refused instanceof UpgradeRejectedException rejected && rejected.getStatus() == 401, "handshake: " + refused);
  }

  @Test
  void afterLogoutTheOldAccessTokenIs401() {
    JsonObject session = login("leaver");
    JsonObject otherSession = login("leaver");
    String access = session.getString("access_token");
    assertEquals(200, apiKeysStatus(access));

    Response logout = gateway.post("/v1/auth/logout").json(new JsonObject().put("refresh_token", session.getString("refresh_token"))).send();
    assertEquals(200, logout.status(), logout.toString());

    Response after = gateway.get("/v1/api_keys").bearer(access).send();
    assertEquals(401, after.status(), after.toString());
    assertEquals("invalid_token", after.errorCode());
    assertHandshakeRefused(access);
    assertEquals(200, apiKeysStatus(otherSession.getString("access_token")), "another login of the same user stays signed in");
  }

  @Test
  void aSocketOpenedWithTheTokenIsClosedAtLogout() {
    JsonObject session = login("leaver");
    WebSocket socket = TestGateway.await(sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.port)
        .setURI("/v1/events/stream").addHeader("Authorization", "Bearer " + session.getString("access_token"))));
    assertFalse(socket.isClosed());
    Response logout = gateway.post("/v1/auth/logout").json(new JsonObject().put("refresh_token", session.getString("refresh_token"))).send();
    assertEquals(200, logout.status(), logout.toString());
    TestGateway.eventually("the socket of the logged-out session is closed", Duration.ofSeconds(15), socket::isClosed);
    assertEquals((short) 1008, socket.closeStatusCode());
    assertEquals("access token revoked", socket.closeReason());
  }

  @Test
  void refreshTokenReuseRevokesTheAccessTokensOfThatLogin() {
    JsonObject first = login("victim");
    Response second = gateway.post("/v1/auth/refresh").json(new JsonObject().put("refresh_token", first.getString("refresh_token"))).send();
    assertEquals(200, second.status(), second.toString());
    String stolenAccess = second.json().getString("access_token");
    assertEquals(200, apiKeysStatus(stolenAccess));

    Response reuse = gateway.post("/v1/auth/refresh").json(new JsonObject().put("refresh_token", first.getString("refresh_token"))).send();
    assertEquals(401, reuse.status(), reuse.toString());

    assertEquals(401, apiKeysStatus(stolenAccess));
    assertEquals(401, apiKeysStatus(first.getString("access_token")));
    assertHandshakeRefused(stolenAccess);
  }
}
