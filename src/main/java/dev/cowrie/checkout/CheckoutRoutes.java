package dev.cowrie.checkout;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Money;
import dev.cowrie.common.QrCodes;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.http.Api;
import dev.cowrie.http.PageCall;
import dev.cowrie.http.Pages;
import dev.cowrie.http.Reply;
import dev.cowrie.http.Routes;
import dev.cowrie.payments.PaymentAddresses;
import dev.cowrie.security.AuthAddresses;
import dev.cowrie.security.Principal;
import dev.cowrie.wallets.WalletsAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * Cowrie Checkout, the hosted payment page {@code /checkout/{token}}: what is paid to whom, a QR of
 * the page for finishing on a phone, the ways to pay, and the payment followed live (the page's
 * script polls the token-scoped status). Paying from a Cowrie wallet signs the customer in on this
 * page (a page session) and sends payments the same command the API would, as that wallet user.
 */
public final class CheckoutRoutes implements Routes {
  private final long timeoutMs;
  private final int pollIntervalMs;

  public CheckoutRoutes(CowrieConfig config) {
    this.timeoutMs = config.bus().requestTimeoutMs();
    this.pollIntervalMs = config.pages().pollIntervalMs();
  }

  @Override
  public void mount(Api api) {
    Pages pages = api.pages();
    Vertx vertx = api.vertx();
    pages.get("/checkout/:token", call -> checkout(vertx, call).map(view -> call.view("checkout/pay.jte", params(view))));
    // Only the state: the token is the capability to watch, and nothing else about the payment leaks here.
    pages.get("/checkout/:token/status", call -> payment(vertx, call.path("token"))
        .map(payment -> Reply.ok(new JsonObject().put("state", CheckoutView.state(payment)))));
    pages.get("/checkout/:token/qr.svg", call -> payment(vertx, call.path("token"))
        .map(payment -> Reply.raw(200, "image/svg+xml", Buffer.buffer(QrCodes.svg(payment.getString("hosted_url"))))));
    pages.get("/checkout/:token/wallet", call -> walletPage(vertx, call, 200, null));
    pages.post("/checkout/:token/wallet/sign_in", call -> signIn(vertx, call, false));
    pages.post("/checkout/:token/wallet/sign_up", call -> signIn(vertx, call, true));
    pages.post("/checkout/:token/wallet/pay", call -> pay(vertx, call));
    pages.post("/checkout/:token/providers/:connection", call -> choose(vertx, call));
  }

  /**
   * The customer chose a connected provider: payments starts the payment there (or answers the URL it
   * already has there) and the customer continues on that provider's checkout. A provider that refuses
   * shows this page again with the reason and the other ways to pay.
   */
  private Future<Reply> choose(Vertx vertx, PageCall call) {
    String token = call.path("token");
    return payment(vertx, token).compose(payment -> call.once(payment.getString("merchant"), payment.getString("mode"),
            () -> Bus.request(vertx, PaymentAddresses.ROUTE_TO,
                new JsonObject().put("token", token).put("connection_id", call.path("connection")), timeoutMs)))
        .map(routed -> PageCall.redirect(routed.getString("redirect_url") == null ? "/checkout/" + token
            : routed.getString("redirect_url")))
        .recover(failure -> {
          CowrieError error = CowrieError.from(failure);
          if (error.code == ErrorCode.RATE_LIMITED || error.code == ErrorCode.RESOURCE_MISSING) {
            return Future.failedFuture(failure);
          }
          Map<String, Object> params = new HashMap<>();
          return checkout(vertx, call).map(view -> {
            params.putAll(params(view));
            params.put("error", error.getMessage());
            return call.view(error.code.httpStatus, "checkout/pay.jte", params);
          });
        });
  }

  private Future<JsonObject> payment(Vertx vertx, String token) {
    return Bus.request(vertx, PaymentAddresses.CHECKOUT, new JsonObject().put("token", token), timeoutMs);
  }

  private Future<CheckoutView> checkout(Vertx vertx, PageCall call) {
    return payment(vertx, call.path("token")).compose(payment -> Bus.<JsonObject>request(vertx, AuthAddresses.GET_MERCHANT,
            new JsonObject().put("merchant_id", payment.getString("merchant")), timeoutMs)
        .map(merchant -> CheckoutView.of(call.path("token"), payment, merchant.getString("name"), call.locale())));
  }

  private Map<String, Object> params(CheckoutView view) {
    Map<String, Object> params = new HashMap<>();
    params.put("view", view);
    params.put("pollMs", pollIntervalMs);
    return params;
  }

