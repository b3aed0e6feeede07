package dev.cowrie.providers;

import io.vertx.core.json.JsonObject;

/** Identifies a payment at its provider: our reference and the provider's own id when known. */
public record PaymentLookup(String reference, String providerReference, String currency) {

  public JsonObject toJson() {
    return new JsonObject().put("reference", reference).put("provider_reference", providerReference).put("currency", currency);
  }

  public static PaymentLookup fromJson(JsonObject json) {
    return new PaymentLookup(json.getString("reference"), json.getString("provider_reference"), json.getString("currency"));
  }
}
