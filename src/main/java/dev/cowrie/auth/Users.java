package dev.cowrie.auth;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Ids;
import dev.cowrie.common.Times;
import dev.cowrie.security.Role;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.regex.Pattern;

/** Dashboard and wallet users: creation and lookup (sign-in is {@link SignIn}). */
public final class Users {
  private static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9._@+-]{3,64}$");

  private Users() {}

  public static void validateUsername(String username) {
    if (!USERNAME.matcher(username).matches()) {
      throw CowrieError.invalid("username", "username must be 3 to 64 letters, digits or . _ @ + -");
    }
  }

  /** A user; a dashboard user is its merchant's owner unless {@code role} says otherwise (wallet users have none). */
  public static Future<JsonObject> create(Pool pool, Passwords passwords, String merchantId, String kind, String mode,
      String username, String password) {
    return create(pool, passwords, merchantId, kind, mode, username, password, "dashboard".equals(kind) ? Role.OWNER : null);
  }

  public static Future<JsonObject> create(Pool pool, Passwords passwords, String merchantId, String kind, String mode,
      String username, String password, Role role) {
    return create(pool, passwords, merchantId, kind, mode, username, password, role, sql -> Future.succeededFuture());
  }

  /** Like the above; {@code guard} runs first in the inserting transaction and may refuse the user (a plan's seat limit). */
  static Future<JsonObject> create(Pool pool, Passwords passwords, String merchantId, String kind, String mode,
      String username, String password, Role role, java.util.function.Function<io.vertx.sqlclient.SqlConnection, Future<Void>> guard) {
    validateUsername(username);
    Passwords.validate(password);
    String id = Ids.next("usr");
    String roleName = "dashboard".equals(kind) ? java.util.Objects.requireNonNull(role, "a dashboard user has a role").wire() : null;
    return passwords.hash(password)
        .compose(hash -> Tenancy.transaction(pool, merchantId, sql -> guard.apply(sql).compose(allowed -> sql.preparedQuery("""
                INSERT INTO users (id, merchant_id, kind, mode, username, password_hash, role)
                SELECT $1, $2, $3, $4, $5, $6, $7 WHERE EXISTS (SELECT 1 FROM merchants WHERE id = $2)
                RETURNING created_at""")
            .execute(Tuple.tuple(java.util.Arrays.asList(id, merchantId, kind, mode, username, hash, roleName))))))
        .recover(failure -> failure instanceof PgException pg && "23505".equals(pg.getSqlState())
            ? Future.failedFuture(new CowrieError(ErrorCode.RESOURCE_EXISTS, "The username '" + username + "' is taken.", "username"))
            : Future.failedFuture(failure))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(CowrieError.notFound("merchant", merchantId))
            : Future.succeededFuture(new JsonObject().put("id", id).put("object", "user").put("username", username)
                .put("type", kind).put("mode", mode).put("merchant", merchantId).put("role", roleName)
                .put("created_at", Times.rfc3339(rows.iterator().next().getOffsetDateTime("created_at")))));
  }

  /** A wallet user of the same merchant and mode, by name; used by transfers and chat. */
  static Future<JsonObject> find(Pool pool, String merchantId, String mode, String username, String userId) {
    return Tenancy.transaction(pool, merchantId, sql -> sql.preparedQuery("""
            SELECT id, username, created_at FROM users
            WHERE kind = 'wallet' AND merchant_id = $1 AND mode = $2
              AND (($3::text IS NOT NULL AND lower(username) = lower($3)) OR ($4::text IS NOT NULL AND id = $4))""")
        .execute(Tuple.of(merchantId, mode, username, userId)))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new CowrieError(ErrorCode.UNKNOWN_RECIPIENT, "No such user: '" + (username != null ? username : userId) + "'.", "to"))
            : Future.succeededFuture(new JsonObject().put("id", rows.iterator().next().getString("id"))
                .put("username", rows.iterator().next().getString("username"))));
  }
}
