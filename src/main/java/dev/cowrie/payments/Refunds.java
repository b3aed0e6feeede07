package dev.cowrie.payments;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Ids;
import dev.cowrie.auth.AuditLog;
import dev.cowrie.events.Outbox;
import dev.cowrie.http.RequestRecord;
import dev.cowrie.ledger.Ledger;
import dev.cowrie.providers.CallOutcome;
import dev.cowrie.providers.RefundResult;
import dev.cowrie.providers.RefundStart;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Refunds in three steps. (1) Reserve: under the payment's row lock, check the refundable rest,
 * raise amount_refunded and move the money from the merchant to the in-flight refunds account,
 * so concurrent refunds can never exceed the payment. (2) Ask the provider. (3) Settle: success
 * pays the provider back from the refunds account; failure returns the money to the merchant. A
 * refund whose outcome is unknown (timeout) stays pending for the reconciler: never guessed.
 */
final class Refunds {
  private static final int CREATED = 201; // a refund's answer, whatever the provider said
  private final Pool pool;
  private final Pool system;
  private final ProviderCalls providers;

  /** {@code pool}: the merchant's own requests; {@code system}: settling by refund id, as reports arrive for any merchant. */
  Refunds(Pool pool, Pool system, ProviderCalls providers) {
    this.pool = pool;
    this.system = system;
    this.providers = providers;
  }

