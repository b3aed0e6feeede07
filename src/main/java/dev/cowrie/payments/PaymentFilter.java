package dev.cowrie.payments;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Input;
import dev.cowrie.common.Money;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The filters of {@code GET /v1/payments} (API.md "Payments"), validated once for the route and
 * the dashboard alike; a missing or empty parameter filters nothing. {@code since} is inclusive
 * and {@code until} exclusive, like the audit log's; amounts are minor units, bounds included.
 */
public record PaymentFilter(String status, String reference, String provider, String currency, OffsetDateTime since,
    OffsetDateTime until, Long amountMin, Long amountMax, String customerEmail, String search) {
  private static final int TEXT_CHARS_MAX = 200;

  public static final PaymentFilter NONE = new PaymentFilter(null, null, null, null, null, null, null, null, null, null);

  /** Reads the query parameters by their API names; unknown providers are named against {@code providers}. */
  public static PaymentFilter parse(Function<String, String> query, Set<String> providers) {
    String status = present(query, "status");
    if (status != null && PaymentStatus.fromApi(status) == null) {
      throw CowrieError.invalid("status", "status must be one of " + PaymentStatus.allForHumans() + ".");
    }
    String provider = present(query, "provider");
    if (provider != null && !providers.contains(provider)) {
      throw CowrieError.invalid("provider", "provider must be one of " + String.join(", ", new TreeSet<>(providers)) + ".");
    }
    String currency = present(query, "currency");
    if (currency != null && !Money.isCurrency(currency)) {
      throw CowrieError.invalid("currency", "currency must be an ISO 4217 code in upper case, such as NGN or USD.");
    }
    OffsetDateTime since = time(query, "since");
    OffsetDateTime until = time(query, "until");
    if (since != null && until != null && !since.isBefore(until)) {
      throw CowrieError.invalid("until", "until must be later than since.");
    }
    Long amountMin = amount(query, "amount_min");
    Long amountMax = amount(query, "amount_max");
    if (amountMin != null && amountMax != null && amountMin > amountMax) {
      throw CowrieError.invalid("amount_max", "amount_max must be at least amount_min.");
    }
    String email = present(query, "customer_email");
    if (email != null) {
      Input.email(new JsonObject().put("customer_email", email), "customer_email");
    }
    return new PaymentFilter(status, text(query, "reference"), provider, currency, since, until, amountMin, amountMax,
        email, text(query, "search"));
  }

  public JsonObject toJson() {
    return new JsonObject().put("status", status).put("reference", reference).put("provider", provider)
        .put("currency", currency).put("since", since == null ? null : since.toString())
        .put("until", until == null ? null : until.toString()).put("amount_min", amountMin).put("amount_max", amountMax)
        .put("customer_email", customerEmail).put("search", search);
  }

  public static PaymentFilter fromJson(JsonObject json) {
    return new PaymentFilter(json.getString("status"), json.getString("reference"), json.getString("provider"),
        json.getString("currency"), parsed(json.getString("since")), parsed(json.getString("until")),
        json.getLong("amount_min"), json.getLong("amount_max"), json.getString("customer_email"), json.getString("search"));
  }

  private static String present(Function<String, String> query, String name) {
    String value = query.apply(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static String text(Function<String, String> query, String name) {
    String value = present(query, name);
    if (value != null && value.length() > TEXT_CHARS_MAX) {
      throw CowrieError.invalid(name, name + " must be at most " + TEXT_CHARS_MAX + " characters.");
    }
    return value;
  }

  private static OffsetDateTime time(Function<String, String> query, String name) {
    String value = present(query, name);
    try {
      return parsed(value);
    } catch (DateTimeParseException e) {
      throw CowrieError.invalid(name, name + " must be an RFC 3339 time like 2026-11-30T09:00:00Z.");
    }
  }

  private static OffsetDateTime parsed(String value) {
    return value == null ? null : OffsetDateTime.parse(value);
  }

  private static Long amount(Function<String, String> query, String name) {
    String value = present(query, name);
    if (value == null) {
      return null;
    }
    long amount;
    try {
      amount = Long.parseLong(value);
    } catch (NumberFormatException e) {
      amount = -1;
    }
    if (amount < 1 || amount > Money.AMOUNT_MAX) {
      throw CowrieError.invalid(name, name + " must be an integer in minor units from 1 to " + Money.AMOUNT_MAX + ".");
    }
    return amount;
  }
}
