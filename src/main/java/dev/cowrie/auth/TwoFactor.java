package dev.cowrie.auth;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.SecretBox;
import dev.cowrie.security.Principal;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * A dashboard user's own TOTP two-factor: set up (a new secret, shown once as an otpauth URI),
 * turned on by a first good code, turned off only with a good code. Secrets are sealed with the
 * master key, bound to the user id.
 */
final class TwoFactor {
  private static final String ISSUER = "Cowrie";

  private final Pool pool;
  private final SecretBox box;
  private final Totp totp;

  TwoFactor(Pool pool, SecretBox box, Totp totp) {
    this.pool = pool;
    this.box = box;
    this.totp = totp;
  }

  static String context(String userId) {
    return "totp:" + userId;
  }

  /** A fresh secret for the user's app; replaces one not yet turned on. */
  Future<JsonObject> setUp(Principal user) {
    byte[] secret = Totp.newSecret();
    return Tenancy.transaction(pool, user.merchantId(), sql -> sql.preparedQuery("""
            UPDATE users SET totp_secret = $3, totp_last_step = NULL
            WHERE id = $1 AND merchant_id = $2 AND kind = 'dashboard' AND totp_enabled_at IS NULL""")
        .execute(Tuple.of(user.userId(), user.merchantId(), Buffer.buffer(box.seal(secret, context(user.userId())))))
        .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture(new JsonObject().put("object", "totp_setup")
                .put("secret", Totp.base32(secret)).put("otpauth_uri", Totp.uri(ISSUER, user.username(), secret))
                .put("enabled", false))
            : Future.failedFuture(new CowrieError(ErrorCode.INVALID_STATE,
                "Two-factor sign-in is already on; turn it off first (POST /v1/auth/totp/disable)."))));
  }

  /** Turns two-factor on once the app's first code matches the secret set up. */
  Future<JsonObject> enable(Principal user, String code) {
    return withCode(user, code, false, (sql, step) -> sql.preparedQuery(
            "UPDATE users SET totp_enabled_at = now(), totp_last_step = $2 WHERE id = $1 AND totp_enabled_at IS NULL")
        .execute(Tuple.of(user.userId(), step)).mapEmpty())
        .map(new JsonObject().put("object", "totp").put("enabled", true));
  }

  Future<JsonObject> disable(Principal user, String code) {
    return withCode(user, code, true, (sql, step) -> sql.preparedQuery(SignIn.CLAIM_STEP).execute(Tuple.of(user.userId(), step))
            .compose(claimed -> claimed.rowCount() == 1 ? Future.succeededFuture() : Future.failedFuture(
                new CowrieError(ErrorCode.INVALID_TOTP, "This code was already used: wait for the next one.", "code")))
            .compose(ignored -> sql.preparedQuery("""
                    UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = $1""")
                .execute(Tuple.of(user.userId())).mapEmpty()))
        .map(new JsonObject().put("object", "totp").put("enabled", false));
  }

  private interface Step {
    Future<Void> apply(SqlConnection sql, long step);
  }

  private Future<Void> withCode(Principal user, String code, boolean mustBeOn, Step then) {
    return Tenancy.transaction(pool, user.merchantId(), sql -> sql.preparedQuery("""
            SELECT totp_secret, totp_enabled_at IS NOT NULL AS on FROM users
            WHERE id = $1 AND merchant_id = $2 AND kind = 'dashboard' FOR UPDATE""")
        .execute(Tuple.of(user.userId(), user.merchantId()))
        .compose(rows -> {
          Row row = rows.size() == 0 ? null : rows.iterator().next();
          if (row == null || row.getBuffer("totp_secret") == null || row.getBoolean("on") != mustBeOn) {
            return Future.failedFuture(new CowrieError(ErrorCode.INVALID_STATE, mustBeOn
                ? "Two-factor sign-in is not on." : "Set two-factor up first (POST /v1/auth/totp), or it is already on."));
          }
          long step = totp.matchingStep(box.open(row.getBuffer("totp_secret").getBytes(), context(user.userId())), code);
          return step < 0 ? Future.failedFuture(new CowrieError(ErrorCode.INVALID_TOTP, "The code is wrong or has expired.", "code"))
              : then.apply(sql, step);
        }));
  }
}
