package dev.cowrie.config;

import io.vertx.core.json.JsonObject;

/**
 * The event bus: a command's own time budget, how many instances of each command verticle run, and
 * how many event-loop threads the node runs them on (0: Vert.x's default, two per core).
 * Section {@code bus} of conf/cowrie.yaml.
 */
public record BusConfig(long requestTimeoutMs, int instances, int eventLoops) {

  static BusConfig from(JsonObject section) {
    return new BusConfig(
        CowrieConfig.number(section, "request_timeout_ms"),
        CowrieConfig.integer(section, "instances"),
        CowrieConfig.integer(section, "event_loops"));
  }
}