  Future<JsonObject> get(PaymentById cmd) {
    String id = cmd.id();
    return Tenancy.transaction(pool, cmd.merchantId(), sql -> sql.preparedQuery("SELECT * FROM refunds WHERE id = $1 AND merchant_id = $2 AND mode = $3")
        .execute(Tuple.of(id, cmd.merchantId(), cmd.mode())))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(CowrieError.notFound("refund", id))
            : Future.succeededFuture(Payments.refundJson(rows.iterator().next())));
  }

  /**
   * Two of our transactions around the provider call when the request records itself ({@code
   * request}, from {@code POST /v1/refunds}): the key's claim, the reservation and the audit row;
   * then the settlement and the key's stored answer. The dashboard's refunds carry no record.
   */
  Future<JsonObject> create(RefundCreate cmd, RequestRecord request) {
    String merchantId = cmd.principal().merchantId();
    String mode = cmd.principal().mode();
    return Tenancy.transaction(pool, merchantId, tx -> request.claim(tx)
            .compose(claimed -> existing(tx, merchantId, mode, cmd.idempotencyKey()))
            .compose(found -> found != null ? answered(tx, request, found) : reserve(tx, merchantId, mode, cmd)
                .compose(reserved -> AuditLog.insert(tx, request.auditEntry(reserved.refund().getString("id"), CREATED))
                    .map(reserved))))
        .compose(reserved -> reserved.payment() == null ? Future.succeededFuture(Payments.refundJson(reserved.refund()))
            : askProvider(reserved.refund(), reserved.payment(), request));
  }

  /** An earlier request made this refund: the answer is the refund as it stands, stored for the key now. */
  private static Future<Reserved> answered(SqlConnection tx, RequestRecord request, Row found) {
    return request.complete(tx, CREATED, Payments.refundJson(found)).map(new Reserved(found, null));
  }

  /** A refund row and the payment it reserved money of; no payment when an earlier request with the key made it. */
  private record Reserved(Row refund, Row payment) {}

  private Future<Row> existing(SqlConnection tx, String merchantId, String mode, String idempotencyKey) {
    if (idempotencyKey == null) {
      return Future.succeededFuture(null);
    }
    return tx.preparedQuery("SELECT * FROM refunds WHERE merchant_id = $1 AND mode = $2 AND idempotency_key = $3")
        .execute(Tuple.of(merchantId, mode, idempotencyKey))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
  }

  /** Step 1. */
  private Future<Reserved> reserve(SqlConnection tx, String merchantId, String mode, RefundCreate cmd) {
    return Payments.find(tx, merchantId, mode, cmd.paymentId(), true).compose(payment -> {
      String status = payment.getString("status");
      PaymentStatus current = PaymentStatus.fromApi(status);
      if (current != PaymentStatus.SUCCEEDED && current != PaymentStatus.PARTIALLY_REFUNDED) {
        return Future.failedFuture(new CowrieError(ErrorCode.INVALID_STATE,
            "Only a succeeded payment can be refunded; this one is " + status + ".", "payment",
            new JsonObject().put("status", status)));
      }
      long rest = payment.getLong("amount") - payment.getLong("amount_refunded");
      long amount = cmd.amount() == null ? rest : cmd.amount();
      if (rest <= 0 || amount > rest) {
        return Future.failedFuture(new CowrieError(ErrorCode.REFUND_EXCEEDS_PAYMENT,
            "The refund of " + amount + " exceeds the refundable rest of " + Math.max(rest, 0) + ".", "amount"));
      }
      String refundId = Ids.next("re");
      return tx.preparedQuery("UPDATE payments SET amount_refunded = amount_refunded + $2 WHERE id = $1")
          .execute(Tuple.of(payment.getString("id"), amount))
          .compose(ignored -> tx.preparedQuery("""
                  INSERT INTO refunds (id, merchant_id, mode, payment_id, amount, currency, status, reason, idempotency_key)
                  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *""")
              .execute(Tuple.tuple(Arrays.asList(refundId, merchantId, mode, payment.getString("id"), amount,
                  payment.getString("currency"), RefundStatus.PENDING.api(), cmd.reason(), cmd.idempotencyKey()))))
          .compose(rows -> Ledger.post(tx, merchantId, mode, "refund_reserved", refundId, List.of(
                  new Ledger.Leg(Payments.creditedAccount(payment), -amount),
                  new Ledger.Leg(refundsAccount(payment), amount)))
              .map(ignored -> new Reserved(rows.iterator().next(), payment)));
    });
  }

  private static Ledger.AccountRef refundsAccount(Row payment) {
    return new Ledger.AccountRef(payment.getString("merchant_id"), payment.getString("mode"), "refunds", "",
        payment.getString("currency"));
  }

  /** Step 2; the wallet provider is ours: its refund goes straight back to the payer's wallet. */
  private Future<JsonObject> askProvider(Row refund, Row payment, RequestRecord request) {
    if (WalletPayments.PROVIDER.equals(payment.getString("provider"))) {
      return settle(refund.getString("id"), RefundResult.Status.SUCCEEDED, null, null, request);
    }
    String chargeRef = payment.getString("provider_charge_ref") != null ? payment.getString("provider_charge_ref")
        : payment.getString("provider_reference");
    RefundStart start = new RefundStart(refund.getString("id"), payment.getString("id"), chargeRef,
        refund.getLong("amount"), payment.getLong("amount"), payment.getString("currency"), refund.getString("id"));
    // The attempt is recorded in the settlement's transaction: no commit of its own.
    return providers.callOnly(payment.getString("connection_id"), payment.getString("provider"), "refund", start.toJson())
        .compose(reply -> {
          Function<SqlConnection, Future<Void>> attempt = tx -> ProviderCalls.record(tx, payment.getString("id"),
              payment.getString("connection_id"), payment.getString("provider"), "refund", reply);
          CallOutcome outcome = CallOutcome.of(reply);
          JsonObject result = reply.getJsonObject("result");
          if (outcome == CallOutcome.OK) {
            RefundResult.Status status = RefundResult.Status.valueOf(result.getString("status"));
            return settle(refund.getString("id"), status, result.getString("provider_refund_id"), result.getString("failure_message"),
                request, attempt);
          }
          if (outcome.inconclusive()) {
            return settle(refund.getString("id"), RefundResult.Status.UNKNOWN, null, null, request, attempt);
          }
          return settle(refund.getString("id"), RefundResult.Status.FAILED, null, reply.getString("message"), request, attempt);
        });
  }

  /** A refund status reported later by a callback, verify or the reconciler. */
  Future<JsonObject> applyReported(RefundReport report) {
    return settle(report.refundId(), report.status(), report.providerRefundId(), report.failureMessage(), RequestRecord.NONE);
  }

  /** Step 3, once: only a pending refund moves; the request that asked for it (if any) stores its answer in the same commit. */
  Future<JsonObject> settle(String refundId, RefundResult.Status status, String providerRefundId, String failure, RequestRecord request) {
    return settle(refundId, status, providerRefundId, failure, request, tx -> Future.succeededFuture());
  }

  private Future<JsonObject> settle(String refundId, RefundResult.Status status, String providerRefundId, String failure,
      RequestRecord request, Function<SqlConnection, Future<Void>> alsoInTheTransaction) {
    // After the settlement's row locks (refund, then payment): an attempt row takes a key-share lock on
    // its payment, and two refunds of one payment taking that first would deadlock on the payment's lock.
    return system.withTransaction(tx -> settled(tx, refundId, status, providerRefundId, failure)
        .compose(row -> alsoInTheTransaction.apply(tx).map(row))
        .compose(row -> request.complete(tx, CREATED, Payments.refundJson(row)).map(row))).map(Payments::refundJson);
  }

  private Future<Row> settled(SqlConnection tx, String refundId, RefundResult.Status status, String providerRefundId, String failure) {
    return tx.preparedQuery("SELECT * FROM refunds WHERE id = $1 FOR UPDATE").execute(Tuple.of(refundId))
        .compose(rows -> {
          Row refund = rows.iterator().next();
          RefundStatus settled = RefundStatus.settledBy(status);
          if (RefundStatus.fromApi(refund.getString("status")) != RefundStatus.PENDING || settled == null) {
            return providerRefundId == null ? Future.succeededFuture(refund)
                : tx.preparedQuery("UPDATE refunds SET provider_reference = coalesce(provider_reference, $2) WHERE id = $1 RETURNING *")
                    .execute(Tuple.of(refundId, providerRefundId)).map(updated -> updated.iterator().next());
          }
          return tx.preparedQuery("SELECT * FROM payments WHERE id = $1 FOR UPDATE").execute(Tuple.of(refund.getString("payment_id")))
              .compose(payments -> settled == RefundStatus.SUCCEEDED
                  ? succeed(tx, refund, payments.iterator().next(), providerRefundId)
                  : fail(tx, refund, payments.iterator().next(), failure));
        });
  }

  private Future<Row> succeed(SqlConnection tx, Row refund, Row payment, String providerRefundId) {
    long amount = refund.getLong("amount");
    return tx.preparedQuery("UPDATE refunds SET status = $3, provider_reference = $2, updated_at = now() WHERE id = $1 RETURNING *")
        .execute(Tuple.of(refund.getString("id"), providerRefundId, RefundStatus.SUCCEEDED.api()))
        .compose(rows -> tx.preparedQuery("""
                UPDATE payments SET status = CASE WHEN (SELECT sum(amount) FROM refunds WHERE payment_id = $1 AND status = $2) = amount
                  THEN $3 ELSE $4 END WHERE id = $1 RETURNING *""")
            .execute(Tuple.of(payment.getString("id"), RefundStatus.SUCCEEDED.api(), PaymentStatus.REFUNDED.api(),
                PaymentStatus.PARTIALLY_REFUNDED.api()))
            .compose(updated -> Ledger.post(tx, refund.getString("merchant_id"), refund.getString("mode"), "refund_succeeded",
                    refund.getString("id"), List.of(new Ledger.Leg(refundsAccount(payment), -amount),
                        new Ledger.Leg(Payments.clearingAccount(payment), amount)))
                .compose(ignored -> Outbox.record(tx, refund.getString("merchant_id"), refund.getString("mode"), "refund.succeeded",
                    Payments.refundJson(rows.iterator().next()).put("payment_status", updated.iterator().next().getString("status"))))
                .map(rows.iterator().next())));
  }

  private Future<Row> fail(SqlConnection tx, Row refund, Row payment, String failure) {
    long amount = refund.getLong("amount");
    return tx.preparedQuery("UPDATE refunds SET status = $3, failure_message = $2, updated_at = now() WHERE id = $1 RETURNING *")
        .execute(Tuple.of(refund.getString("id"), failure, RefundStatus.FAILED.api()))
        .compose(rows -> tx.preparedQuery("UPDATE payments SET amount_refunded = amount_refunded - $2 WHERE id = $1")
            .execute(Tuple.of(payment.getString("id"), amount))
            .compose(ignored -> Ledger.post(tx, refund.getString("merchant_id"), refund.getString("mode"), "refund_failed",
                refund.getString("id"), List.of(new Ledger.Leg(refundsAccount(payment), -amount),
                    new Ledger.Leg(Payments.creditedAccount(payment), amount))))
            .compose(ignored -> Outbox.record(tx, refund.getString("merchant_id"), refund.getString("mode"), "refund.failed",
                Payments.refundJson(rows.iterator().next())))
            .map(rows.iterator().next()));
  }

  /** The ids of a payment's refunds, oldest first (a payment is refunded in at most a hundred parts here). */
  static Future<List<String>> idsOf(SqlClient sql, Row payment) {
    return sql.preparedQuery("SELECT id FROM refunds WHERE payment_id = $1 AND merchant_id = $2 AND mode = $3 ORDER BY created_at, id LIMIT 100")
        .execute(Tuple.of(payment.getString("id"), payment.getString("merchant_id"), payment.getString("mode")))
        .map(rows -> {
          List<String> ids = new ArrayList<>();
          rows.forEach(row -> ids.add(row.getString("id")));
          return ids;
        });
  }
}
