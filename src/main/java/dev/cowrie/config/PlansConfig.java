package dev.cowrie.config;

import io.vertx.core.json.JsonObject;

/**
 * The period-closing worker of merchant plans: how often it looks for ended billing periods and
 * how many it closes per pass. Section {@code plans} of conf/cowrie.yaml.
 */
public record PlansConfig(long closeIntervalMs, int closesPerPassMax) {

  static PlansConfig from(JsonObject section) {
    return new PlansConfig(CowrieConfig.number(section, "close_interval_ms"),
        CowrieConfig.integer(section, "closes_per_pass_max"));
  }
}
