package dev.cowrie.providers;

import io.vertx.core.json.JsonObject;

/**
 * A payment method the provider keeps for later charges without the customer (Paystack
 * {@code authorization_code}, Flutterwave card token, Stripe customer + PaymentMethod, the
 * sandbox's authorization). {@code token} is what a later charge names; {@code providerCustomer}
 * is the provider's customer it belongs to where the provider needs one (Stripe {@code cus_…}),
 * {@code email} where it charges by email (Paystack, Flutterwave).
 */
public record SavedMethod(String token, String providerCustomer, String email, String brand, String last4) {

  public JsonObject toJson() {
    return new JsonObject().put("token", token).put("provider_customer", providerCustomer).put("email", email)
        .put("brand", brand).put("last4", last4);
  }

  public static SavedMethod fromJson(JsonObject json) {
    return json == null ? null : new SavedMethod(json.getString("token"), json.getString("provider_customer"),
        json.getString("email"), json.getString("brand"), json.getString("last4"));
  }
}
