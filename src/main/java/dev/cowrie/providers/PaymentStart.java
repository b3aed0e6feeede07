package dev.cowrie.providers;

import io.vertx.core.json.JsonObject;

/**
 * What a provider needs to start a checkout. {@code reference} is the reference the provider will
 * echo back (the payment id); {@code idempotencyKey} is stable across retries of this attempt.
 * {@code savedMethod}, when set, is charged at once without the customer (a renewal);
 * {@code saveMethod} asks the checkout to keep the customer's method for such later charges.
 */
public record PaymentStart(String paymentId, String reference, long amount, String currency, String customerEmail,
    String description, String returnUrl, String callbackUrl, String idempotencyKey, SavedMethod savedMethod,
    boolean saveMethod) {

  /** A plain checkout: nothing saved, nothing charged off-session. */
  public PaymentStart(String paymentId, String reference, long amount, String currency, String customerEmail,
      String description, String returnUrl, String callbackUrl, String idempotencyKey) {
    this(paymentId, reference, amount, currency, customerEmail, description, returnUrl, callbackUrl, idempotencyKey, null, false);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("payment_id", paymentId).put("reference", reference).put("amount", amount)
        .put("currency", currency).put("customer_email", customerEmail).put("description", description)
        .put("return_url", returnUrl).put("callback_url", callbackUrl).put("idempotency_key", idempotencyKey);
    if (savedMethod != null) {
      json.put("saved_method", savedMethod.toJson());
    }
    return saveMethod ? json.put("save_method", true) : json;
  }

  public static PaymentStart fromJson(JsonObject json) {
    return new PaymentStart(json.getString("payment_id"), json.getString("reference"), json.getLong("amount"),
        json.getString("currency"), json.getString("customer_email"), json.getString("description"),
        json.getString("return_url"), json.getString("callback_url"), json.getString("idempotency_key"),
        SavedMethod.fromJson(json.getJsonObject("saved_method")), json.getBoolean("save_method", false));
  }
}
