package dev.cowrie.payments;

import io.vertx.core.json.JsonObject;

/**
 * The command of {@link PaymentAddresses#FIND_BY_PROVIDER_REFERENCE}: which payment (and, for a
 * refund event, which pending refund) a provider's event on one connection is about.
 */
public record ReferenceLookup(String merchantId, String mode, String connectionId, String providerReference,
                              String reference, boolean refund, Long amount) {

  /** The reply: the payment's id (null when none matches) and, when asked, the pending refund's. */
  public record Match(String paymentId, String pendingRefundId) {
    public JsonObject toJson() {
      return new JsonObject().put("payment_id", paymentId).put("pending_refund_id", pendingRefundId);
    }

    public static Match fromJson(JsonObject json) {
      return new Match(json.getString("payment_id"), json.getString("pending_refund_id"));
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("merchant_id", merchantId).put("mode", mode).put("connection_id", connectionId)
        .put("provider_reference", providerReference).put("reference", reference).put("refund", refund)
        .put("amount", amount);
  }

  public static ReferenceLookup fromJson(JsonObject json) {
    return new ReferenceLookup(json.getString("merchant_id"), json.getString("mode"), json.getString("connection_id"),
        json.getString("provider_reference"), json.getString("reference"), json.getBoolean("refund", false),
        json.getLong("amount"));
  }
}
