package dev.cowrie.testing;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

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

  /**
   * Puts money in a wallet the way users do: a top-up payment on the sandbox provider, paid on its
   * checkout page; answers once the wallet shows it. The merchant needs a sandbox connection.
   */
  public static JsonObject topUp(TestGateway gateway, User user, long amount, String currency) {
    long before = available(gateway, user, currency);
    TestHttp.Response created = gateway.post("/v1/wallet/topups").bearer(user.token()).idempotencyKey(UUID.randomUUID().toString())
        .json(new JsonObject().put("amount", amount).put("currency", currency)).send();
    if (created.status() != 201) {
      throw new AssertionError("top-up failed: " + created);
    }
    String url = created.json().getJsonObject("next_action").getString("url");
    String path = url.substring(url.indexOf("/sandbox/checkout/"));
    TestHttp.Response submitted = gateway.post(path).raw("application/x-www-form-urlencoded", "outcome=succeed").send();
    if (submitted.status() != 200) {
      throw new AssertionError("checkout failed: " + submitted);
    }
    gateway.eventually(() -> available(gateway, user, currency), balance -> balance == before + amount, 10_000);
    return created.json();
  }

  public static long available(TestGateway gateway, User user, String currency) {
    TestHttp.Response wallet = gateway.get("/v1/wallet").bearer(user.token()).send();
    if (wallet.status() != 200) {
      throw new AssertionError("wallet: " + wallet);
    }
    return wallet.json().getJsonArray("balances").stream().map(JsonObject.class::cast)
        .filter(balance -> balance.getString("currency").equals(currency)).mapToLong(balance -> balance.getLong("available"))
        .findFirst().orElse(0);
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
