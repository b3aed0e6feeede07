package dev.cowrie.dashboard;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Money;
import dev.cowrie.http.Api;
import dev.cowrie.http.PageCall;
import dev.cowrie.http.Reply;
import dev.cowrie.security.Principal;
import dev.cowrie.security.Role;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every dashboard page shares: the signed-in dashboard user (others go to sign in), the API
 * rule of the route a page acts as (http/RolePolicy via {@link Api#authorize}), bus commands in the
 * API's own shape, and the frame's parameters (mode switch, test-data banner, navigation).
 */
final class Dashboard {
  static final String HOME = "/dashboard";
  static final String LOGIN = "/dashboard/login";

  private final Api api;
  private final long timeoutMs;

  Dashboard(Api api, long timeoutMs) {
    this.api = api;
    this.timeoutMs = timeoutMs;
  }

  /** A page for signed-in dashboard users: anyone else is sent to sign in and brought back. */
  interface Page {
    Future<Reply> handle(PageCall call, Principal user);
  }

  Future<Reply> signedIn(PageCall call, Page page) {
    Principal principal = call.principal();
    if (principal == null || principal.kind() != Principal.Kind.DASHBOARD_USER) {
      String back = call.ctx().request().method() == HttpMethod.GET ? call.ctx().request().uri() : HOME;
      return Future.succeededFuture(PageCall.redirect(LOGIN + "?return=" + URLEncoder.encode(back, StandardCharsets.UTF_8)));
    }
    return page.handle(call, principal);
  }

  /** Sends the bus command of API route {@code method path}, once that route's rule admits the user. */
  Future<JsonObject> as(PageCall call, HttpMethod method, String path, String address, JsonObject payload) {
    return api.authorize(call.principal(), method, path).compose(ok -> send(address, call.command(payload)));
  }

  Future<JsonObject> send(String address, JsonObject command) {
    return Bus.request(api.vertx(), address, command, timeoutMs);
  }

  Future<JsonObject> sendWithin(String address, JsonObject command, long withinMs) {
    return Bus.request(api.vertx(), address, command, withinMs);
  }

  Api api() {
    return api;
  }

  /** Whether the user's role reaches what API route {@code method path} needs (to show or hide its form; the API decides). */
  static boolean may(Principal user, HttpMethod method, String path) {
    return user.effectiveRole().atLeast(dev.cowrie.http.RolePolicy.minimum(method, path));
  }

  /** The frame's parameters for a page of {@code section}, plus the page's own. */
  static Map<String, Object> frame(PageCall call, String section, String title, Map<String, Object> own) {
    Map<String, Object> params = new HashMap<>(own);
    Principal user = call.principal();
    params.put("section", section);
    params.put("title", title);
    params.put("mode", user.mode());
    params.put("role", user.effectiveRole().wire());
    params.put("username", user.username());
    return params;
  }

  /** An answer with the API's error shown next to the field it names. */
  static Map<String, Object> error(Throwable failure) {
    CowrieError error = CowrieError.from(failure);
    Map<String, Object> params = new HashMap<>();
    params.put("error", error.getMessage());
    params.put("errorField", error.param == null ? "" : error.param);
    return params;
  }

  static List<JsonObject> objects(JsonArray array) {
    return array == null ? List.of() : array.stream().map(JsonObject.class::cast).toList();
  }

  /** 1500.5 NGN as the person reads it; unknown currencies as minor units. */
  static String money(JsonObject amount, String amountField, PageCall call) {
    Long minor = amount.getLong(amountField);
    String currency = amount.getString("currency");
    if (minor == null || currency == null || !Money.isCurrency(currency)) {
      return String.valueOf(minor);
    }
    return new Money(minor, currency).display(call.locale());
  }

  static Role role(Principal user) {
    return user.effectiveRole();
  }
}
