package dev.cowrie.auth;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Secrets;
import dev.cowrie.common.Times;
import dev.cowrie.plans.Subscriptions;
import dev.cowrie.security.Role;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.List;

/**
 * A merchant's team: its dashboard users and their roles. A merchant always keeps one owner, and
 * a member whose role changes or who is removed is signed out everywhere (their tokens carry the
 * role they had).
 */
final class Team {
  private static final String COLUMNS = "id, username, role, totp_enabled_at IS NOT NULL AS two_factor, created_at";
  private static final int GENERATED_PASSWORD_BYTES = 12;
  private static final String LOCK_TEAM = "SELECT pg_advisory_xact_lock(hashtextextended('team:' || $1, 0))";

  private final Pool pool;
  private final Passwords passwords;
  private final RefreshTokens sessions;
  private final Clock clock;

  Team(Pool pool, Passwords passwords, RefreshTokens sessions, Clock clock) {
    this.pool = pool;
    this.passwords = passwords;
    this.sessions = sessions;
    this.clock = clock;
  }

  Future<JsonObject> list(String merchantId, int limit, String startingAfter) {
    return Tenancy.transaction(pool, merchantId, sql -> sql.preparedQuery("SELECT " + COLUMNS
            + " FROM users WHERE merchant_id = $1 AND kind = 'dashboard' AND id < $2 ORDER BY id DESC LIMIT $3")
        .execute(Tuple.of(merchantId, startingAfter == null ? "\uffff" : startingAfter, limit + 1)))
        .map(rows -> {
          JsonArray data = new JsonArray();
          rows.forEach(row -> data.add(member(row)));
          boolean more = data.size() > limit;
          return new JsonObject().put("object", "list").put("data", more ? new JsonArray(data.getList().subList(0, limit)) : data)
              .put("has_more", more);
        });
  }

  /** Invites a member; without a password one is generated and answered once as {@code temporary_password}. */
  Future<JsonObject> add(String merchantId, String username, Role role, String password) {
    String initial = password != null ? password : Secrets.randomToken(GENERATED_PASSWORD_BYTES);
    return Users.create(pool, passwords, merchantId, "dashboard", "test", username, initial, role, sql -> seatFree(sql, merchantId))
        .map(user -> new JsonObject().put("id", user.getString("id")).put("object", "team_member")
            .put("username", username).put("role", role.wire()).put("two_factor", false)
            .put("created_at", user.getString("created_at"))
            .put("temporary_password", password == null ? initial : null));
  }

  /**
   * The merchant's plan in force may cap the team ({@code team_seats}); invitations of one merchant
   * take turns (an advisory lock for the transaction), so two at once cannot both take the last seat.
   */
  private Future<Void> seatFree(SqlConnection sql, String merchantId) {
    return sql.preparedQuery(LOCK_TEAM).execute(Tuple.of(merchantId))
        .compose(locked -> Subscriptions.limitsAt(sql, merchantId, clock.instant()))
        .compose(limits -> limits.teamSeats() == null ? Future.succeededFuture()
            : sql.preparedQuery("SELECT count(*) FROM users WHERE merchant_id = $1 AND kind = 'dashboard'").execute(Tuple.of(merchantId))
                .compose(rows -> rows.iterator().next().getLong(0) < limits.teamSeats() ? Future.<Void>succeededFuture()
                    : Future.failedFuture(new CowrieError(ErrorCode.PLAN_LIMIT_EXCEEDED, "Your plan allows " + limits.teamSeats()
                        + " team members; remove one or change plans.", "username"))));
  }

  Future<JsonObject> changeRole(String merchantId, String memberId, Role role) {
    return keepingAnOwner(merchantId, memberId, role, sql -> sql.preparedQuery(
            "UPDATE users SET role = $3 WHERE id = $1 AND merchant_id = $2 RETURNING " + COLUMNS)
        .execute(Tuple.of(memberId, merchantId, role.wire())).map(rows -> member(rows.iterator().next())))
        .compose(member -> sessions.revokeAllOf(merchantId, memberId).map(member));
  }

  Future<JsonObject> remove(String merchantId, String memberId) {
    // Signed out first: a removal that then fails leaves a member signed out, never a removed one signed in.
    return sessions.revokeAllOf(merchantId, memberId)
        .compose(ignored -> keepingAnOwner(merchantId, memberId, null, sql -> sql.preparedQuery(
                "DELETE FROM refresh_tokens WHERE user_id = $1").execute(Tuple.of(memberId))
            .compose(done -> sql.preparedQuery("DELETE FROM users WHERE id = $1 AND merchant_id = $2")
                .execute(Tuple.of(memberId, merchantId)))
            .map(new JsonObject().put("id", memberId).put("object", "team_member").put("deleted", true))));
  }

  private interface Change {
    Future<JsonObject> apply(SqlConnection sql);
  }

  /**
   * Runs {@code change} on a member of the merchant (404 otherwise) unless it would leave the
   * merchant without an owner ({@code newRole} null: removal). The owners' rows are locked first, in
   * id order, so two owners demoting each other at once cannot both succeed.
   */
  private Future<JsonObject> keepingAnOwner(String merchantId, String memberId, Role newRole, Change change) {
    return Tenancy.transaction(pool, merchantId, sql -> sql.preparedQuery("""
            SELECT id FROM users WHERE merchant_id = $1 AND kind = 'dashboard' AND role = 'owner' ORDER BY id FOR UPDATE""")
        .execute(Tuple.of(merchantId))
        .compose(owners -> sql.preparedQuery("SELECT role FROM users WHERE id = $1 AND merchant_id = $2 AND kind = 'dashboard' FOR UPDATE")
            .execute(Tuple.of(memberId, merchantId))
            .compose(found -> {
              if (found.size() == 0) {
                return Future.failedFuture(CowrieError.notFound("team member", memberId));
              }
              boolean wasOwner = Role.OWNER.wire().equals(found.iterator().next().getString("role"));
              if (wasOwner && newRole != Role.OWNER && owners.size() <= 1) {
                return Future.failedFuture(new CowrieError(ErrorCode.INVALID_STATE,
                    "A merchant keeps at least one owner: make another member owner first.", newRole == null ? "id" : "role"));
              }
              return change.apply(sql);
            })));
  }

  private static JsonObject member(Row row) {
    return new JsonObject().put("id", row.getString("id")).put("object", "team_member")
        .put("username", row.getString("username")).put("role", row.getString("role"))
        .put("two_factor", row.getBoolean("two_factor"))
        .put("created_at", Times.rfc3339(row.getOffsetDateTime("created_at")));
  }

  static List<String> roleNames() {
    return java.util.Arrays.stream(Role.values()).map(Role::wire).toList();
  }
}
