package dev.cowrie.store;

import dev.cowrie.config.CowrieConfig;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;

/** The Redis client and the key prefix that keeps deployments (and test runs) apart. */
public record RedisStore(Redis client, RedisAPI api, String prefix) {
  private static final int CONNECT_TIMEOUT_MS = 2_000;

  public static RedisStore create(Vertx vertx, CowrieConfig config) {
    RedisOptions options = new RedisOptions()
        .setConnectionString(config.redis().url())
        .setMaxPoolSize(16)
        .setMaxPoolWaiting(1024)
        .setMaxWaitingHandlers(4096);
    // An unreachable Redis must fail fast (the rate limiter then fails open) rather than hold
    // requests for the default 60 s connect timeout.
    options.getNetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS);
    Redis client = Redis.createClient(vertx, options);
    return new RedisStore(client, RedisAPI.api(client), config.redis().keyPrefix());
  }

  public String key(String... parts) {
    return prefix + String.join(":", parts);
  }
}
