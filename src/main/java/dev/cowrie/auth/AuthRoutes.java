package dev.cowrie.auth;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Input;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.http.Access;
import dev.cowrie.http.Api;
import dev.cowrie.http.Authenticator;
import dev.cowrie.http.Call;
import dev.cowrie.http.Reply;
import dev.cowrie.http.Routes;
import dev.cowrie.security.AuthAddresses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** Login, refresh, logout, wallet-user sign-up and a merchant's own API keys. */
public final class AuthRoutes implements Routes {
  private final long timeoutMs;

  public AuthRoutes(CowrieConfig config) {
    this.timeoutMs = config.bus().requestTimeoutMs();
  }

  @Override
  public void mount(Api api) {
    api.post("/v1/auth/token", Access.NONE, call -> token(api, call));
    api.post("/v1/auth/refresh", Access.NONE, call -> send(api, AuthAddresses.REFRESH_TOKEN,
        new JsonObject().put("refresh_token", refreshToken(call))).map(Reply::ok));
    api.post("/v1/auth/logout", Access.NONE, call -> send(api, AuthAddresses.LOGOUT,
        new JsonObject().put("refresh_token", refreshToken(call))).map(Reply::ok));
    api.post("/v1/users", Access.PUBLISHABLE, call -> {
      JsonObject body = call.body();
      Input.onlyKnown(body, Set.of("username", "password"));
      return send(api, AuthAddresses.CREATE_USER, call.command(new JsonObject().put("kind", "wallet")
          .put("username", Input.string(body, "username", 64)).put("password", Input.string(body, "password", 200))))
          .map(Reply::created);
    });
    api.get("/v1/api_keys", Access.SECRET, call -> send(api, AuthAddresses.LIST_KEYS,
        call.command(new JsonObject().put("mode", call.principal().mode()))).map(Reply::ok));
    api.post("/v1/api_keys", Access.SECRET, call -> {
      JsonObject body = call.body();
      Input.onlyKnown(body, Set.of("type", "mode"));
      return send(api, AuthAddresses.CREATE_KEY, call.command(new JsonObject()
          .put("type", Input.optionalString(body, "type", 20)).put("mode", Input.optionalString(body, "mode", 10))))
          .map(Reply::created);
    });
    api.post("/v1/api_keys/:id/revoke", Access.SECRET, call -> send(api, AuthAddresses.REVOKE_KEY,
        call.command(new JsonObject().put("id", call.path("id")))).map(Reply::ok));
    api.post("/v1/api_keys/:id/roll", Access.SECRET, call -> {
      Integer grace = Input.optionalInteger(call.body(), "expires_in_seconds", 0, 7 * 24 * 3600);
      return send(api, AuthAddresses.ROLL_KEY, call.command(new JsonObject().put("id", call.path("id"))
          .put("expires_in_seconds", grace == null ? 0 : grace))).map(Reply::created);
    });
  }

  private Future<Reply> token(Api api, Call call) {
    if (OAuthTokens.isForm(call)) {
      return new OAuthTokens(api.vertx(), timeoutMs).token(call);
    }
    JsonObject body = call.body();
    Input.onlyKnown(body, Set.of("username", "password", "publishable_key", "mode", "grant_type", "totp_code"));
    String publishable = Input.optionalString(body, "publishable_key", 200);
    String header = Authenticator.credential(call.header("Authorization"));
    if (publishable == null && header != null && header.startsWith("pk_")) {
      publishable = header;
    }
    if (publishable != null && !publishable.startsWith("pk_")) {
      throw CowrieError.invalid("publishable_key", "publishable_key must be a pk_test_… or pk_live_… key.");
    }
    String mode = Input.optionalString(body, "mode", 10);
    if (mode != null && !mode.equals("test") && !mode.equals("live")) {
      throw CowrieError.invalid("mode", "mode must be 'test' or 'live'.");
    }
    JsonObject command = new JsonObject()
        .put("username", Input.string(body, "username", 100))
        .put("password", Input.string(body, "password", 200))
        .put("publishable_key", publishable)
        .put("totp_code", Input.optionalString(body, "totp_code", 10))
        .put("mode", mode == null ? "test" : mode);
    return send(api, AuthAddresses.ISSUE_TOKEN, command).map(Reply::ok);
  }

  private static String refreshToken(Call call) {
    JsonObject body = call.body();
    Input.onlyKnown(body, Set.of("refresh_token"));
    return Input.string(body, "refresh_token", 200);
  }

  private Future<JsonObject> send(Api api, String address, JsonObject command) {
    return Bus.request(api.vertx(), address, command, timeoutMs);
  }
}
