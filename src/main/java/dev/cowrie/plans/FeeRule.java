package dev.cowrie.plans;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Money;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Set;

/**
 * A plan's fee in one currency: {@code percent_bps} basis points of the amount, plus {@code fixed},
 * at most {@code cap} (null: no cap), never more than the amount itself. Amounts are already in the
 * currency's minor unit (NGN kobo, JPY yen, KWD fils), so the percentage is rounded half-up to a
 * whole minor unit — the currency's exponent decides how fine that is (0.01 NGN, 1 JPY, 0.001 KWD).
 * The same formula is written in SQL by the ledger check ({@link #SQL}), which must agree.
 */
public record FeeRule(int percentBps, long fixed, Long cap) {
  public static final int BPS_MAX = 10_000;
  public static final FeeRule NONE = new FeeRule(0, 0, null);
  /**
   * The fee of payment {@code p} under the rule {@code r} (a plan's fees->currency, jsonb), in SQL:
   * for the operator's ledger check, which recomputes every fee from the plan that was in force.
   */
  public static final String SQL = """
      least(p.amount, coalesce((r->>'cap')::bigint, p.amount),
            floor((p.amount::numeric * coalesce((r->>'percent_bps')::int, 0) + 5000) / 10000)::bigint
              + coalesce((r->>'fixed')::bigint, 0))""";
  private static final Set<String> FIELDS = Set.of("percent_bps", "fixed", "cap");

  public FeeRule {
    if (percentBps < 0 || percentBps > BPS_MAX || fixed < 0 || fixed > Money.AMOUNT_MAX || cap != null && (cap < 0 || cap > Money.AMOUNT_MAX)) {
      throw new IllegalArgumentException("fee rule out of range: " + percentBps + " bps + " + fixed + ", cap " + cap);
    }
  }

  /** The fee of a payment of {@code amount} minor units. */
  public long feeFor(long amount) {
    long percent = BigDecimal.valueOf(amount).multiply(BigDecimal.valueOf(percentBps))
        .divide(BigDecimal.valueOf(BPS_MAX), 0, RoundingMode.HALF_UP).longValueExact();
    long fee = percent + fixed;
    if (cap != null) {
      fee = Math.min(fee, cap);
    }
    return Math.min(fee, amount);
  }

  public JsonObject toJson() {
    return new JsonObject().put("percent_bps", percentBps).put("fixed", fixed).put("cap", cap);
  }

  public static FeeRule fromJson(JsonObject json) {
    return json == null ? NONE : new FeeRule(json.getInteger("percent_bps", 0), json.getLong("fixed", 0L), json.getLong("cap"));
  }

  /** A rule from a request body, each bad field named by its path ({@code fees.NGN.cap}). */
  static FeeRule fromRequest(Object value, String param) {
    if (!(value instanceof JsonObject json)) {
      throw CowrieError.invalid(param, param + " must be an object {\"percent_bps\",\"fixed\",\"cap\"}.");
    }
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw CowrieError.invalid(param + "." + field, "Unknown field " + param + "." + field + "; a fee has percent_bps, fixed and cap.");
      }
    }
    long bps = Plan.wholeNumber(json.getValue("percent_bps"), param + ".percent_bps", BPS_MAX, 0);
    long fixed = Plan.wholeNumber(json.getValue("fixed"), param + ".fixed", Money.AMOUNT_MAX, 0);
    Long cap = json.getValue("cap") == null ? null : Plan.wholeNumber(json.getValue("cap"), param + ".cap", Money.AMOUNT_MAX, 0);
    return new FeeRule((int) bps, fixed, cap);
  }
}
