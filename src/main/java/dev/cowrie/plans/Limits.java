package dev.cowrie.plans;

import dev.cowrie.common.CowrieError;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * What a plan grants. Null means "no limit of the plan's own": the gateway's configured default
 * for rate limits, no cap on counts. Enforced: the rate limit per API key (auth's key lookup; a
 * merchant's own override, set by the operator, still wins), live mode (a live key of a merchant
 * whose plan has {@code live_mode: false} is refused), the number of webhook endpoints (at
 * creation) and {@code team_seats} (at invitation, by auth's team through {@link Subscriptions#limitsAt}).
 */
public record Limits(Integer rateLimitPerSecond, Integer rateLimitBurst, boolean liveMode, Integer webhookEndpoints,
    Integer teamSeats) {
  public static final Limits NONE = new Limits(null, null, true, null, null);
  private static final Set<String> FIELDS = Set.of("rate_limit_per_second", "rate_limit_burst", "live_mode",
      "webhook_endpoints", "team_seats");
  private static final int COUNT_MAX = 1_000_000;

  public JsonObject toJson() {
    return new JsonObject().put("rate_limit_per_second", rateLimitPerSecond).put("rate_limit_burst", rateLimitBurst)
        .put("live_mode", liveMode).put("webhook_endpoints", webhookEndpoints).put("team_seats", teamSeats);
  }

  public static Limits fromJson(JsonObject json) {
    if (json == null) {
      return NONE;
    }
    return new Limits(json.getInteger("rate_limit_per_second"), json.getInteger("rate_limit_burst"),
        json.getBoolean("live_mode", true), json.getInteger("webhook_endpoints"), json.getInteger("team_seats"));
  }

  static Limits fromRequest(Object value) {
    if (value == null) {
      return NONE;
    }
    if (!(value instanceof JsonObject json)) {
      throw CowrieError.invalid("limits", "limits must be an object.");
    }
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw CowrieError.invalid("limits." + field, "Unknown limit " + field + "; known: " + String.join(", ", FIELDS) + ".");
      }
    }
    Object live = json.getValue("live_mode");
    if (live != null && !(live instanceof Boolean)) {
      throw CowrieError.invalid("limits.live_mode", "limits.live_mode must be true or false.");
    }
    return new Limits(count(json, "rate_limit_per_second", 1), count(json, "rate_limit_burst", 1), live == null || (Boolean) live,
        count(json, "webhook_endpoints", 0), count(json, "team_seats", 1));
  }

  private static Integer count(JsonObject json, String field, int min) {
    Object value = json.getValue(field);
    return value == null ? null : (int) Plan.wholeNumber(value, "limits." + field, COUNT_MAX, min);
  }
}
