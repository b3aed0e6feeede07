package dev.cowrie.payments;

import dev.cowrie.security.Principal;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The command of {@link PaymentAddresses#REFUND} (from the API and the dashboard): refund
 * {@code amount} of a payment, or all that is left of it when null. Its answer is the refund as the
 * API renders it.
 */
public record RefundCreate(Principal principal, String requestId, String paymentId, Long amount, String reason,
    String idempotencyKey) {

  public RefundCreate {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(paymentId, "paymentId");
    if (amount != null && amount <= 0) {
      throw new IllegalArgumentException("a refund of " + amount);
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("principal", principal.toJson()).put("request_id", requestId).put("payment", paymentId)
        .put("amount", amount).put("reason", reason).put("idempotency_key", idempotencyKey);
  }

  public static RefundCreate fromJson(JsonObject json) {
    return new RefundCreate(Principal.fromJson(json.getJsonObject("principal")), json.getString("request_id"),
        json.getString("payment"), json.getLong("amount"), json.getString("reason"), json.getString("idempotency_key"));
  }
}
