package dev.cowrie.config;

import io.vertx.core.json.JsonObject;

/** Bounds on start and shutdown. Section {@code lifecycle} of conf/cowrie.yaml. */
public record LifecycleConfig(long startTimeoutMs, long drainMs, long stopTimeoutMs) {

  static LifecycleConfig from(JsonObject section) {
    return new LifecycleConfig(
        CowrieConfig.number(section, "start_timeout_ms"),
        CowrieConfig.number(section, "drain_ms"),
        CowrieConfig.number(section, "stop_timeout_ms"));
  }
}
