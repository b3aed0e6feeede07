package dev.cowrie.auth;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Secrets;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.http.AccessTokens;
import dev.cowrie.security.Principal;
import dev.cowrie.security.Role;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;

/**
 * Access tokens: HS256 JWTs with a short life. Only HS256 is accepted, so {@code alg: none} and
 * algorithm confusion fail verification. The key comes from {@code auth.jwt_secret} or, when
 * unset, is derived from the master key so every node agrees without more configuration.
 */
public final class Tokens implements AccessTokens {
  static final String ISSUER = "cowrie";
  private final JWTAuth jwt;
  private final int accessTtlSeconds;
  private final RevokedSessions revoked;

  public Tokens(Vertx vertx, CowrieConfig config, RevokedSessions revoked) {
    this.revoked = revoked;
    String secret = config.auth().jwtSecret();
    if (secret.isBlank()) {
      secret = Secrets.base64Url(Secrets.hmacSha256(config.masterKey(), "cowrie-jwt-v1".getBytes(StandardCharsets.UTF_8)));
    }
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret))
        .setJWTOptions(new JWTOptions().setIssuer(ISSUER).setAlgorithm("HS256")));
    this.accessTtlSeconds = config.auth().accessTokenTtlSeconds();
  }

  public int accessTtlSeconds() {
    return accessTtlSeconds;
  }

  /** An access token of the login session {@code sessionId} (revoked with it). */
  String issue(Principal principal, String sessionId, int ttlSeconds) {
    JsonObject claims = new JsonObject()
        .put("sid", sessionId)
        .put("mer", principal.merchantId())
        .put("mode", principal.mode())
        .put("kind", principal.kind() == Principal.Kind.WALLET_USER ? "wallet" : "dashboard")
        .put("usr", principal.username())
        .put("role", principal.role() == null ? null : principal.role().wire())
        .put("typ", "access");
    return jwt.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setIssuer(ISSUER)
        .setSubject(principal.userId()).setExpiresInSeconds(ttlSeconds));
  }

  /** Verifies signature, algorithm, issuer, expiry and that its session was not revoked; answers the principal the token names. */
  @Override
  public Future<Principal> verify(String token) {
    return jwt.authenticate(new TokenCredentials(token))
        .recover(failure -> Future.failedFuture(new CowrieError(ErrorCode.INVALID_TOKEN,
            "The access token is invalid or expired.")))
        .compose(user -> {
          JsonObject claims = user.principal();
          if (!"access".equals(claims.getString("typ")) || claims.getString("sub") == null) {
            return Future.failedFuture(new CowrieError(ErrorCode.INVALID_TOKEN, "The access token is invalid or expired."));
          }
          Principal.Kind kind = "wallet".equals(claims.getString("kind"))
              ? Principal.Kind.WALLET_USER : Principal.Kind.DASHBOARD_USER;
          String userId = claims.getString("sub");
          Principal principal = new Principal(kind, claims.getString("mer"), claims.getString("mode"),
              userId, userId, claims.getString("usr"), Role.fromWire(claims.getString("role")));
          String sessionId = claims.getString("sid");
          if (sessionId == null) {
            return Future.succeededFuture(principal); // issued before tokens named their session; dies at its short expiry
          }
          return revoked.isRevoked(sessionId).compose(gone -> gone
              ? Future.failedFuture(new CowrieError(ErrorCode.INVALID_TOKEN, "The access token was revoked (logged out)."))
              : Future.succeededFuture(principal));
        });
  }
}
