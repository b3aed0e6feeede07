package dev.cowrie.config;

import io.vertx.core.json.JsonObject;

/**
 * The built-in sandbox provider: on or off, and the latency, failures and callback delay it plays.
 * Section {@code sandbox} of conf/cowrie.yaml.
 */
public record SandboxConfig(boolean enabled, long latencyMs, double failureRate, long callbackDelayMs) {

  static SandboxConfig from(JsonObject section) {
    return new SandboxConfig(
        CowrieConfig.flag(section, "enabled"),
        CowrieConfig.number(section, "latency_ms"),
        CowrieConfig.decimal(section, "failure_rate"),
        CowrieConfig.number(section, "callback_delay_ms"));
  }
}
