package dev.cowrie.payments;

import dev.cowrie.providers.ProviderStatus;
import io.vertx.core.json.JsonObject;

/**
 * What a provider says about a payment (from a callback, verify or the reconciler), as it travels
 * to {@code cowrie.payments.apply_status}. {@code failureCode}/{@code failureMessage} carry the
 * provider's decline reason when it gives one; both may be null.
 */
public record ProviderReport(String paymentId, PaymentStatus status, Long amount, String currency, String failureCode,
    String failureMessage) {

  /** The failure code a payment gets when the provider declined it without saying why. */
  static final String DECLINED = "payment_declined";

  public ProviderReport {
    java.util.Objects.requireNonNull(paymentId, "paymentId");
    java.util.Objects.requireNonNull(status, "status: an unknown provider status is asked again, not reported");
  }

  /** What a provider's own status means for the payment; null when it said nothing yet ({@link ProviderStatus#UNKNOWN}). */
  public static ProviderReport of(String paymentId, ProviderStatus status, Long amount, String currency, String failureCode,
      String failureMessage) {
    PaymentStatus mapped = PaymentStatus.of(status);
    return mapped == null ? null : new ProviderReport(paymentId, mapped, amount, currency, failureCode, failureMessage);
  }

  public JsonObject toJson() {
    return new JsonObject().put("payment_id", paymentId).put("status", status.api()).put("amount", amount)
        .put("currency", currency).put("failure_code", failureCode).put("failure_message", failureMessage);
  }

  public static ProviderReport fromJson(JsonObject json) {
    return new ProviderReport(json.getString("payment_id"), PaymentStatus.fromApi(json.getString("status")), json.getLong("amount"),
        json.getString("currency"), json.getString("failure_code"), json.getString("failure_message"));
  }

  String failureCodeOrDefault() {
    return failureCode != null ? failureCode : DECLINED;
  }

  String failureMessageOrDefault() {
    return failureMessage != null ? failureMessage : "The provider declined the payment.";
  }
}
