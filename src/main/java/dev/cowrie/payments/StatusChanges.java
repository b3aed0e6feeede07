package dev.cowrie.payments;

import dev.cowrie.common.CowrieError;
import dev.cowrie.events.Outbox;
import dev.cowrie.ledger.Ledger;
import dev.cowrie.plans.Fees;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Moving payments through the status machine: each change commits with its ledger entry (on
 * success) and its event. Provider reports arrive from callbacks, verify and the reconciler.
 */
final class StatusChanges {
  static final String LATE_SUCCESS = "late_success";
  static final String REVIEW_REQUIRED_EVENT = "payment.review_required";
  private static final Set<PaymentStatus> LATE = EnumSet.of(PaymentStatus.CANCELED, PaymentStatus.FAILED);
  private final Pool pool;
  private final Clock clock;
  private final io.vertx.core.Vertx vertx;

  /**
   * {@code clock} stamps the instant of success, which decides the plan that prices the payment's fee;
   * {@code vertx} publishes settled invoice payments to recurring.
   */
  StatusChanges(Pool pool, io.vertx.core.Vertx vertx, Clock clock) {
    this.pool = pool;
    this.vertx = vertx;
    this.clock = clock;
  }

  /** Moves a payment to a provider-reported status, once; disagreeing amounts flag it for review instead. */
  Future<JsonObject> apply(ProviderReport report) {
    String paymentId = report.paymentId();
    PaymentStatus target = report.status();
    Long amount = report.amount();
    String currency = report.currency();
    return pool.withTransaction(tx -> tx.preparedQuery("SELECT * FROM payments WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(paymentId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(CowrieError.notFound("payment", paymentId));
          }
          Row payment = rows.iterator().next();
          PaymentStatus current = PaymentStatus.fromApi(payment.getString("status"));
          boolean amountDisagrees = amount != null && amount.longValue() != payment.getLong("amount").longValue();
          boolean currencyDisagrees = currency != null && !currency.equalsIgnoreCase(payment.getString("currency"));
          if (target == PaymentStatus.SUCCEEDED && LATE.contains(current) && !LATE_SUCCESS.equals(payment.getString("review_code"))
              && !amountDisagrees && !currencyDisagrees) {
            return lateSuccess(tx, payment);
          }
          if (target == null || target == current || !current.canMoveTo(target)) {
            return Future.succeededFuture(payment);
          }
          if (target == PaymentStatus.SUCCEEDED && (amountDisagrees || currencyDisagrees)) {
            String reason = "provider reported " + amount + " " + currency + " for a payment of "
                + payment.getLong("amount") + " " + payment.getString("currency");
            return tx.preparedQuery("UPDATE payments SET review_code = 'amount_mismatch', review_reason = $2 WHERE id = $1 RETURNING *")
                .execute(Tuple.of(paymentId, reason)).map(updated -> updated.iterator().next());
          }
          return target == PaymentStatus.FAILED ? decline(tx, payment, report) : transition(tx, payment, target);
        }))
        .compose(row -> Payments.render(pool, row))
        .onSuccess(this::tellOwner);
  }

  /**
   * After the commit, a payment made for another area (an invoice) tells it at once; best effort,
   * since that area also asks again on its own schedule.
   */
  private void tellOwner(JsonObject payment) {
    if (PaymentCreate.Purpose.INVOICE.api().equals(payment.getString("purpose"))) {
      vertx.eventBus().publish(PaymentAddresses.SETTLED, payment);
    }
  }

  /**
   * The provider took the money for a payment we had given up on (canceled, or failed): the money
   * did arrive, so it is booked as a success would be, the payment keeps its status but is flagged
   * for review, and payment.review_required tells the merchant, who decides (refund or deliver).
   */
  private Future<Row> lateSuccess(SqlConnection tx, Row payment) {
    String reason = "the provider reported a success for this " + payment.getString("status")
        + " payment: the money was booked; refund the customer or deliver the order";
    return tx.preparedQuery("UPDATE payments SET review_code = $2, review_reason = $3 WHERE id = $1 RETURNING *")
        .execute(Tuple.of(payment.getString("id"), LATE_SUCCESS, reason))
        .compose(rows -> postSuccess(tx, rows.iterator().next(), "payment_late_success"))
        .compose(flagged -> Outbox.record(tx, flagged.getString("merchant_id"), flagged.getString("mode"),
                REVIEW_REQUIRED_EVENT, Payments.toJson(flagged)).map(flagged));
  }

  /** A failure keeps the provider's reason (or a generic decline) on the payment, set before the event is recorded. */
  private Future<Row> decline(SqlConnection tx, Row payment, ProviderReport report) {
    return tx.preparedQuery("UPDATE payments SET failure_code = $2, failure_message = $3 WHERE id = $1")
        .execute(Tuple.of(payment.getString("id"), report.failureCodeOrDefault(), report.failureMessageOrDefault()))
        .compose(ignored -> transition(tx, payment, PaymentStatus.FAILED));
  }

  /** The status change, its ledger entry (on success) and its event, in the caller's transaction. */
  Future<Row> transition(SqlConnection tx, Row payment, PaymentStatus target) {
    return tx.preparedQuery("UPDATE payments SET status = $2 WHERE id = $1 RETURNING *")
        .execute(Tuple.of(payment.getString("id"), target.api()))
        .compose(rows -> target == PaymentStatus.SUCCEEDED ? postSuccess(tx, rows.iterator().next(), "payment_succeeded")
            : Future.succeededFuture(rows.iterator().next()))
        .compose(updated -> Outbox.record(tx, updated.getString("merchant_id"), updated.getString("mode"),
            target.eventType(), Payments.toJson(updated)).map(updated));
  }

  /**
   * One entry: provider clearing is debited the amount (the provider owes us), or the payer's
   * wallet for the wallet provider; the merchant (or the user's wallet for a top-up) is credited
   * the net and the fees account the fee, priced by the merchant's plan in force now (a wallet
   * top-up carries no fee: the user's whole amount reaches the wallet). Answers the row with its
   * fee, plan and time of success.
   */
  private Future<Row> postSuccess(SqlConnection tx, Row payment, String entryKind) {
    String merchantId = payment.getString("merchant_id");
    String mode = payment.getString("mode");
    String currency = payment.getString("currency");
    long amount = payment.getLong("amount");
    Instant at = clock.instant();
    Future<Fees.Charge> charged = Payments.isTopUp(payment) ? Future.succeededFuture(new Fees.Charge(null, 0))
        : Fees.charge(tx, payment.getString("id"), merchantId, mode, amount, currency, at);
    return charged.compose(charge -> tx.preparedQuery("""
            UPDATE payments SET fee = $2, fee_plan = $3, succeeded_at = $4 WHERE id = $1 RETURNING *""")
        .execute(Tuple.of(payment.getString("id"), charge.fee(), charge.planId(), at.atOffset(ZoneOffset.UTC)))
        .compose(rows -> {
          List<Ledger.Leg> legs = new ArrayList<>();
          legs.add(new Ledger.Leg(Payments.clearingAccount(payment), -amount));
          if (charge.net(amount) > 0) {
            legs.add(new Ledger.Leg(Payments.creditedAccount(payment), charge.net(amount)));
          }
          if (charge.fee() > 0) {
            legs.add(new Ledger.Leg(Payments.feesAccount(payment), charge.fee()));
          }
          return Ledger.post(tx, merchantId, mode, entryKind, payment.getString("id"), legs).map(rows.iterator().next());
        }));
  }
}
