package dev.cowrie.providers;

import io.vertx.core.json.JsonObject;

/**
 * The command of {@link ProviderAddresses#call}: one operation ("start", "verify", "cancel",
 * "refund", "refund_status") on one connection, with its input record as JSON ({@link PaymentStart},
 * {@link PaymentLookup}, {@link RefundStart}, {@link RefundLookup}). The reply carries a
 * {@link CallOutcome} as {@code outcome}, then http_status, latency_ms, message, raw and result.
 */
public record ProviderCall(String operation, String connectionId, JsonObject input) {

  public JsonObject toJson() {
    return new JsonObject().put("operation", operation).put("connection_id", connectionId).put("input", input);
  }

  public static ProviderCall fromJson(JsonObject json) {
    return new ProviderCall(json.getString("operation"), json.getString("connection_id"), json.getJsonObject("input"));
  }

  /** The reply when the provider's verticle could not be reached at all. */
  public JsonObject unreachable(Throwable failure) {
    return new JsonObject().put("outcome", CallOutcome.noAnswerTo(operation).wire())
        .put("message", "provider layer unavailable: " + failure.getMessage());
  }
}
