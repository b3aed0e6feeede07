package dev.cowrie.config;

import io.vertx.core.json.JsonObject;

/**
 * The event bus: a command's own time budget and how many instances of each command verticle run.
 * Section {@code bus} of conf/cowrie.yaml.
 */
public record BusConfig(long requestTimeoutMs, int instances) {

  static BusConfig from(JsonObject section) {
    return new BusConfig(
        CowrieConfig.number(section, "request_timeout_ms"),
        CowrieConfig.integer(section, "instances"));
  }
}
