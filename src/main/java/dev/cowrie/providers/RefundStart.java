package dev.cowrie.providers;

import io.vertx.core.json.JsonObject;

/** A refund to ask for: of {@code amount} minor units of the payment known by these references. */
public record RefundStart(String refundId, String paymentReference, String providerReference, long amount,
    long paymentAmount, String currency, String idempotencyKey) {

  public JsonObject toJson() {
    return new JsonObject().put("refund_id", refundId).put("payment_reference", paymentReference)
        .put("provider_reference", providerReference).put("amount", amount).put("payment_amount", paymentAmount)
        .put("currency", currency).put("idempotency_key", idempotencyKey);
  }

  public static RefundStart fromJson(JsonObject json) {
    return new RefundStart(json.getString("refund_id"), json.getString("payment_reference"),
        json.getString("provider_reference"), json.getLong("amount"), json.getLong("payment_amount"),
        json.getString("currency"), json.getString("idempotency_key"));
  }
}
