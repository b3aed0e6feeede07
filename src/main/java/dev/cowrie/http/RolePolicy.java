package dev.cowrie.http;

import static java.util.Map.entry;

import dev.cowrie.security.Role;
import io.vertx.core.http.HttpMethod;
import java.util.Map;
import java.util.Set;

/**
 * The one table of who in a merchant's team may call each merchant route, and which routes live
 * mode keeps locked until the merchant's KYC is verified. {@link Api} applies both to every call,
 * so a page can hide a button but never grant what the API refuses. Reads default to viewer,
 * writes to owner: a new route is closed until it is placed here.
 */
public final class RolePolicy {
  private static final Map<String, Role> MINIMUM = Map.ofEntries(
      // Reads a viewer does not get.
      entry("GET /v1/api_keys", Role.DEVELOPER),
      entry("GET /v1/audit_log", Role.DEVELOPER),
      entry("GET /v1/profile/documents/:id", Role.OWNER),
      // Support: payments and refunds.
      entry("POST /v1/payments", Role.SUPPORT),
      entry("POST /v1/payments/:id/cancel", Role.SUPPORT),
      entry("POST /v1/payments/:id/verify", Role.SUPPORT),
      entry("POST /v1/refunds", Role.SUPPORT),
      entry("POST /v1/payment_requests", Role.SUPPORT),
      entry("POST /v1/payment_requests/:id/sent", Role.SUPPORT),
      entry("POST /v1/payment_requests/received", Role.SUPPORT),
      // Checking a message changes nothing; opening the live feed only reads.
      entry("POST /v1/payment_requests/verify", Role.VIEWER),
      entry("POST /v1/realtime/tickets", Role.VIEWER),
      // Developer: the integration (keys, webhooks, providers, wallet users of the app).
      entry("POST /v1/api_keys", Role.DEVELOPER),
      entry("POST /v1/api_keys/:id/revoke", Role.DEVELOPER),
      entry("POST /v1/api_keys/:id/roll", Role.DEVELOPER),
      entry("PUT /v1/provider_connections/:provider", Role.DEVELOPER),
      entry("POST /v1/webhook_endpoints", Role.DEVELOPER),
      entry("POST /v1/webhook_endpoints/:id", Role.DEVELOPER),
      entry("DELETE /v1/webhook_endpoints/:id", Role.DEVELOPER),
      entry("POST /v1/events/:id/redeliver", Role.DEVELOPER),
      entry("POST /v1/webhook_endpoints/:id/test", Role.DEVELOPER),
      entry("POST /v1/users", Role.DEVELOPER),
      // Each person's own sign-in: every role.
      entry("POST /v1/auth/totp", Role.VIEWER),
      entry("POST /v1/auth/totp/enable", Role.VIEWER),
      entry("POST /v1/auth/totp/disable", Role.VIEWER),
      entry("POST /v1/auth/logout_all", Role.VIEWER));
  // Owner (the default for writes): the team and the business profile.

  /** Routes that start live money or live credentials; live API keys are locked where they are made (auth/ApiKeys). */
  private static final Set<String> LIVE_LOCKED = Set.of(
      "POST /v1/payments",
      "PUT /v1/provider_connections/:provider",
      "POST /v1/wallet/topups");

  private RolePolicy() {}

  /** The least role a dashboard user needs to call the route. */
  public static Role minimum(HttpMethod method, String path) {
    Role listed = MINIMUM.get(method.name() + " " + path);
    if (listed != null) {
      return listed;
    }
    return method == HttpMethod.GET ? Role.VIEWER : Role.OWNER;
  }

  public static boolean liveLocked(HttpMethod method, String path) {
    return LIVE_LOCKED.contains(method.name() + " " + path);
  }
}
