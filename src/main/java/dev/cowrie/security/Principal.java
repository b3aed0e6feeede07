package dev.cowrie.security;

import io.vertx.core.json.JsonObject;

/**
 * Who is calling: a merchant's key, a dashboard or wallet user, the operator, or a worker of the gateway. Every query a
 * feature runs is scoped by {@link #merchantId()} and {@link #mode()}.
 */
public record Principal(Kind kind, String merchantId, String mode, String actorId, String userId, String username,
    Role role) {

  /** A principal without a team role: keys, wallet users, the operator and workers. */
  public Principal(Kind kind, String merchantId, String mode, String actorId, String userId, String username) {
    this(kind, merchantId, mode, actorId, userId, username, null);
  }

  public enum Kind { SECRET_KEY, PUBLISHABLE_KEY, DASHBOARD_USER, WALLET_USER, ADMIN, SYSTEM }

  public static Principal admin() {
    return new Principal(Kind.ADMIN, null, null, "admin", null, null);
  }

  /**
   * A worker of the gateway itself (the callbacks intake, the reconciler) acting on one merchant's
   * data; {@code worker} names it in the audit trail. No route accepts it (see http/Access).
   */
  public static Principal system(String worker, String merchantId, String mode) {
    return new Principal(Kind.SYSTEM, merchantId, mode, "system:" + worker, null, null);
  }

  public boolean isAdmin() {
    return kind == Kind.ADMIN;
  }

  /** The caller acts for a merchant with full rights (secret key or dashboard user). */
  public boolean isMerchant() {
    return kind == Kind.SECRET_KEY || kind == Kind.DASHBOARD_USER;
  }

  /**
   * What the caller may do in its merchant's team: a dashboard user's own role; a secret key holds
   * the merchant's full rights (it is the merchant's own credential); others have no team role.
   */
  public Role effectiveRole() {
    return switch (kind) {
      case DASHBOARD_USER -> role == null ? Role.VIEWER : role;
      case SECRET_KEY -> Role.OWNER;
      default -> null;
    };
  }

  public JsonObject toJson() {
    return new JsonObject().put("kind", kind.name()).put("merchant_id", merchantId).put("mode", mode)
        .put("actor_id", actorId).put("user_id", userId).put("username", username)
        .put("role", role == null ? null : role.wire());
  }

  public static Principal fromJson(JsonObject json) {
    return new Principal(Kind.valueOf(json.getString("kind")), json.getString("merchant_id"), json.getString("mode"),
        json.getString("actor_id"), json.getString("user_id"), json.getString("username"), Role.fromWire(json.getString("role")));
  }
}
