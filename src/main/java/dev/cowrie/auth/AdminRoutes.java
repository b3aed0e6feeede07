package dev.cowrie.auth;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Input;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.http.Access;
import dev.cowrie.http.Api;
import dev.cowrie.http.Reply;
import dev.cowrie.http.Routes;
import dev.cowrie.security.AuthAddresses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** Operator endpoints under {@code /v1/admin}, guarded by the admin token. */
public final class AdminRoutes implements Routes {
  private final long timeoutMs;

  public AdminRoutes(CowrieConfig config) {
    this.timeoutMs = config.bus().requestTimeoutMs();
  }

  @Override
  public void mount(Api api) {
    api.post("/v1/admin/merchants", Access.ADMIN, call -> {
      JsonObject body = call.body();
      Input.onlyKnown(body, Set.of("name", "email"));
      return send(api, AuthAddresses.CREATE_MERCHANT, call.command(new JsonObject()
          .put("name", Input.string(body, "name", 200)).put("email", Input.email(body, "email"))))
          .map(Reply::created);
    });
    api.get("/v1/admin/merchants", Access.ADMIN, call -> send(api, AuthAddresses.LIST_MERCHANTS,
        new JsonObject().put("limit", call.page().limit())).map(Reply::ok));
    api.post("/v1/admin/merchants/:id/api_keys", Access.ADMIN, call -> {
      JsonObject body = call.body();
      Input.onlyKnown(body, Set.of("type", "mode"));
      return send(api, AuthAddresses.CREATE_KEY, call.command(new JsonObject().put("merchant_id", call.path("id"))
          .put("type", Input.optionalString(body, "type", 20)).put("mode", body.getString("mode", "test"))))
          .map(Reply::created);
    });
    api.post("/v1/admin/users", Access.ADMIN, call -> {
      JsonObject body = call.body();
      Input.onlyKnown(body, Set.of("merchant", "username", "password", "type", "mode", "role"));
      String type = body.getString("type", "dashboard");
      if (!type.equals("dashboard") && !type.equals("wallet")) {
        throw CowrieError.invalid("type", "type must be 'dashboard' or 'wallet'.");
      }
      return send(api, AuthAddresses.CREATE_USER, call.command(new JsonObject()
          .put("merchant_id", Input.string(body, "merchant", 64)).put("kind", type)
          .put("mode", body.getString("mode", "test")).put("role", role(body, type))
          .put("username", Input.string(body, "username", 64)).put("password", Input.string(body, "password", 200))))
          .map(Reply::created);
    });
    api.get("/v1/admin/audit_log", Access.ADMIN, call -> send(api, AuthAddresses.LIST_AUDIT,
        new JsonObject().put("merchant_id", call.query("merchant")).put("limit", call.page().limit())).map(Reply::ok));
  }

  /** A dashboard user's role (owner unless given); wallet users have none. */
  private static String role(JsonObject body, String type) {
    String role = Input.optionalString(body, "role", 20);
    if (role != null && (!type.equals("dashboard") || dev.cowrie.security.Role.fromWire(role) == null)) {
      throw CowrieError.invalid("role", "role is for dashboard users: owner, developer, support or viewer.");
    }
    return role;
  }

  private Future<JsonObject> send(Api api, String address, JsonObject command) {
    return Bus.request(api.vertx(), address, command, timeoutMs);
  }
}
