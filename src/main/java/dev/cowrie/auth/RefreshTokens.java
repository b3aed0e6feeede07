package dev.cowrie.auth;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Ids;
import dev.cowrie.common.Secrets;
import dev.cowrie.security.Principal;
import dev.cowrie.security.Role;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * Rotating refresh tokens. Each login starts a family; each refresh spends one token and issues
 * the next. Presenting a spent token means it was stolen or replayed: the whole family is revoked.
 */
final class RefreshTokens {
  /** A refresh token, whom it belongs to, and its family: the login session its access tokens name. */
  record Issued(String token, Principal principal, String familyId) {}

  private final Pool pool;
  private final int ttlSeconds;
  private final RevokedSessions revokedSessions;

  RefreshTokens(Pool pool, int ttlSeconds, RevokedSessions revokedSessions) {
    this.pool = pool;
    this.ttlSeconds = ttlSeconds;
    this.revokedSessions = revokedSessions;
  }

  Future<Issued> start(Principal principal) {
    String familyId = Ids.next("rtf");
    return issue(pool, familyId, principal).map(token -> new Issued(token, principal, familyId));
  }

  private Future<String> issue(SqlClient sql, String familyId, Principal principal) {
    String token = "rt_" + Secrets.randomToken(32);
    return sql.preparedQuery("""
            INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, mode, expires_at)
            VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))""")
        .execute(Tuple.of(Ids.next("rt"), familyId, principal.userId(), Buffer.buffer(Secrets.sha256(token)),
            principal.mode(), ttlSeconds))
        .map(token);
  }

  /** Spends {@code token} and answers its successor with the principal it belongs to. */
  Future<Issued> rotate(String token) {
    Buffer hash = Buffer.buffer(Secrets.sha256(token));
    return pool.withTransaction(tx -> tx.preparedQuery("""
            SELECT t.id, t.family_id, t.used_at, t.revoked_at, t.expires_at < now() AS expired, t.mode,
                   u.id AS user_id, u.merchant_id, u.kind, u.username, u.role
            FROM refresh_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 FOR UPDATE OF t""")
        .execute(Tuple.of(hash))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(invalid("The refresh token is not valid."));
          }
          Row row = rows.iterator().next();
          String familyId = row.getString("family_id");
          if (row.getOffsetDateTime("revoked_at") != null || row.getBoolean("expired")) {
            return Future.failedFuture(invalid("The refresh token was revoked or has expired."));
          }
          if (row.getOffsetDateTime("used_at") != null) {
            return Future.failedFuture(
                new ReuseDetected(invalid("This refresh token was already used; every session of this login has been revoked.")));
          }
          Principal principal = new Principal(
              "wallet".equals(row.getString("kind")) ? Principal.Kind.WALLET_USER : Principal.Kind.DASHBOARD_USER,
              row.getString("merchant_id"), row.getString("mode"), row.getString("user_id"), row.getString("user_id"),
              row.getString("username"), Role.fromWire(row.getString("role")));
          return tx.preparedQuery("UPDATE refresh_tokens SET used_at = now() WHERE id = $1")
              .execute(Tuple.of(row.getString("id")))
              .compose(ignored -> issue(tx, familyId, principal))
              .map(next -> new Issued(next, principal, familyId));
        }))
        // The family is revoked after the rollback, so the revocation commits although the call fails.
        .recover(failure -> failure instanceof ReuseDetected reuse
            ? revokeFamilyOf(token).compose(ignored -> Future.failedFuture(reuse.error))
            : Future.failedFuture(failure));
  }

  /** Revokes the token's whole family (logout, or reuse detected), and with it the session's access tokens. */
  Future<Void> revokeFamilyOf(String token) {
    return pool.preparedQuery("""
            UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now())
            WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1) RETURNING family_id""")
        .execute(Tuple.of(Buffer.buffer(Secrets.sha256(token))))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture()
            : revokedSessions.revoke(rows.iterator().next().getString("family_id")));
  }

  /** Signs the user out everywhere: every session of theirs, and with them every access token. */
  Future<Void> revokeAllOf(String merchantId, String userId) {
    return pool.preparedQuery("""
            WITH revoked AS (
              UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now())
              WHERE user_id = $1 AND merchant_id = $2 AND expires_at > now() RETURNING family_id)
            SELECT DISTINCT family_id FROM revoked""")
        .execute(Tuple.of(userId, merchantId))
        .compose(rows -> {
          java.util.List<Future<Void>> marks = new java.util.ArrayList<>();
          rows.forEach(row -> marks.add(revokedSessions.revoke(row.getString("family_id"))));
          return Future.all(marks).mapEmpty();
        });
  }

  private static CowrieError invalid(String message) {
    return new CowrieError(ErrorCode.INVALID_TOKEN, message, "refresh_token");
  }

  /** Carries the reuse failure out of the rolled-back transaction. */
  private static final class ReuseDetected extends RuntimeException {
    final CowrieError error;

    ReuseDetected(CowrieError error) {
      super(error.getMessage(), null, false, false);
      this.error = error;
    }
  }
}
