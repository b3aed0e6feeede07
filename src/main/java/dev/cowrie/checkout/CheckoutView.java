package dev.cowrie.checkout;

import dev.cowrie.common.Money;
import dev.cowrie.http.PageCall;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * What a hosted checkout page shows, from the payment as payments answers it by token: who is paid,
 * how much (in the customer's locale, always with the currency), the state a person reads, and the
 * ways to pay while it is payable.
 */
public record CheckoutView(String token, String merchantId, String mode, String merchantName, String amount, long amountMinor, String currency,
    String description, String reference, String state, String returnUrl, String hostedUrl, boolean walletPayable,
    List<Method> methods) {

  /**
   * A way to pay: an eligible connection of the merchant, whose button posts (with its own submit id)
   * to {@code /checkout/{token}/providers/{connectionId}} and continues on that provider's hosted checkout.
   */
  public record Method(String provider, String label, String connectionId, String submit) {}

  static CheckoutView of(String token, JsonObject payment, String merchantName, Locale locale) {
    String state = state(payment);
    List<Method> methods = !state.equals("open") ? List.of()
        : payment.getJsonArray("methods", new JsonArray()).stream().map(JsonObject.class::cast)
            .map(m -> new Method(m.getString("provider"), label(m.getString("provider")), m.getString("connection_id"),
                PageCall.submitId()))
            .toList();
    return new CheckoutView(token, payment.getString("merchant"), payment.getString("mode"), merchantName,
        new Money(payment.getLong("amount"), payment.getString("currency")).display(locale),
        payment.getLong("amount"), payment.getString("currency"), payment.getString("description"),
        payment.getString("reference"), state, payment.getString("return_url"), payment.getString("hosted_url"),
        payment.getBoolean("wallet_payable", false) && state.equals("open"), methods);
  }

  /** The state a person reads: open (payable), processing, succeeded, refunded, failed, canceled or expired. */
  static String state(JsonObject payment) {
    if (payment.getBoolean("expired", false)) {
      return "expired";
    }
    return switch (payment.getString("status")) {
      case "requires_action" -> "open";
      case "processing" -> "processing";
      case "succeeded" -> "succeeded";
      case "partially_refunded", "refunded" -> "refunded";
      case "failed" -> "failed";
      case "canceled" -> "canceled";
      default -> "unknown";
    };
  }

  public boolean payable() {
    return state.equals("open");
  }

  /** The headline of each state, as the page and its live region say it. */
  public String headline() {
    return switch (state) {
      case "open" -> "Ready to pay";
      case "processing" -> "Payment received, confirming…";
      case "succeeded" -> "Paid. Thank you!";
      case "refunded" -> "Paid, then refunded";
      case "failed" -> "The payment failed";
      case "canceled" -> "This payment was canceled";
      case "expired" -> "This checkout has expired";
      default -> "Unknown state";
    };
  }

  private static String label(String provider) {
    return switch (provider == null ? "" : provider) {
      case "paystack" -> "Pay with card or bank (Paystack)";
      case "flutterwave" -> "Pay with card or mobile money (Flutterwave)";
      case "stripe" -> "Pay with card (Stripe)";
      case "chapa" -> "Pay with Chapa";
      case "sandbox" -> "Pay on the test checkout (sandbox)";
      default -> "Pay with " + provider;
    };
  }
}
