package dev.cowrie.payments;

import dev.cowrie.providers.RefundResult;
import io.vertx.core.json.JsonObject;

/**
 * The command of {@link PaymentAddresses#APPLY_REFUND_STATUS}: a refund's status as a provider
 * reported it later (a callback or the refund reconciler's look).
 */
public record RefundReport(String refundId, RefundResult.Status status, String providerRefundId, String failureMessage) {

  public JsonObject toJson() {
    return new JsonObject().put("refund_id", refundId).put("status", status.name())
        .put("provider_refund_id", providerRefundId).put("failure_message", failureMessage);
  }

  public static RefundReport fromJson(JsonObject json) {
    return new RefundReport(json.getString("refund_id"), RefundResult.Status.valueOf(json.getString("status")),
        json.getString("provider_refund_id"), json.getString("failure_message"));
  }
}
