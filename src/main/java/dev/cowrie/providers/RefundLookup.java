package dev.cowrie.providers;

import io.vertx.core.json.JsonObject;

/**
 * A refund to look up at its provider: our id, the provider's refund id (null when its creation
 * timed out), the payment it belongs to (our reference and the provider's id for the money).
 */
public record RefundLookup(String refundId, String providerRefundId, String paymentReference, String providerPaymentReference,
    long amount, String currency) {

  public JsonObject toJson() {
    return new JsonObject().put("refund_id", refundId).put("provider_refund_id", providerRefundId)
        .put("payment_reference", paymentReference).put("provider_payment_reference", providerPaymentReference)
        .put("amount", amount).put("currency", currency);
  }

  public static RefundLookup fromJson(JsonObject json) {
    return new RefundLookup(json.getString("refund_id"), json.getString("provider_refund_id"), json.getString("payment_reference"),
        json.getString("provider_payment_reference"), json.getLong("amount"), json.getString("currency"));
  }
}
