package dev.cowrie.auth;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.http.Authenticator;
import dev.cowrie.http.Call;
import dev.cowrie.http.Reply;
import dev.cowrie.security.AuthAddresses;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * {@code POST /v1/auth/token} as OAuth 2.0 clients send it: form-encoded {@code grant_type=password}
 * (RFC 6749 §4.3) or {@code refresh_token} (§6), answered with §5.1 tokens or §5.2 errors
 * ({@code {"error":"invalid_grant","error_description"}}), never our own error object.
 */
final class OAuthTokens {
  static final String FORM = "application/x-www-form-urlencoded";
  private static final Map<String, String> NO_STORE = Map.of("Cache-Control", "no-store", "Pragma", "no-cache");

  /** RFC 6749 §5.2 error codes used here. */
  enum OAuthError {
    INVALID_REQUEST(400), INVALID_CLIENT(401), INVALID_GRANT(400), UNSUPPORTED_GRANT_TYPE(400);

    final int status;

    OAuthError(int status) {
      this.status = status;
    }
  }

  private final Vertx vertx;
  private final long timeoutMs;

  OAuthTokens(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  static boolean isForm(Call call) {
    String type = call.header("Content-Type");
    return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith(FORM);
  }

  Future<Reply> token(Call call) {
    MultiMap form = call.ctx().request().formAttributes();
    String grant = form.get("grant_type");
    if (grant == null || grant.isBlank()) {
      return error(OAuthError.INVALID_REQUEST, "grant_type is required (password or refresh_token).");
    }
    return switch (grant) {
      case "password" -> password(call, form);
      case "refresh_token" -> refresh(form);
      default -> error(OAuthError.UNSUPPORTED_GRANT_TYPE, "grant_type '" + grant + "' is not supported; use password or refresh_token.");
    };
  }

  private Future<Reply> password(Call call, MultiMap form) {
    String username = form.get("username");
    String password = form.get("password");
    if (username == null || password == null) {
      return error(OAuthError.INVALID_REQUEST, "grant_type=password needs username and password.");
    }
    // A wallet app is the OAuth client: its publishable key is the client_id (or the Basic/Bearer credential).
    String client = form.get("client_id") != null ? form.get("client_id") : Authenticator.credential(call.header("Authorization"));
    if (client != null && !client.startsWith("pk_")) {
      return error(OAuthError.INVALID_CLIENT, "client_id must be the merchant's publishable key (pk_test_… or pk_live_…).");
    }
    String mode = form.get("mode");
    JsonObject command = new JsonObject().put("username", username).put("password", password).put("publishable_key", client)
        .put("mode", "live".equals(mode) ? "live" : "test");
    return answer(Bus.request(vertx, AuthAddresses.ISSUE_TOKEN, command, timeoutMs));
  }

  private Future<Reply> refresh(MultiMap form) {
    String token = form.get("refresh_token");
    if (token == null || token.isBlank()) {
      return error(OAuthError.INVALID_REQUEST, "grant_type=refresh_token needs refresh_token.");
    }
    return answer(Bus.request(vertx, AuthAddresses.REFRESH_TOKEN, new JsonObject().put("refresh_token", token), timeoutMs));
  }

  /** Tokens as §5.1 has them; refused credentials as §5.2 invalid_grant / invalid_client; outages stay ours (5xx). */
  private static Future<Reply> answer(Future<JsonObject> tokens) {
    return tokens.map(json -> Reply.ok(json).withHeaders(NO_STORE)).recover(failure -> {
      CowrieError cause = CowrieError.from(failure);
      return switch (cause.code) {
        case INVALID_CREDENTIALS, INVALID_TOKEN -> error(OAuthError.INVALID_GRANT, cause.getMessage());
        case INVALID_API_KEY -> error(OAuthError.INVALID_CLIENT, "Unknown or revoked client_id.");
        case PARAMETER_INVALID, PARAMETER_MISSING -> error(OAuthError.INVALID_REQUEST, cause.getMessage());
        default -> Future.failedFuture(cause);
      };
    });
  }

  private static Future<Reply> error(OAuthError error, String description) {
    JsonObject body = new JsonObject().put("error", error.name().toLowerCase(java.util.Locale.ROOT))
        .put("error_description", description);
    Map<String, String> headers = error == OAuthError.INVALID_CLIENT
        ? Map.of("Cache-Control", "no-store", "Pragma", "no-cache", "WWW-Authenticate", "Basic realm=\"cowrie\"") : NO_STORE;
    return Future.succeededFuture(Reply.of(error.status, body).withHeaders(headers));
  }
}
