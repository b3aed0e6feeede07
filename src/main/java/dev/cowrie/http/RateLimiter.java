package dev.cowrie.http;

import dev.cowrie.store.RedisStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GCRA rate limiting in Redis: one EVALSHA per request, atomic across all gateway nodes, using
 * Redis's clock so nodes with skewed clocks agree. When Redis is unreachable the limiter fails
 * open: a payment gateway that refuses payments because its limiter is down does more harm than
 * one that briefly serves without limits. Each fail-open is logged (at most once per 10 s) and
 * counted in {@code cowrie_rate_limit_fail_open_total}.
 */
final class RateLimiter {
  private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);
  // KEYS[1] bucket; ARGV[1] emission interval (µs per token), ARGV[2] burst, ARGV[3] tokens this request costs.
  // Returns {allowed, remaining, retry_after_us, reset_after_us}.
  private static final String GCRA = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
      local emission = tonumber(ARGV[1])
      local burst = tonumber(ARGV[2])
      local tat = tonumber(redis.call('GET', KEYS[1]) or now)
      if tat < now then tat = now end
      local new_tat = tat + emission * tonumber(ARGV[3])
      local allow_at = new_tat - emission * burst
      local diff = now - allow_at
      if diff < 0 then
        return {0, 0, -diff, tat - now}
      end
      redis.call('SET', KEYS[1], new_tat, 'PX', math.ceil((new_tat - now) / 1000) + 1)
      return {1, math.floor(diff / emission), 0, new_tat - now}
      """;
  private static final String GCRA_SHA = sha1(GCRA);
  // A stalled Redis (not refusing, just silent) must not stall every request behind it.
  private static final long DECISION_TIMEOUT_MS = 1_000;

  private final RedisStore redis;
  private final Counter failOpen = Metrics.counter("cowrie_rate_limit_fail_open_total");
  private final AtomicLong lastWarning = new AtomicLong();

  RateLimiter(RedisStore redis) {
    this.redis = redis;
  }

  record Decision(boolean allowed, int limit, long remaining, long resetSeconds, long retryAfterSeconds) {}

  /** Takes {@code tokens} from the bucket (a plain request costs 1; costly work such as a QR decode more). */
  Future<Decision> take(String bucket, int perSecond, int burst, int tokens) {
    long emissionMicros = Math.max(1, 1_000_000L / perSecond);
    String key = redis.key("rl", bucket);
    return evaluate(key, emissionMicros, burst, tokens)
        .timeout(DECISION_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS)
        .map(response -> new Decision(
            response.get(0).toInteger() == 1,
            burst,
            response.get(1).toLong(),
            ceilSeconds(response.get(3).toLong()),
            ceilSeconds(response.get(2).toLong())))
        .recover(failure -> {
          failOpen.increment();
          long now = System.currentTimeMillis();
          long last = lastWarning.get();
          if (now - last > 10_000 && lastWarning.compareAndSet(last, now)) {
            log.warn("Rate limiter failing open: Redis unreachable ({})", failure.getMessage());
          }
          return Future.succeededFuture(new Decision(true, burst, burst, 1, 0));
        });
  }

  private Future<Response> evaluate(String key, long emissionMicros, int burst, int tokens) {
    Request evalsha = Request.cmd(Command.EVALSHA).arg(GCRA_SHA).arg(1).arg(key).arg(emissionMicros).arg(burst).arg(tokens);
    return redis.client().send(evalsha).recover(failure -> {
      if (String.valueOf(failure.getMessage()).startsWith("NOSCRIPT")) {
        return redis.client().send(Request.cmd(Command.EVAL).arg(GCRA).arg(1).arg(key).arg(emissionMicros).arg(burst).arg(tokens));
      }
      return Future.failedFuture(failure);
    });
  }

  private static long ceilSeconds(long micros) {
    return Math.max(0, (micros + 999_999) / 1_000_000);
  }

  private static String sha1(String text) {
    try {
      var digest = java.security.MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
