package dev.cowrie.config;

import io.vertx.core.json.JsonObject;

/**
 * Hosted checkout and payment links: how long a checkout takes payment, the largest amount a link
 * may let a customer choose. Section {@code checkout} of conf/cowrie.yaml.
 */
public record CheckoutConfig(long expiresAfterSeconds, long linkAmountMax) {

  static CheckoutConfig from(JsonObject section) {
    return new CheckoutConfig(CowrieConfig.number(section, "expires_after_seconds"),
        CowrieConfig.number(section, "link_amount_max"));
  }
}
