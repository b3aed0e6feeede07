package dev.cowrie.walletweb;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.http.PageCall;
import dev.cowrie.security.AuthAddresses;
import dev.cowrie.security.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Signs a person in to their wallet from a page, with the same commands as {@code POST /v1/users}
 * and {@code POST /v1/auth/token}: the wallet's merchant comes from the app's publishable key
 * (the wallet web) or from the page's own request (a payment request's page).
 */
final class SignIn {
  private final Vertx vertx;
  private final long timeoutMs;

  SignIn(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  /** Which wallets a sign-in is for: an app's publishable key, or a merchant and mode a page knows. */
  record Scope(String publishableKey, String merchantId, String mode) {
    static Scope ofApp(String publishableKey) {
      if (publishableKey == null || !publishableKey.matches("pk_(test|live)_[A-Za-z0-9]{8,100}")) {
        throw CowrieError.invalid("app", "This wallet link is missing its app key (pk_test_… or pk_live_…). Open the link your app gave you.");
      }
      return new Scope(publishableKey, null, null);
    }
  }

  /** Signs up (when asked) then in; the session cookie then carries the person. */
  Future<Void> signIn(PageCall call, Scope scope, boolean signUp) {
    String username = call.form("username");
    String password = call.form("password");
    if (username == null || password == null) {
      return Future.failedFuture(new CowrieError(ErrorCode.PARAMETER_MISSING, "Enter your username and your password.", "username"));
    }
    Future<JsonObject> created = signUp ? creator(scope).compose(principal -> Bus.request(vertx, AuthAddresses.CREATE_USER,
        new JsonObject().put("kind", "wallet").put("username", username).put("password", password)
            .put("principal", principal.toJson()).put("request_id", call.requestId()), timeoutMs))
        : Future.succeededFuture();
    JsonObject login = new JsonObject().put("username", username).put("password", password);
    if (scope.publishableKey() != null) {
      login.put("publishable_key", scope.publishableKey());
    } else {
      login.put("wallet_scope", new JsonObject().put("merchant_id", scope.merchantId()).put("mode", scope.mode()));
    }
    return created.compose(user -> Bus.<JsonObject>request(vertx, AuthAddresses.ISSUE_TOKEN, login, timeoutMs))
        .compose(call::signIn);
  }

  /** Who creates the user: the app's publishable key, as POST /v1/users authenticates it, or the page's merchant. */
  private Future<Principal> creator(Scope scope) {
    if (scope.publishableKey() == null) {
      return Future.succeededFuture(Principal.system("wallet-web", scope.merchantId(), scope.mode()));
    }
    return Bus.<JsonObject>request(vertx, AuthAddresses.AUTHENTICATE_KEY, new JsonObject().put("key", scope.publishableKey()), timeoutMs)
        .map(found -> Principal.fromJson(found.getJsonObject("principal")))
        .recover(unknown -> Future.failedFuture(new CowrieError(ErrorCode.INVALID_API_KEY,
            "This wallet link's app key is not known. Open the link your app gave you.", "app")));
  }
}
