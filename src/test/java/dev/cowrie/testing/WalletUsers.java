package dev.cowrie.testing;

import io.vertx.core.json.JsonObject;

/** Wallet users for tests: signed up with the merchant's publishable key and logged in, as an app would. */
public final class WalletUsers {
  public static final String PASSWORD = "correct horse battery";

  private WalletUsers() {}

  /** A signed-up, logged-in wallet user. */
  public record User(String id, String username, String token) {}

  public static User create(TestGateway gateway, TestGateway.Merchant merchant, String username) {
    TestHttp.Response created = gateway.post("/v1/users").bearer(merchant.publishable())
        .json(new JsonObject().put("username", username).put("password", PASSWORD)).send();
    if (created.status() != 201) {
      throw new AssertionError("sign-up failed: " + created);
    }
    return login(gateway, merchant, username, created.json().getString("id"));
  }

  public static User login(TestGateway gateway, TestGateway.Merchant merchant, String username, String id) {
    TestHttp.Response token = gateway.post("/v1/auth/token")
        .json(new JsonObject().put("username", username).put("password", PASSWORD).put("publishable_key", merchant.publishable()))
        .send();
    if (token.status() != 200) {
      throw new AssertionError("login failed: " + token);
    }
    return new User(id, username, token.json().getString("access_token"));
  }
}
