package dev.cowrie.walletweb;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.http.PageCall;
import dev.cowrie.http.Pages;
import dev.cowrie.http.Reply;
import dev.cowrie.requests.RequestsAddresses;
import dev.cowrie.security.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * A payment request's {@code pay_url} in a browser: the signed message checked (valid or not, and
 * why), who asks for what, the accepted methods with copy buttons and QR codes, "I have paid" (the
 * payer's claim, {@code /sent}), the live tally, and paying from a Cowrie wallet in one step.
 * API clients asking for JSON at the same URL keep the JSON view (RequestsRoutes).
 */
final class RequestPage {
  private final Vertx vertx;
  private final long timeoutMs;
  private final SignIn signIn;

  RequestPage(Vertx vertx, long timeoutMs, SignIn signIn) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
    this.signIn = signIn;
  }

  void mount(Pages pages) {
    pages.getForBrowsers("/pay/:message", call -> show(call, 200, Map.of()));
    pages.post("/pay/:message/sign_in", call -> enter(call, false));
    pages.post("/pay/:message/sign_up", call -> enter(call, true));
    pages.post("/pay/:message/pay", this::pay);
    pages.post("/pay/:message/sent", this::sent);
  }

  private Future<RequestView> view(PageCall call) {
    String message = call.path("message");
    return Bus.<JsonObject>request(vertx, RequestsAddresses.PREVIEW, new JsonObject().put("encoded_message", message), timeoutMs)
        .map(preview -> RequestView.of(message, preview, call.principal(), call.locale()));
  }

  private Future<Reply> show(PageCall call, int status, Map<String, Object> extra) {
    return view(call).map(view -> {
      Map<String, Object> params = new HashMap<>(extra);
      params.put("view", view);
      params.put("submit", PageCall.submitId());
      params.putIfAbsent("error", null);
      params.putIfAbsent("notice", call.query("paid") != null ? "Paid. Thank you!" : call.query("claimed") != null
          ? "Your claim was sent to " + view.payee() + "." : null);
      params.putIfAbsent("confirmation", null);
      return call.view(status, "walletweb/request.jte", params);
    });
  }

  /** A failure the person can act on is shown on the page itself, next to the form. */
  private Future<Reply> again(PageCall call, Throwable failure) {
    CowrieError error = CowrieError.from(failure);
    if (error.code == ErrorCode.INTERNAL_ERROR || error.code == ErrorCode.RATE_LIMITED) {
      return Future.failedFuture(failure);
    }
    Map<String, Object> params = new HashMap<>();
    params.put("error", error.getMessage());
    params.put("errorCode", error.code.wire());
    return show(call, error.code.httpStatus, params);
  }

  private Future<Reply> enter(PageCall call, boolean signUp) {
    return view(call).compose(view -> {
      if (!view.valid()) {
        return Future.failedFuture(new CowrieError(ErrorCode.INVALID_STATE, "This payment request link is not valid."));
      }
      return signIn.signIn(call, new SignIn.Scope(null, view.merchantId(), view.mode()), signUp)
          .map(ignored -> PageCall.redirect(view.payUrlPath() + "#wallet"));
    }).recover(failure -> again(call, failure));
  }

  /** One step: the same command as POST /v1/payment_requests/{id}/pay, keyed by the form's submit id. */
  private Future<Reply> pay(PageCall call) {
    return view(call).compose(view -> {
      if (!view.walletCanPay()) {
        return Future.failedFuture(new CowrieError(ErrorCode.INVALID_STATE, view.payable()
            ? "Sign in to a Cowrie wallet (not the one asking) to pay from it." : "This request takes no more payments."));
      }
      long amount = Forms.amount(call, "amount", view.currency());
      String pin = Forms.pin(call);
      Principal payer = view.payer();
      return call.once(payer.merchantId(), payer.mode(), () -> Bus.request(vertx, RequestsAddresses.PAY,
              call.command(new JsonObject().put("id", view.requestId()).put("amount", amount)
                  .put("currency", view.currency()).put("pin", pin).put("idempotency_key", call.form(PageCall.SUBMIT_FIELD))),
              timeoutMs))
          .map(paid -> PageCall.redirect(view.payUrlPath() + "?paid=1"));
    }).recover(failure -> again(call, failure));
  }

  /** "I have paid" by another method: the payer's claim (POST /v1/payment_requests/{id}/sent); it changes no tally. */
  private Future<Reply> sent(PageCall call) {
    return view(call).compose(view -> {
      if (!view.payable()) {
        return Future.failedFuture(new CowrieError(ErrorCode.INVALID_STATE, "This request takes no more payments."));
      }
      long amount = Forms.amount(call, "paid_amount", view.currency());
      String proof = call.form("proof");
      if (proof != null && proof.length() > 200) {
        throw CowrieError.invalid("proof", "Keep the reference under 200 characters.");
      }
      // A signed-in wallet user claims as themself; anyone else names themself (the payee decides whether to count it).
      Principal claimant = view.payer() != null ? view.payer() : Principal.system("request-page", view.merchantId(), view.mode());
      String name = call.form("payer");
      if (view.payer() == null && (name == null || name.length() > 64)) {
        throw CowrieError.invalid("payer", "Enter your name (up to 64 characters) so " + view.payee() + " knows who paid.");
      }
      return Bus.<JsonObject>request(vertx, RequestsAddresses.SENT, new JsonObject().put("id", view.requestId())
              .put("paid_amount", amount).put("proof", proof).put("payer", name).put("principal", claimant.toJson())
              .put("request_id", call.requestId()), timeoutMs)
          .compose(confirmation -> show(call, 201, Map.of("confirmation", confirmation.getString("confirmation_message"),
              "notice", "Your claim was sent to " + view.payee() + ". It counts once they confirm it.")));
    }).recover(failure -> again(call, failure));
  }
}
