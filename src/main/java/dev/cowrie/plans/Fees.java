package dev.cowrie.plans;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;

/**
 * The fee of a succeeded payment, decided and recorded in the payment's own transaction (as
 * {@code Ledger.post} is): the plan in force at the instant of success prices it, and the charge
 * is kept here for statements. A payment is charged once: a second call answers the first charge.
 */
public final class Fees {
  /** What a payment was charged and by which plan. */
  public record Charge(String planId, long fee) {
    public long net(long amount) {
      return amount - fee;
    }
  }

  private Fees() {}

  public static Future<Charge> charge(SqlClient tx, String paymentId, String merchantId, String mode, long amount,
      String currency, Instant at) {
    return Subscriptions.planAt(tx, merchantId, at).compose(plan -> tx.preparedQuery("""
            INSERT INTO fee_charges (payment_id, merchant_id, mode, plan_id, amount, currency, fee, charged_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (payment_id) DO UPDATE SET payment_id = excluded.payment_id RETURNING plan_id, fee""")
        .execute(Tuple.tuple(java.util.List.of(paymentId, merchantId, mode, plan.id(), amount, currency,
            plan.feeRule(currency).feeFor(amount), Subscriptions.utc(at))))
        .map(rows -> new Charge(rows.iterator().next().getString("plan_id"), rows.iterator().next().getLong("fee"))));
  }
}
