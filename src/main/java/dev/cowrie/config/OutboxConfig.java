package dev.cowrie.config;

import io.vertx.core.json.JsonObject;

/**
 * The outbox relay: rows per transaction, how often it looks when nothing woke it, and how long it
 * gathers events that trickle in while a pass runs before it starts the next pass.
 * Section {@code outbox} of conf/cowrie.yaml.
 */
public record OutboxConfig(int batchSize, long pollIntervalMs, long lingerMs) {

  static OutboxConfig from(JsonObject section) {
    return new OutboxConfig(
        CowrieConfig.integer(section, "batch_size"),
        CowrieConfig.number(section, "poll_interval_ms"),
        CowrieConfig.number(section, "linger_ms"));
  }
}
