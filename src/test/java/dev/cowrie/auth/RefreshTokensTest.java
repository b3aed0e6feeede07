package dev.cowrie.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Refresh-token rotation: each refresh spends a token; a spent one coming back revokes the whole login. */
class RefreshTokensTest {
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(RefreshTokensTest.class);
    TestGateway.Merchant merchant = gateway.createMerchant("Refresh Shop");
    for (String name : new String[] {"rota", "reuse", "leaver"}) {
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

  private static JsonObject login(String name) {
    Response token = gateway.post("/v1/auth/token")
        .json(new JsonObject().put("username", name).put("password", "password " + name)).send();
    assertEquals(200, token.status(), token.toString());
    return token.json();
  }

  private static Response refresh(String refreshToken) {
    return gateway.post("/v1/auth/refresh").json(new JsonObject().put("refresh_token", refreshToken)).send();
  }

  @Test
  void refreshGivesANewPairThatWorks() {
    JsonObject first = login("rota");
    Response second = refresh(first.getString("refresh_token"));
    assertEquals(200, second.status(), second.toString());
    assertNotEquals(first.getString("refresh_token"), second.json().getString("refresh_token"));
    assertEquals(200, gateway.get("/v1/api_keys").bearer(second.json().getString("access_token")).send().status());
    Response third = refresh(second.json().getString("refresh_token"));
    assertEquals(200, third.status(), third.toString());
  }

  @Test
  void aSpentRefreshTokenRevokesTheWholeFamily() {
    JsonObject first = login("reuse");
    Response second = refresh(first.getString("refresh_token"));
    assertEquals(200, second.status());
    String newest = second.json().getString("refresh_token");

    Response replayed = refresh(first.getString("refresh_token"));
    assertEquals(401, replayed.status(), replayed.toString());
    assertEquals("invalid_token", replayed.errorCode());

    // The thief may hold the newest token; it is dead too.
    Response newestAfter = refresh(newest);
    assertEquals(401, newestAfter.status(), newestAfter.toString());
    assertEquals("invalid_token", newestAfter.errorCode());
    var live = gateway.query("""
        SELECT count(*) AS n FROM refresh_tokens t JOIN users u ON u.id = t.user_id
        WHERE u.username = 'reuse' AND t.revoked_at IS NULL""");
    assertEquals(0L, live.iterator().next().getLong("n"));

    // Another login of the same user is a separate family and is untouched.
    assertEquals(200, refresh(login("reuse").getString("refresh_token")).status());
  }

  @Test
  void logoutRevokesTheRefreshToken() {
    JsonObject session = login("leaver");
    Response logout = gateway.post("/v1/auth/logout").json(new JsonObject().put("refresh_token", session.getString("refresh_token"))).send();
    assertEquals(200, logout.status(), logout.toString());
    Response after = refresh(session.getString("refresh_token"));
    assertEquals(401, after.status(), after.toString());
    assertEquals("invalid_token", after.errorCode());
  }

  @Test
  void unknownOrMissingRefreshTokenIsAClearError() {
    Response unknown = refresh("rt_nothing");
    assertEquals(401, unknown.status());
    assertEquals("invalid_token", unknown.errorCode());
    Response missing = gateway.post("/v1/auth/refresh").json(new JsonObject()).send();
    assertEquals(400, missing.status(), missing.toString());
    assertEquals("refresh_token", missing.json().getJsonObject("error").getString("param"));
  }
}
