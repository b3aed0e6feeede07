package dev.cowrie.checkout;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Money;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.config.Timeouts;
import dev.cowrie.http.Api;
import dev.cowrie.http.PageCall;
import dev.cowrie.http.Pages;
import dev.cowrie.http.Reply;
import dev.cowrie.http.Routes;
import dev.cowrie.payments.PaymentAddresses;
import dev.cowrie.payments.PaymentCreate;
import dev.cowrie.security.AuthAddresses;
import dev.cowrie.security.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The page of a payment link, {@code /l/{slug}}: who is paid and for what; the customer enters the
 * amount when the link lets them; Continue creates a payment (once per submit, as the link's merchant,
 * with the same command as POST /v1/payments) and goes on to its hosted checkout.
 */
public final class LinkPages implements Routes {
  private final long timeoutMs;
  private final long creationTimeoutMs;

  public LinkPages(CowrieConfig config) {
    this.timeoutMs = config.bus().requestTimeoutMs();
    this.creationTimeoutMs = Timeouts.of(config).creationMs();
  }

  /** What the link page shows. */
  public record LinkView(String slug, String merchantName, String description, boolean active, boolean chooses,
      String fixed, String min, String max, String currency, int exponent) {}

  @Override
  public void mount(Api api) {
    Pages pages = api.pages();
    Vertx vertx = api.vertx();
    pages.get("/l/:slug", call -> page(vertx, call, 200, null, null));
    pages.post("/l/:slug", call -> start(vertx, call));
  }

  private Future<JsonObject> link(Vertx vertx, String slug) {
    return Bus.request(vertx, CheckoutAddresses.LINK_BY_SLUG, new JsonObject().put("slug", slug), timeoutMs);
  }

  private Future<Reply> page(Vertx vertx, PageCall call, int status, String error, String entered) {
    return link(vertx, call.path("slug")).compose(link -> Bus.<JsonObject>request(vertx, AuthAddresses.GET_MERCHANT,
            new JsonObject().put("merchant_id", link.getString("merchant")), timeoutMs)
        .map(merchant -> {
          Map<String, Object> params = new HashMap<>();
          params.put("link", view(link, merchant.getString("name"), call.locale()));
          params.put("error", error);
          params.put("entered", entered);
          params.put("submit", PageCall.submitId());
          return call.view(status, "checkout/link.jte", params);
        }));
  }

  private static LinkView view(JsonObject link, String merchantName, Locale locale) {
    String currency = link.getString("currency");
    Long fixed = link.getLong("amount");
    return new LinkView(link.getString("slug"), merchantName, link.getString("description"), link.getBoolean("active"),
        fixed == null, fixed == null ? null : new Money(fixed, currency).display(locale),
        fixed != null ? null : new Money(link.getLong("amount_min"), currency).display(locale),
        fixed != null ? null : new Money(link.getLong("amount_max"), currency).display(locale),
        currency, Money.exponent(currency));
  }

  private Future<Reply> start(Vertx vertx, PageCall call) {
    String entered = call.form("amount");
    return link(vertx, call.path("slug")).compose(link -> {
      if (!link.getBoolean("active")) {
        return page(vertx, call, 410, "This payment link is no longer active.", entered);
      }
      long amount;
      try {
        amount = amountOf(link, entered);
      } catch (CowrieError refused) {
        return page(vertx, call, 400, refused.getMessage(), entered);
      }
      String merchantId = link.getString("merchant");
      String mode = link.getString("mode");
      return call.once(merchantId, mode, () -> Bus.request(vertx, PaymentAddresses.CREATE,
              PaymentCreate.of(Principal.system("payment_link", merchantId, mode), call.requestId(),
                      "payment_link:" + link.getString("id") + ":" + call.form(PageCall.SUBMIT_FIELD), amount, link.getString("currency"))
                  .with(new PaymentCreate.Details(null, link.getString("description"), link.getString("id"),
                      link.getString("return_url"), new JsonObject().put("payment_link", link.getString("id"))))
                  .toJson(),
              creationTimeoutMs))
          .map(payment -> PageCall.redirect(payment.getString("hosted_url")));
    });
  }

  /** The link's fixed amount, or the customer's, in major units as typed ("2500" or "2,500.50"), within the link's bounds. */
  static long amountOf(JsonObject link, String entered) {
    if (link.getLong("amount") != null) {
      return link.getLong("amount");
    }
    String currency = link.getString("currency");
    if (entered == null) {
      throw new CowrieError(ErrorCode.INVALID_AMOUNT, "Enter the amount you want to pay.", "amount");
    }
    long amount;
    try {
      amount = Money.ofMajor(new BigDecimal(entered.replace(",", "").replace(" ", "")), currency).amount();
    } catch (ArithmeticException | IllegalArgumentException notAnAmount) {
      throw new CowrieError(ErrorCode.INVALID_AMOUNT, "Enter an amount like 2500" + (Money.exponent(currency) > 0 ? " or 2500.50" : "")
          + " (" + currency + ").", "amount");
    }
    if (amount < link.getLong("amount_min") || amount > link.getLong("amount_max")) {
      throw new CowrieError(ErrorCode.INVALID_AMOUNT, "Enter an amount from " + new Money(link.getLong("amount_min"), currency)
          + " to " + new Money(link.getLong("amount_max"), currency) + ".", "amount");
    }
    return amount;
  }
}
