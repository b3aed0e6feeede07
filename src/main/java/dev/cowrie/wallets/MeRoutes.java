package dev.cowrie.wallets;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Input;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.http.Access;
import dev.cowrie.http.Api;
import dev.cowrie.http.Call;
import dev.cowrie.http.Reply;
import dev.cowrie.http.Routes;
import dev.cowrie.security.AuthAddresses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Set;

/** {@code GET/PATCH /v1/me}: a wallet user's profile, wallet, limits and whether a payment PIN is set. */
public final class MeRoutes implements Routes {
  static final long PIN_LIMIT_MAX = 1_000_000_000_000L;
  private final long timeoutMs;
  private final Clock clock;

  public MeRoutes(CowrieConfig config, Clock clock) {
    this.clock = clock;
    this.timeoutMs = config.bus().requestTimeoutMs();
  }

  @Override
  public void mount(Api api) {
    api.router().get("/v1/me/stream").handler(new PersonStream(api, clock)::handshake);
    api.get("/v1/me", Access.WALLET_USER, call -> me(api, call, AuthAddresses.GET_PROFILE, new JsonObject()));
    api.patch("/v1/me", Access.WALLET_USER, call -> {
      JsonObject body = call.body();
      Input.onlyKnown(body, Set.of("pin", "current_pin", "pin_limit"));
      if (body.isEmpty()) {
        throw CowrieError.invalid("pin", "Send pin, pin_limit or both (with current_pin once a PIN is set).");
      }
      JsonObject change = new JsonObject().put("pin", digits(body, "pin")).put("current_pin", digits(body, "current_pin"));
      if (body.containsKey("pin_limit")) {
        if (!(body.getValue("pin_limit") instanceof Number limit) || limit.doubleValue() != limit.longValue()
            || limit.longValue() < 0 || limit.longValue() > PIN_LIMIT_MAX) {
          throw CowrieError.invalid("pin_limit", "pin_limit must be a whole number of minor units from 0 to " + PIN_LIMIT_MAX + ".");
        }
        change.put("pin_limit", ((Number) body.getValue("pin_limit")).longValue());
      }
      return me(api, call, AuthAddresses.UPDATE_PROFILE, change);
    });
  }

  private static String digits(JsonObject body, String field) {
    String value = Input.optionalString(body, field, 6);
    if (value != null && !value.matches("[0-9]{4,6}")) {
      throw CowrieError.invalid(field, field + " must be 4 to 6 digits.");
    }
    return value;
  }

  /** The profile (after the change, if any) with the wallet's balances. */
  private Future<Reply> me(Api api, Call call, String address, JsonObject change) {
    return Bus.<JsonObject>request(api.vertx(), address, call.command(change), timeoutMs)
        .compose(profile -> Bus.<JsonObject>request(api.vertx(), WalletsAddresses.GET_WALLET, call.command(new JsonObject()), timeoutMs)
            .map(wallet -> Reply.ok(profile.put("object", "me").put("wallet", wallet))));
  }
}
