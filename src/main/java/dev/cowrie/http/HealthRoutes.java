package dev.cowrie.http;

import dev.cowrie.cluster.Clustering;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.events.EventAddresses;
import dev.cowrie.store.RedisStore;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VertxException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Liveness, readiness (Postgres, Redis, Kafka when enabled, cluster members when clustered) and Prometheus metrics. */
final class HealthRoutes implements Routes {
  private final Pool pool;
  private final RedisStore redis;
  private final boolean kafkaEnabled;

  HealthRoutes(Pool pool, RedisStore redis, CowrieConfig config) {
    this.pool = pool;
    this.redis = redis;
    this.kafkaEnabled = !config.kafka().bootstrap().isBlank();
  }

  @Override
  public void mount(Api api) {
    api.get("/health/live", Access.NONE, call -> Future.succeededFuture(Reply.ok(new JsonObject().put("status", "ok"))));
    api.get("/health/ready", Access.NONE, call -> ready(api));
    api.get("/metrics", Access.NONE, call -> Future.succeededFuture(
        Reply.raw(200, "text/plain; version=0.0.4; charset=utf-8", Buffer.buffer(scrape()))));
  }

  private Future<Reply> ready(Api api) {
    Map<String, Supplier<Future<?>>> checks = new LinkedHashMap<>();
    checks.put("postgres", () -> pool.query("SELECT 1").execute());
    checks.put("redis", () -> redis.api().ping(java.util.List.of()));
    if (kafkaEnabled) {
      // The EventsVerticle asks the broker itself and answers {"kafka":"ok"|"down","detail":…} in words.
      checks.put("kafka", () -> api.vertx().eventBus().<JsonObject>request(EventAddresses.KAFKA_HEALTH, new JsonObject(),
          dev.cowrie.common.Bus.command(2_000)).compose(reply -> "ok".equals(reply.body().getString("kafka"))
              ? Future.succeededFuture(reply)
              : Future.failedFuture(new VertxException(reply.body().getString("detail"), true))));
    }
    JsonObject results = new JsonObject();
    var futures = checks.entrySet().stream().map(check -> check.getValue().get()
        .timeout(2_000, java.util.concurrent.TimeUnit.MILLISECONDS)
        .map(ok -> results.put(check.getKey(), "ok"))
        .otherwise(failure -> results.put(check.getKey(), "down: " + failure.getMessage()))).toList();
    return Future.join(futures).transform(ignored -> {
      boolean allUp = results.stream().allMatch(entry -> "ok".equals(entry.getValue()));
      if (api.vertx().isClustered()) { // the nodes this one sees, itself included; 0 once it has left
        int members = Clustering.members(api.vertx());
        results.put("cluster", members);
        allUp = allUp && members > 0;
      }
      return Future.succeededFuture(Reply.of(allUp ? 200 : 503,
          new JsonObject().put("status", allUp ? "ready" : "not_ready").put("checks", results)));
    });
  }

  private static String scrape() {
    return Metrics.globalRegistry.getRegistries().stream()
        .filter(PrometheusMeterRegistry.class::isInstance)
        .map(registry -> ((PrometheusMeterRegistry) registry).scrape())
        .findFirst().orElse("");
  }
}
