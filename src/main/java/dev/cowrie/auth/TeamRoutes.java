package dev.cowrie.auth;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Input;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.http.Access;
import dev.cowrie.http.Api;
import dev.cowrie.http.Call;
import dev.cowrie.http.Reply;
import dev.cowrie.http.Routes;
import dev.cowrie.security.AuthAddresses;
import dev.cowrie.security.Role;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * A merchant's team ({@code /v1/team/members}), each person's two-factor and sessions
 * ({@code /v1/auth/totp…}, {@code /v1/auth/logout_all}) and the merchant's audit trail
 * ({@code /v1/audit_log}). Who may call which is http/RolePolicy's table.
 */
public final class TeamRoutes implements Routes {
  private final long timeoutMs;

  public TeamRoutes(CowrieConfig config) {
    this.timeoutMs = config.bus().requestTimeoutMs();
  }

  @Override
  public void mount(Api api) {
    api.get("/v1/team/members", Access.SECRET, call -> send(api, AuthAddresses.TEAM_LIST, call.command(new JsonObject()
        .put("limit", call.page().limit()).put("starting_after", call.page().startingAfter()))).map(Reply::ok));
    api.post("/v1/team/members", Access.SECRET, call -> {
      JsonObject body = call.body();
      Input.onlyKnown(body, Set.of("username", "role", "password"));
      String username = Input.string(body, "username", 64);
      Users.validateUsername(username);
      String password = Input.optionalString(body, "password", 200);
      if (password != null) {
        Passwords.validate(password);
      }
      return send(api, AuthAddresses.TEAM_ADD, call.command(new JsonObject().put("username", username)
          .put("role", role(body).wire()).put("password", password))).map(Reply::created);
    });
    api.patch("/v1/team/members/:id", Access.SECRET, call -> {
      JsonObject body = call.body();
      Input.onlyKnown(body, Set.of("role"));
      return send(api, AuthAddresses.TEAM_CHANGE, call.command(new JsonObject().put("id", call.path("id"))
          .put("role", role(body).wire()))).map(Reply::ok);
    });
    api.delete("/v1/team/members/:id", Access.SECRET, call -> send(api, AuthAddresses.TEAM_REMOVE,
        call.command(new JsonObject().put("id", call.path("id")))).map(Reply::ok));

    api.post("/v1/auth/totp", Access.DASHBOARD_USER, call -> {
      Input.onlyKnown(call.body(), Set.of());
      return send(api, AuthAddresses.TOTP_SET_UP, call.command(new JsonObject())).map(Reply::created);
    });
    api.post("/v1/auth/totp/enable", Access.DASHBOARD_USER, call -> code(api, call, AuthAddresses.TOTP_ENABLE));
    api.post("/v1/auth/totp/disable", Access.DASHBOARD_USER, call -> code(api, call, AuthAddresses.TOTP_DISABLE));
    api.post("/v1/auth/logout_all", Access.PERSON, call -> {
      Input.onlyKnown(call.body(), Set.of()); // takes no fields: garbage is a 400, not silently ignored
      return send(api, AuthAddresses.SIGN_OUT_EVERYWHERE, call.command(new JsonObject())).map(Reply::ok);
    });

    api.get("/v1/audit_log", Access.SECRET, call -> send(api, AuthAddresses.MERCHANT_AUDIT,
        call.command(new JsonObject().put("filter", filter(call).toJson()))).map(Reply::ok));
  }

  private Future<Reply> code(Api api, Call call, String address) {
    JsonObject body = call.body();
    Input.onlyKnown(body, Set.of("code"));
    return send(api, address, call.command(new JsonObject().put("code", Input.string(body, "code", 10)))).map(Reply::ok);
  }

  private static Role role(JsonObject body) {
    String wire = Input.string(body, "role", 20);
    Role role = Role.fromWire(wire);
    if (role == null) {
      throw CowrieError.invalid("role", "role must be one of " + String.join(", ", Team.roleNames()) + ".");
    }
    return role;
  }

  /** actor, action, date (a UTC day, YYYY-MM-DD), since/until (RFC 3339), limit, starting_after (aud_…). */
  private static AuditQueries.Filter filter(Call call) {
    String after = call.page().startingAfter();
    long cursor = Long.MAX_VALUE;
    if (after != null) {
      try {
        cursor = Long.parseLong(after.startsWith(AuditQueries.PREFIX) ? after.substring(AuditQueries.PREFIX.length()) : after);
      } catch (NumberFormatException e) {
        throw new CowrieError(ErrorCode.PARAMETER_INVALID, "starting_after must be an audit entry id (aud_…).", "starting_after");
      }
    }
    OffsetDateTime since = time(call, "since");
    OffsetDateTime until = time(call, "until");
    String date = call.query("date");
    if (date != null) {
      try {
        LocalDate day = LocalDate.parse(date);
        since = day.atStartOfDay().atOffset(ZoneOffset.UTC);
        until = since.plusDays(1);
      } catch (DateTimeParseException e) {
        throw new CowrieError(ErrorCode.PARAMETER_INVALID, "date must be a day like 2026-11-30.", "date");
      }
    }
    return new AuditQueries.Filter(bounded(call, "actor"), bounded(call, "action"), since, until, cursor, call.page().limit());
  }

  private static String bounded(Call call, String name) {
    String value = call.query(name);
    if (value != null && value.length() > 200) {
      throw new CowrieError(ErrorCode.PARAMETER_INVALID, name + " must be at most 200 characters.", name);
    }
    return value == null || value.isEmpty() ? null : value;
  }

  private static OffsetDateTime time(Call call, String name) {
    String value = call.query(name);
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value);
    } catch (DateTimeParseException e) {
      throw new CowrieError(ErrorCode.PARAMETER_INVALID, name + " must be an RFC 3339 time like 2026-11-30T09:00:00Z.", name);
    }
  }

  private Future<JsonObject> send(Api api, String address, JsonObject command) {
    return Bus.request(api.vertx(), address, command, timeoutMs);
  }
}
