package dev.cowrie.config;

import io.vertx.core.json.JsonObject;

/**
 * Provider calls: one call's timeout, how many connections a creation may try, the breaker.
 * Section {@code provider} of conf/cowrie.yaml.
 */
public record ProviderConfig(long timeoutMs, int routesTriedMax, int breakerFailuresMax, long breakerResetMs) {

  static ProviderConfig from(JsonObject section) {
    return new ProviderConfig(
        CowrieConfig.number(section, "timeout_ms"),
        CowrieConfig.integer(section, "routes_tried_max"),
        CowrieConfig.integer(section, "breaker_failures_max"),
        CowrieConfig.number(section, "breaker_reset_ms"));
  }
}
