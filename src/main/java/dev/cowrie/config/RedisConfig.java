package dev.cowrie.config;

import io.vertx.core.json.JsonObject;

/**
 * Redis: its URL and the prefix every key of this deployment starts with.
 * Section {@code redis} of conf/cowrie.yaml.
 */
public record RedisConfig(String url, String keyPrefix) {

  static RedisConfig from(JsonObject section) {
    return new RedisConfig(
        CowrieConfig.text(section, "url"),
        CowrieConfig.text(section, "key_prefix"));
  }
}
