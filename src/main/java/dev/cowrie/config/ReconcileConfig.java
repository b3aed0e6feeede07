package dev.cowrie.config;

import io.vertx.core.json.JsonObject;

/**
 * The reconciler: how often it runs, when a pending payment is stale, when an unrouted one is routed again.
 * Section {@code reconcile} of conf/cowrie.yaml.
 */
public record ReconcileConfig(long intervalMs, long staleAfterSeconds, long unroutedAfterSeconds) {

  static ReconcileConfig from(JsonObject section) {
    return new ReconcileConfig(
        CowrieConfig.number(section, "interval_ms"),
        CowrieConfig.number(section, "stale_after_seconds"),
        CowrieConfig.number(section, "unrouted_after_seconds"));
  }
}
