package dev.cowrie.walletweb;

import dev.cowrie.common.Money;
import dev.cowrie.security.Principal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a payment request's page shows, from the public view of its link ({@code cowrie.requests.preview}):
 * whether the Ed25519 signature holds, who asks for what, the tally, and what the visitor may do.
 */
public record RequestView(String message, String requestId, boolean valid, String reason, String why, String kid, String payee, String amount,
    String paid, String remaining, long remainingMinor, String currency, String description, String expiresAt, String status,
    long paidMinor, long amountMinor, List<Method> accepts, Principal payer, boolean samePerson, String merchantId, String mode,
    String payeeUserId) {

  /** An accepted payment method and where to pay. */
  public record Method(String method, String address, String qrUrl) {}

  static RequestView of(String message, JsonObject preview, Principal signedIn, Locale locale) {
    JsonObject decoded = preview.getJsonObject("decoded") == null ? new JsonObject() : preview.getJsonObject("decoded");
    JsonObject request = preview.getJsonObject("payment_request");
    // The request is looked up only once the signature held (an expired request's signature still holds).
    boolean valid = request != null;
    String currency = request == null ? decoded.getString("currency", "") : request.getString("currency");
    long amount = request == null ? decoded.getLong("amount", 0L) : request.getLong("amount");
    long paid = request == null ? 0 : request.getLong("paid_amount");
    long remaining = Math.max(amount - paid, 0);
    List<Method> methods = new ArrayList<>();
    JsonArray accepts = request == null ? new JsonArray() : request.getJsonArray("accepts", new JsonArray());
    accepts.forEach(item -> {
      JsonObject accept = (JsonObject) item;
      methods.add(new Method(accept.getString("method"), accept.getString("address"),
          "/pay/" + message + "/qr.png?method=" + accept.getString("method")));
    });
    JsonObject tenant = request == null ? new JsonObject() : request.getJsonObject("tenant", new JsonObject());
    Principal payer = signedIn != null && signedIn.kind() == Principal.Kind.WALLET_USER
        && signedIn.merchantId().equals(tenant.getString("merchant_id")) && signedIn.mode().equals(tenant.getString("mode"))
        ? signedIn : null;
    boolean same = payer != null && payer.userId().equals(tenant.getString("payee_user_id"));
    boolean money = Money.isCurrency(currency) && amount > 0;
    return new RequestView(message, request == null ? null : request.getString("id"), valid, preview.getString("reason"), preview.getString("message"), decoded.getString("kid"),
        request == null ? null : request.getString("payee"),
        money ? new Money(amount, currency).display(locale) : null,
        money ? new Money(paid, currency).display(locale) : null,
        money ? new Money(Math.max(remaining, 0), currency).toMajor().toPlainString() : null, remaining, currency,
        request == null ? decoded.getString("description") : request.getString("description"),
        request == null ? decoded.getString("expires_at") : request.getString("expires_at"),
        request == null ? null : request.getString("status"), paid, amount, methods, payer, same,
        tenant.getString("merchant_id"), tenant.getString("mode"), tenant.getString("payee_user_id"));
  }

  /** Open or partly paid, and not expired: it takes payments. */
  public boolean payable() {
    return valid && ("open".equals(status) || "partially_paid".equals(status));
  }

  /** A signed-in wallet user of the request's merchant who is not the one asking may pay it from their wallet. */
  public boolean walletCanPay() {
    return walletPayee() && payer != null && !samePerson;
  }

  /** Asked by a wallet user (a merchant's own request is paid with its accepted methods, not wallet to wallet). */
  public boolean walletPayee() {
    return payable() && payeeUserId != null;
  }

  public String statusText() {
    return switch (status == null ? "" : status) {
      case "open" -> "Waiting for payment";
      case "partially_paid" -> "Partly paid";
      case "paid" -> "Paid in full";
      case "expired" -> "Expired";
      case "canceled" -> "Canceled by " + payee;
      default -> "Unknown";
    };
  }

  public String stateClass() {
    return switch (status == null ? "" : status) {
      case "paid" -> "succeeded";
      case "expired", "canceled" -> "failed";
      default -> "";
    };
  }

  /** The step of the currency's minor unit, for an amount field ("0.01" for NGN, "1" for JPY). */
  public String step() {
    return Money.isCurrency(currency) ? BigDecimal.ONE.movePointLeft(Money.exponent(currency)).toPlainString() : "0.01";
  }

  public String payUrlPath() {
    return "/pay/" + message;
  }
}
