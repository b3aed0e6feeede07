package dev.cowrie.config;

import io.vertx.core.json.JsonObject;

/**
 * The sweep that applies provider events stored but not applied (a crash between the two).
 * Section {@code callbacks} of conf/cowrie.yaml.
 */
public record CallbacksConfig(long sweepIntervalMs, long sweepAfterSeconds, int sweepBatchMax) {

  static CallbacksConfig from(JsonObject section) {
    return new CallbacksConfig(
        CowrieConfig.number(section, "sweep_interval_ms"),
        CowrieConfig.number(section, "sweep_after_seconds"),
        CowrieConfig.integer(section, "sweep_batch_max"));
  }
}
