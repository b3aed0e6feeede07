package dev.cowrie.config;

import io.vertx.core.json.JsonObject;

/**
 * Browser pages: how long an idle page session lives and how often a page polls a status.
 * Section {@code pages} of conf/cowrie.yaml.
 */
public record PagesConfig(int sessionTtlSeconds, int pollIntervalMs) {

  static PagesConfig from(JsonObject section) {
    return new PagesConfig(CowrieConfig.integer(section, "session_ttl_seconds"),
        CowrieConfig.integer(section, "poll_interval_ms"));
  }
}
