package dev.cowrie.plans;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Money;
import dev.cowrie.common.Times;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A plan of the operator's catalogue: a fee rule per currency, a monthly platform fee per currency
 * (one price quoted in several currencies; see {@link Statements} for which one is charged) and
 * the limits it grants. Prices never change after creation: a new price is a new plan.
 */
public record Plan(String id, String name, Map<String, FeeRule> fees, Map<String, Long> monthlyFee, Limits limits,
    OffsetDateTime archivedAt, OffsetDateTime createdAt) {
  public static final String DEFAULT_ID = "plan_default";
  private static final Set<String> FIELDS = Set.of("name", "fees", "monthly_fee", "limits");

  /** The rule for a currency; a currency the plan does not price carries no fee. */
  public FeeRule feeRule(String currency) {
    return fees.getOrDefault(currency, FeeRule.NONE);
  }

  public boolean archived() {
    return archivedAt != null;
  }

  public JsonObject toJson() {
    JsonObject feesJson = new JsonObject();
    fees.forEach((currency, rule) -> feesJson.put(currency, rule.toJson()));
    JsonObject monthly = new JsonObject();
    monthlyFee.forEach(monthly::put);
    return new JsonObject().put("id", id).put("object", "plan").put("name", name).put("fees", feesJson)
        .put("monthly_fee", monthly).put("limits", limits.toJson()).put("archived", archived())
        .put("archived_at", Times.rfc3339(archivedAt)).put("created_at", Times.rfc3339(createdAt));
  }

  static Plan fromRow(Row row) {
    Map<String, FeeRule> fees = new TreeMap<>();
    JsonObject feesJson = (JsonObject) row.getValue("fees");
    feesJson.fieldNames().forEach(currency -> fees.put(currency, FeeRule.fromJson(feesJson.getJsonObject(currency))));
    Map<String, Long> monthly = new TreeMap<>();
    JsonObject monthlyJson = (JsonObject) row.getValue("monthly_fee");
    monthlyJson.fieldNames().forEach(currency -> monthly.put(currency, monthlyJson.getLong(currency)));
    return new Plan(row.getString("id"), row.getString("name"), fees, monthly, Limits.fromJson((JsonObject) row.getValue("limits")),
        row.getOffsetDateTime("archived_at"), row.getOffsetDateTime("created_at"));
  }

  /** A new plan from {@code POST /v1/admin/plans} or the CLI; every bad field is named. */
  public static Plan fromRequest(String id, JsonObject body) {
    for (String field : body.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw CowrieError.invalid(field, "Unknown field " + field + "; a plan has " + String.join(", ", FIELDS) + ".");
      }
    }
    Object name = body.getValue("name");
    if (!(name instanceof String text) || text.isBlank() || text.length() > 100 || !text.matches("[\\p{Alnum} ._-]+")) {
      throw CowrieError.invalid("name", "name is required: 1 to 100 letters, digits, spaces, '.', '_' or '-'.");
    }
    Map<String, FeeRule> fees = new TreeMap<>();
    currencies(body, "fees").forEach((currency, value) -> fees.put(currency, FeeRule.fromRequest(value, "fees." + currency)));
    Map<String, Long> monthly = new TreeMap<>();
    currencies(body, "monthly_fee").forEach((currency, value) ->
        monthly.put(currency, wholeNumber(value, "monthly_fee." + currency, Money.AMOUNT_MAX, 0)));
    return new Plan(id, text.trim(), fees, monthly, Limits.fromRequest(body.getValue("limits")), null, null);
  }

  private static Map<String, Object> currencies(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof JsonObject json)) {
      throw CowrieError.invalid(field, field + " must be an object keyed by currency, such as {\"NGN\": …}.");
    }
    Map<String, Object> byCurrency = new TreeMap<>();
    for (String currency : json.fieldNames()) {
      if (!Money.isCurrency(currency)) {
        throw new CowrieError(ErrorCode.INVALID_CURRENCY,
            field + " has " + currency + ", which is not an ISO 4217 currency code in upper case.", field + "." + currency);
      }
      byCurrency.put(currency, json.getValue(currency));
    }
    return byCurrency;
  }

  /** An integer from {@code min} to {@code max} (no float, no string), or a 400 naming {@code param}. */
  static long wholeNumber(Object value, String param, long max, long min) {
    if (value == null) {
      return 0;
    }
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < min
        || ((Number) value).longValue() > max) {
      throw CowrieError.invalid(param, param + " must be an integer from " + min + " to " + max + " (minor units for money).");
    }
    return ((Number) value).longValue();
  }
}
