package dev.cowrie.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import dev.cowrie.testing.WalletUsers;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** POST /v1/auth/token as OAuth 2.0 clients send it (RFC 6749 §4.3, §6), with §5.2 errors. */
class OAuthTokenTest {
  static final String FORM = "application/x-www-form-urlencoded";
  static TestGateway gateway;
  static TestGateway.Merchant merchant;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(OAuthTokenTest.class);
    merchant = gateway.createMerchant("OAuth");
    WalletUsers.create(gateway, merchant, "oauth.ada");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static Response form(String... pairs) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < pairs.length; i += 2) {
      body.append(body.length() == 0 ? "" : "&").append(pairs[i]).append('=')
          .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
    }
    return gateway.post("/v1/auth/token").raw(FORM, body.toString()).send();
  }

  static void assertOAuthError(Response response, int status, String error) {
    assertEquals(status, response.status(), response.toString());
    assertEquals(error, response.json().getString("error"), response.toString());
    assertNotNull(response.json().getString("error_description"));
    assertEquals("no-store", response.header("Cache-Control"));
  }

  @Test
  void passwordGrantThenRefreshGrant() {
    Response tokens = form("grant_type", "password", "username", "oauth.ada", "password", WalletUsers.PASSWORD,
        "client_id", merchant.publishable());
    assertEquals(200, tokens.status(), tokens.toString());
    assertEquals("Bearer", tokens.json().getString("token_type"));
    assertEquals("no-store", tokens.header("Cache-Control"));
    assertEquals(200, gateway.get("/v1/wallet").bearer(tokens.json().getString("access_token")).send().status());

    String refresh = tokens.json().getString("refresh_token");
    Response rotated = form("grant_type", "refresh_token", "refresh_token", refresh);
    assertEquals(200, rotated.status(), rotated.toString());
    assertNotEquals(refresh, rotated.json().getString("refresh_token"));
    assertOAuthError(form("grant_type", "refresh_token", "refresh_token", refresh), 400, "invalid_grant");
  }

  @Test
  void errorsFollowRfc6749() {
    assertOAuthError(form("grant_type", "password", "username", "oauth.ada", "password", "wrong password 1",
        "client_id", merchant.publishable()), 400, "invalid_grant");
    assertOAuthError(form("grant_type", "client_credentials"), 400, "unsupported_grant_type");
    assertOAuthError(form("username", "oauth.ada"), 400, "invalid_request");
    assertOAuthError(form("grant_type", "password", "username", "oauth.ada"), 400, "invalid_request");
    assertOAuthError(form("grant_type", "password", "username", "oauth.ada", "password", WalletUsers.PASSWORD,
        "client_id", merchant.secret()), 401, "invalid_client");
    assertOAuthError(form("grant_type", "password", "username", "oauth.ada", "password", WalletUsers.PASSWORD,
        "client_id", "pk_test_unknown0000000000000000000000000"), 401, "invalid_client");
    assertOAuthError(form("grant_type", "refresh_token", "refresh_token", "rt_not_a_token"), 400, "invalid_grant");
  }

  @Test
  void jsonRequestsKeepTheirOwnErrorObject() {
    Response wrong = gateway.post("/v1/auth/token").json(new io.vertx.core.json.JsonObject().put("username", "oauth.ada")
        .put("password", "wrong password 1").put("publishable_key", merchant.publishable())).send();
    assertEquals(401, wrong.status());
    assertEquals("invalid_credentials", wrong.errorCode());
  }
}
