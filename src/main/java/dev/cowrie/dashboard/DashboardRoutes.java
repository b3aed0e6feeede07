package dev.cowrie.dashboard;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Money;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.http.Api;
import dev.cowrie.http.PageCall;
import dev.cowrie.http.Pages;
import dev.cowrie.http.Reply;
import dev.cowrie.http.Routes;
import dev.cowrie.ledger.LedgerAddresses;
import dev.cowrie.payments.PaymentAddresses;
import dev.cowrie.payments.RefundCreate;
import dev.cowrie.providers.ConnectionForm;
import dev.cowrie.security.AuthAddresses;
import dev.cowrie.security.Principal;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The merchant dashboard at {@code /dashboard}: sign-in (password, then the TOTP code when the
 * person has it on), Home, Payments and a payment's page with its refund. Every page reads and
 * writes with the bus commands of the public API routes, after those routes' own rule
 * ({@link Dashboard#as}); the team, profile, developer and audit pages are {@link SettingsPages}.
 */
public final class DashboardRoutes implements Routes {
  private final long timeoutMs;
  private final long providerTimeoutMs;
  private final Set<String> providers;
  private final Map<String, ConnectionForm> connectionForms;

  /** {@code connectionForms}: each provider's connect form by name (the registry's); the Payments filter offers the names. */
  public DashboardRoutes(CowrieConfig config, Map<String, ConnectionForm> connectionForms) {
    this.providers = Set.copyOf(connectionForms.keySet());
    this.connectionForms = Collections.unmodifiableMap(new LinkedHashMap<>(connectionForms)); // keeps the order
    this.timeoutMs = config.bus().requestTimeoutMs();
    this.providerTimeoutMs = dev.cowrie.config.Timeouts.of(config).withProviderCallMs();
  }

  @Override
  public void mount(Api api) {
    Dashboard dashboard = new Dashboard(api, timeoutMs);
    Pages pages = api.pages();
    pages.get(Dashboard.LOGIN, call -> Future.succeededFuture(login(call, Map.of())));
    pages.post(Dashboard.LOGIN, call -> signIn(dashboard, call));
    pages.get(Dashboard.HOME, call -> dashboard.signedIn(call, (c, user) -> home(dashboard, c)));
    PaymentListPage list = new PaymentListPage(dashboard, providers);
    pages.get("/dashboard/payments", call -> dashboard.signedIn(call, (c, user) -> list.page(c)));
    pages.get("/dashboard/payments.csv", call -> dashboard.signedIn(call, (c, user) -> list.csv(c)));
    pages.get("/dashboard/payments/:id", call -> dashboard.signedIn(call, (c, user) -> payment(dashboard, c, user, Map.of())));
    pages.post("/dashboard/payments/:id/refund", call -> dashboard.signedIn(call, (c, user) -> refund(dashboard, c, user)));
    // Home's live feed: a ticket for the event stream socket, under POST /v1/realtime/tickets's rule.
    pages.post("/dashboard/realtime_ticket", call -> dashboard.signedIn(call, (c, user) -> api.authorize(user, HttpMethod.POST,
        "/v1/realtime/tickets").compose(ok -> c.realtimeTicket()).map(Reply::ok)));
    new SettingsPages(dashboard).mount(api);
    new WebhookPages(dashboard).mount(api);
    new EventPages(dashboard).mount(api);
    new ProviderPages(dashboard, connectionForms).mount(api);
  }

  private static Reply login(PageCall call, Map<String, Object> extra) {
    Map<String, Object> params = new HashMap<>(extra);
    params.putIfAbsent("username", "");
    params.putIfAbsent("mode", "live".equals(call.query("mode")) ? "live" : "test");
    params.putIfAbsent("back", Pages.sameSitePath(call.query("return") == null ? Dashboard.HOME : call.query("return")));
    params.putIfAbsent("error", "");
    params.putIfAbsent("errorField", "");
    return call.view(extra.containsKey("error") ? 401 : 200, "dashboard/login.jte", params);
  }

  private Future<Reply> signIn(Dashboard dashboard, PageCall call) {
    String mode = "live".equals(call.form("mode")) ? "live" : "test";
    String username = call.form("username") == null ? "" : call.form("username");
    String back = Pages.sameSitePath(call.form("return"));
    JsonObject command = new JsonObject().put("username", username).put("password", call.form("password") == null ? "" : call.form("password"))
        .put("totp_code", call.form("totp_code")).put("mode", mode);
    return dashboard.send(AuthAddresses.ISSUE_TOKEN, command)
        .compose(tokens -> "dashboard".equals(kindOf(tokens)) ? call.signIn(tokens).map(PageCall.redirect(back.startsWith("/dashboard") ? back : Dashboard.HOME))
            : Future.failedFuture(new CowrieError(ErrorCode.INVALID_CREDENTIALS, "Wrong username or password.")))
        .recover(failure -> {
          Map<String, Object> params = Dashboard.error(failure);
          params.put("username", username);
          params.put("mode", mode);
          params.put("back", back);
          return Future.succeededFuture(login(call, params));
        });
  }

  /** A wallet user's login answers a user without a role; only dashboard users sign in here. */
  private static String kindOf(JsonObject tokens) {
    return tokens.getJsonObject("user") != null && tokens.getJsonObject("user").getString("role") != null ? "dashboard" : "wallet";
  }

  private Future<Reply> home(Dashboard dashboard, PageCall call) {
    Future<JsonObject> balance = dashboard.as(call, HttpMethod.GET, "/v1/balance", LedgerAddresses.BALANCE, new JsonObject());
    Future<JsonObject> recent = dashboard.as(call, HttpMethod.GET, "/v1/payments", PaymentAddresses.LIST,
        new JsonObject().put("page", new JsonObject().put("limit", 10)));
    return Future.all(balance, recent).map(both -> call.view("dashboard/home.jte", Dashboard.frame(call, "home", "Home", Map.of(
        "available", rows(call, balance.result().getJsonArray("available")),
        "pending", rows(call, balance.result().getJsonArray("pending")),
        "payments", PaymentRows.of(call, recent.result())))));
  }

  private static java.util.List<String> rows(PageCall call, io.vertx.core.json.JsonArray amounts) {
    return Dashboard.objects(amounts).stream().map(amount -> Dashboard.money(amount, "amount", call)).toList();
  }

  private Future<Reply> payment(Dashboard dashboard, PageCall call, Principal user, Map<String, Object> extra) {
    JsonObject byId = new JsonObject().put("id", call.path("id"));
    return dashboard.as(call, HttpMethod.GET, "/v1/payments/:id", PaymentAddresses.GET, byId)
        .compose(payment -> dashboard.as(call, HttpMethod.GET, "/v1/payments/:id/ledger_entries",
                PaymentAddresses.LEDGER_ENTRIES, byId)
            .map(ledger -> payment.copy().put("ledger_entries", ledger.getJsonArray("data"))))
        .compose(payment -> TimelineRows.of(dashboard, call, payment).map(timeline -> Map.entry(payment, timeline)))
        .map(found -> {
          JsonObject payment = found.getKey();
          Map<String, Object> params = new HashMap<>(extra);
          params.put("payment", payment);
          params.put("entries", LedgerRows.of(payment.getJsonArray("ledger_entries"), call.locale()));
          params.put("amount", Dashboard.money(payment, "amount", call));
          params.put("refunded", Dashboard.money(payment, "amount_refunded", call));
          params.put("timeline", found.getValue());
          params.put("mayRefund", Dashboard.may(user, HttpMethod.POST, "/v1/refunds"));
          params.put("submit", PageCall.submitId());
          params.putIfAbsent("error", "");
          params.putIfAbsent("errorField", "");
          params.putIfAbsent("notice", "refunded".equals(call.query("done")) ? "Refund requested." : "");
          return call.view(extra.containsKey("error") ? 422 : 200, "dashboard/payment.jte",
              Dashboard.frame(call, "payments", "Payment " + payment.getString("id"), params));
        });
  }

  /** Full when the amount is empty, else that much in major units (250.50), with an optional reason. */
  private Future<Reply> refund(Dashboard dashboard, PageCall call, Principal user) {
    String id = call.path("id");
    return dashboard.as(call, HttpMethod.GET, "/v1/payments/:id", PaymentAddresses.GET, new JsonObject().put("id", id))
        .compose(payment -> {
          Long amount = minor(call.form("amount"), payment.getString("currency"));
          RefundCreate command = new RefundCreate(user, call.requestId(), id, amount, call.form("reason"), null);
          return call.once(user.merchantId(), user.mode(), () -> dashboard.api().authorize(user, HttpMethod.POST, "/v1/refunds")
              .compose(ok -> dashboard.sendWithin(PaymentAddresses.REFUND, call.command(command.toJson()), providerTimeoutMs)));
        })
        .map(refund -> PageCall.redirect("/dashboard/payments/" + id + "?done=refunded"))
        .recover(failure -> CowrieError.from(failure).code == ErrorCode.RESOURCE_MISSING ? Future.failedFuture(failure)
            : payment(dashboard, call, user, Dashboard.error(failure)));
  }

  private static Long minor(String text, String currency) {
    if (text == null) {
      return null;
    }
    try {
      BigDecimal major = new BigDecimal(text.replace(",", ""));
      if (major.signum() <= 0) {
        throw CowrieError.invalid("amount", "amount must be greater than zero.");
      }
      return Money.ofMajor(major, currency).amount();
    } catch (NumberFormatException | ArithmeticException e) {
      throw CowrieError.invalid("amount", "amount must be a number like 250 or 250.50.");
    } catch (CowrieError e) {
      throw CowrieError.invalid("amount", e.getMessage());
    }
  }
}
