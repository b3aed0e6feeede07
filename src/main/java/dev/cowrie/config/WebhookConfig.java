package dev.cowrie.config;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;

/**
 * Webhook delivery and the live event stream: timeouts, attempts and their back-off, concurrency,
 * and the stream's ping and queue bound. Section {@code webhook} of conf/cowrie.yaml.
 */
public record WebhookConfig(boolean allowPrivate, long timeoutMs, int attemptsMax, int concurrencyPerEndpoint,
    List<Long> backoffMs, int inFlightMax, long pollIntervalMs, long streamPingIntervalMs, int streamQueueMax) {

  static WebhookConfig from(JsonObject section) {
    return new WebhookConfig(
        CowrieConfig.flag(section, "allow_private"),
        CowrieConfig.number(section, "timeout_ms"),
        CowrieConfig.integer(section, "attempts_max"),
        CowrieConfig.integer(section, "concurrency_per_endpoint"),
        backoff(CowrieConfig.text(section, "backoff_ms")),
        CowrieConfig.integer(section, "in_flight_max"),
        CowrieConfig.number(section, "poll_interval_ms"),
        CowrieConfig.number(section, "stream_ping_interval_ms"),
        CowrieConfig.integer(section, "stream_queue_max"));
  }

  private static List<Long> backoff(String commaSeparated) {
    try {
      List<Long> delays = Arrays.stream(commaSeparated.split(",")).map(String::trim).map(Long::parseLong).toList();
      if (delays.stream().anyMatch(delay -> delay < 0)) {
        throw new NumberFormatException("a delay is negative");
      }
      return delays;
    } catch (NumberFormatException e) {
      throw new IllegalStateException("webhook.backoff_ms must be comma-separated milliseconds, got '"
          + commaSeparated + "'");
    }
  }
}
