package dev.cowrie.config;

import io.vertx.core.json.JsonObject;

/**
 * The outbox relay: rows per transaction and how often it looks when nothing woke it.
 * Section {@code outbox} of conf/cowrie.yaml.
 */
public record OutboxConfig(int batchSize, long pollIntervalMs) {

  static OutboxConfig from(JsonObject section) {
    return new OutboxConfig(
        CowrieConfig.integer(section, "batch_size"),
        CowrieConfig.number(section, "poll_interval_ms"));
  }
}
