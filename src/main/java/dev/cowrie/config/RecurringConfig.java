package dev.cowrie.config;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;

/**
 * The renewal scheduler of merchants' subscriptions and its dunning defaults.
 * Section {@code recurring} of conf/cowrie.yaml.
 */
public record RecurringConfig(int schedulers, long pollMs, int batchSize, int passesMax, long leaseMs,
    long awaitingCheckMs, List<Integer> retryDays, String afterRetries) {

  static RecurringConfig from(JsonObject section) {
    String afterRetries = CowrieConfig.text(section, "after_retries");
    if (!afterRetries.equals("cancel") && !afterRetries.equals("unpaid")) {
      throw new IllegalStateException("recurring.after_retries must be cancel or unpaid, got '" + afterRetries + "'");
    }
    return new RecurringConfig(
        CowrieConfig.integer(section, "schedulers"),
        CowrieConfig.number(section, "poll_ms"),
        CowrieConfig.integer(section, "batch_size"),
        CowrieConfig.integer(section, "passes_max"),
        CowrieConfig.number(section, "lease_ms"),
        CowrieConfig.number(section, "awaiting_check_ms"),
        retryDays(CowrieConfig.text(section, "retry_days")),
        afterRetries);
  }

  private static List<Integer> retryDays(String commaSeparated) {
    try {
      return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(day -> !day.isEmpty())
          .map(Integer::valueOf).toList();
    } catch (NumberFormatException e) {
      throw new IllegalStateException("recurring.retry_days must be comma-separated days, got '" + commaSeparated + "'");
    }
  }
}
