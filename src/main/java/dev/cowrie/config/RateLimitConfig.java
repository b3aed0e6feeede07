package dev.cowrie.config;

import io.vertx.core.json.JsonObject;

/**
 * Token buckets: per API key, and per IP address on the sign-in routes.
 * Section {@code rate_limit} of conf/cowrie.yaml.
 */
public record RateLimitConfig(int perKeyPerSecond, int perKeyBurst, int perIpAuthPerSecond, int perIpAuthBurst) {

  static RateLimitConfig from(JsonObject section) {
    return new RateLimitConfig(
        CowrieConfig.integer(section, "per_key_per_second"),
        CowrieConfig.integer(section, "per_key_burst"),
        CowrieConfig.integer(section, "per_ip_auth_per_second"),
        CowrieConfig.integer(section, "per_ip_auth_burst"));
  }
}