  /** The wallet step: sign in (or up) when nobody of this shop is signed in, else the balance and the confirm form. */
  private Future<Reply> walletPage(Vertx vertx, PageCall call, int status, String error) {
    return checkout(vertx, call).compose(view -> {
      Map<String, Object> params = params(view);
      params.put("error", error);
      params.put("submit", PageCall.submitId());
      Principal payer = payerOf(call, view);
      if (payer == null || !view.walletPayable()) {
        return Future.succeededFuture(call.view(status, "checkout/wallet_sign_in.jte", params));
      }
      JsonObject command = call.command(new JsonObject());
      return Future.all(Bus.<JsonObject>request(vertx, WalletsAddresses.GET_WALLET, command.copy(), timeoutMs),
              Bus.<JsonObject>request(vertx, AuthAddresses.GET_PROFILE, command.copy(), timeoutMs))
          .map(both -> {
            JsonObject wallet = both.resultAt(0);
            JsonObject profile = both.resultAt(1);
            long balance = wallet.getJsonArray("balances").stream().map(JsonObject.class::cast)
                .filter(b -> b.getString("currency").equals(view.currency())).mapToLong(b -> b.getLong("available"))
                .findFirst().orElse(0);
            params.put("username", payer.username());
            params.put("balance", new Money(balance, view.currency()).display(call.locale()));
            params.put("enough", balance >= view.amountMinor());
            params.put("pinNeeded", profile.getBoolean("pin_set", false)
                && view.amountMinor() > profile.getJsonObject("limits").getLong("pin_limit", 0L));
            return call.view(status, "checkout/wallet_confirm.jte", params);
          });
    });
  }

  /** The signed-in person, when it is a wallet user of this payment's merchant and mode. */
  private static Principal payerOf(PageCall call, CheckoutView view) {
    Principal principal = call.principal();
    return principal != null && principal.kind() == Principal.Kind.WALLET_USER
        && principal.merchantId().equals(view.merchantId()) && principal.mode().equals(view.mode()) ? principal : null;
  }

  /** Signs in (or signs up, then in) as a wallet user of this payment's merchant, with the same commands as /v1/users and /v1/auth/token. */
  private Future<Reply> signIn(Vertx vertx, PageCall call, boolean signUp) {
    String username = call.form("username");
    String password = call.form("password");
    if (username == null || password == null) {
      return walletPage(vertx, call, 400, "Enter your username and your password.");
    }
    return payment(vertx, call.path("token")).compose(payment -> {
      String merchantId = payment.getString("merchant");
      String mode = payment.getString("mode");
      Future<JsonObject> created = !signUp ? Future.succeededFuture()
          : Bus.request(vertx, AuthAddresses.CREATE_USER, new JsonObject().put("kind", "wallet").put("username", username)
              .put("password", password).put("principal", Principal.system("checkout", merchantId, mode).toJson())
              .put("request_id", call.requestId()), timeoutMs);
      return created
          .compose(user -> Bus.<JsonObject>request(vertx, AuthAddresses.ISSUE_TOKEN, new JsonObject().put("username", username)
              .put("password", password).put("wallet_scope", new JsonObject().put("merchant_id", merchantId).put("mode", mode)),
              timeoutMs))
          .compose(call::signIn)
          .map(ignored -> PageCall.redirect("/checkout/" + call.path("token") + "/wallet"));
    }).recover(failure -> retry(vertx, call, failure));
  }

  /** Confirms: the PIN (when needed) goes with the pay command; a repeated submit replays its first answer. */
  private Future<Reply> pay(Vertx vertx, PageCall call) {
    String token = call.path("token");
    Principal payer = call.principal();
    if (payer == null || payer.kind() != Principal.Kind.WALLET_USER) {
      return walletPage(vertx, call, 401, "Sign in to your Cowrie wallet first.");
    }
    String pin = call.form("pin");
    if (pin != null && !pin.matches("[0-9]{4,6}")) {
      return walletPage(vertx, call, 400, "Your PIN is 4 to 6 digits.");
    }
    return call.once(payer.merchantId(), payer.mode(), () -> Bus.request(vertx, PaymentAddresses.PAY_WITH_WALLET,
            call.command(new JsonObject().put("token", token).put("pin", pin)), timeoutMs))
        .map(paid -> PageCall.redirect("/checkout/" + token))
        .recover(failure -> retry(vertx, call, failure));
  }

  /** A refusal a person can fix (wrong password, PIN, funds) shows the wallet step again with the reason. */
  private Future<Reply> retry(Vertx vertx, PageCall call, Throwable failure) {
    CowrieError error = CowrieError.from(failure);
    if (error.code.httpStatus >= 500 || error.code == ErrorCode.RATE_LIMITED || error.code == ErrorCode.RESOURCE_MISSING) {
      return Future.failedFuture(failure);
    }
    return walletPage(vertx, call, error.code.httpStatus, error.getMessage());
  }
}
