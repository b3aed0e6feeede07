package dev.cowrie.auth;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Ids;
import dev.cowrie.common.Secrets;
import dev.cowrie.common.Times;
import dev.cowrie.plans.Subscriptions;
import dev.cowrie.security.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;

/**
 * API keys: {@code sk_test_…}, {@code pk_live_…} with 32 random bytes of entropy. Only the SHA-256
 * of a key is stored (keys are random, so a slow hash adds nothing); the plain key is returned
 * once, at creation.
 */
public final class ApiKeys {
  static final int KEY_BYTES = 32;

  private ApiKeys() {}

  /** A new key, the only moment its plain text exists. */
  public record NewKey(String id, String plain, String mode, String kind) {
    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("object", "api_key").put("mode", mode).put("type", kind).put("key", plain);
    }
  }

  static String prefix(String mode, String kind) {
    return (kind.equals("secret") ? "sk_" : "pk_") + mode + "_";
  }

  static byte[] hash(String key) {
    return Secrets.sha256(key);
  }

  public static Future<NewKey> create(SqlClient sql, String merchantId, String mode, String kind) {
    String plain = prefix(mode, kind) + Secrets.randomToken(KEY_BYTES);
    String id = Ids.next("key");
    String display = plain.substring(0, prefix(mode, kind).length()) + "…" + plain.substring(plain.length() - 4);
    // Live keys exist only once the merchant's KYC is verified: checked in the insert itself, for every caller.
    return sql.preparedQuery("""
            INSERT INTO api_keys (id, merchant_id, mode, kind, key_hash, display)
            SELECT $1, $2, $3, $4, $5, $6
            WHERE $3 = 'test' OR EXISTS (SELECT 1 FROM merchant_profiles WHERE merchant_id = $2 AND kyc_status = 'verified')""")
        .execute(Tuple.of(id, merchantId, mode, kind, io.vertx.core.buffer.Buffer.buffer(hash(plain)), display))
        .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture(new NewKey(id, plain, mode, kind))
            : Future.failedFuture(new CowrieError(ErrorCode.KYC_REQUIRED,
                "Live mode opens once the business is verified: complete the profile and submit it for review "
                    + "(GET /v1/profile).", "mode")));
  }

  /**
   * The principal of a valid key, with its rate limit: the merchant's own override (set by the
   * operator) or else its plan's, as in force at {@code at}; 401 for an unknown key, 403 for a live
   * key of a merchant whose plan has no live mode.
   */
  static Future<JsonObject> authenticate(SqlClient sql, String key, Instant at) {
    return sql.preparedQuery("""
            SELECT k.id, k.merchant_id, k.mode, k.kind, m.rate_limit_per_second, m.rate_limit_burst
            FROM api_keys k JOIN merchants m ON m.id = k.merchant_id
            WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())""")
        .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(hash(key))))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new CowrieError(ErrorCode.INVALID_API_KEY, "Invalid API key provided."));
          }
          Row row = rows.iterator().next();
          Principal.Kind kind = row.getString("kind").equals("secret") ? Principal.Kind.SECRET_KEY : Principal.Kind.PUBLISHABLE_KEY;
          Principal principal = new Principal(kind, row.getString("merchant_id"), row.getString("mode"),
              row.getString("id"), null, null);
          return Subscriptions.limitsAt(sql, principal.merchantId(), at).compose(limits -> {
            if (principal.mode().equals("live") && !limits.liveMode()) {
              return Future.failedFuture(new CowrieError(ErrorCode.PLAN_LIMIT_EXCEEDED,
                  "Your plan does not include live mode; ask the operator to change your plan."));
            }
            return Future.succeededFuture(new JsonObject().put("principal", principal.toJson())
                .put("rate_limit_per_second", firstSet(row.getInteger("rate_limit_per_second"), limits.rateLimitPerSecond()))
                .put("rate_limit_burst", firstSet(row.getInteger("rate_limit_burst"), limits.rateLimitBurst())));
          });
        });
  }

  /** The merchant's own override, else the plan's; null: the gateway's default. */
  private static Integer firstSet(Integer override, Integer planned) {
    return override != null ? override : planned;
  }

  public static Future<JsonArray> list(SqlClient sql, String merchantId, String mode) {
    return sql.preparedQuery("""
            SELECT id, mode, kind, display, created_at, expires_at, revoked_at FROM api_keys
            WHERE merchant_id = $1 AND ($2::text IS NULL OR mode = $2) ORDER BY id DESC LIMIT 100""")
        .execute(Tuple.of(merchantId, mode))
        .map(rows -> {
          JsonArray keys = new JsonArray();
          rows.forEach(row -> keys.add(toJson(row)));
          return keys;
        });
  }

  static JsonObject toJson(Row row) {
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("object", "api_key")
        .put("mode", row.getString("mode"))
        .put("type", row.getString("kind"))
        .put("display", row.getString("display"))
        .put("created_at", Times.rfc3339(row.getOffsetDateTime("created_at")))
        .put("expires_at", Times.rfc3339(row.getOffsetDateTime("expires_at")))
        .put("revoked", row.getOffsetDateTime("revoked_at") != null);
  }

  /**
   * Revokes a key of the merchant in {@code mode} (null only for the operator): a key of the other
   * mode is 404 to the caller, as every object of the other mode is.
   */
  public static Future<JsonObject> revoke(SqlClient sql, String merchantId, String mode, String keyId) {
    return sql.preparedQuery("""
            UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())
            WHERE id = $1 AND merchant_id = $2 AND ($3::text IS NULL OR mode = $3)
            RETURNING id, mode, kind, display, created_at, expires_at, revoked_at""")
        .execute(Tuple.of(keyId, merchantId, mode))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(CowrieError.notFound("api key", keyId))
            : Future.succeededFuture(toJson(rows.iterator().next())));
  }

  /**
   * A new key of the same mode and kind; the old one stops working now or after a grace period.
   * Only keys of {@code mode} (null only for the operator) can be rolled.
   */
  public static Future<JsonObject> roll(SqlClient sql, String merchantId, String mode, String keyId, int graceSeconds) {
    return sql.preparedQuery("""
            SELECT mode, kind FROM api_keys WHERE id = $1 AND merchant_id = $2 AND ($3::text IS NULL OR mode = $3)
              AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()) FOR UPDATE""")
        .execute(Tuple.of(keyId, merchantId, mode))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(CowrieError.notFound("active api key", keyId));
          }
          Row old = rows.iterator().next();
          return create(sql, merchantId, old.getString("mode"), old.getString("kind"))
              .compose(fresh -> sql.preparedQuery("""
                      UPDATE api_keys SET rolled_to = $3,
                        expires_at = CASE WHEN $4 = 0 THEN NULL ELSE now() + make_interval(secs => $4) END,
                        revoked_at = CASE WHEN $4 = 0 THEN now() ELSE NULL END
                      WHERE id = $1 AND merchant_id = $2""")
                  .execute(Tuple.of(keyId, merchantId, fresh.id(), graceSeconds))
                  .map(done -> fresh.toJson().put("rolled_from", keyId)));
        });
  }
}
