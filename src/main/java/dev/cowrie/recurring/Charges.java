package dev.cowrie.recurring;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.payments.PaymentAddresses;
import dev.cowrie.payments.PaymentById;
import dev.cowrie.payments.PaymentCreate;
import dev.cowrie.payments.PaymentCreate.Purpose;
import dev.cowrie.providers.SavedMethod;
import dev.cowrie.security.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Charging invoices: claims open invoices that are due on their clock (a lease, so one node charges
 * each at a time and a crashed node's charge is retaken), asks payments to create the attempt's
 * payment, and hands the outcome to {@link Settlement}. The payment's Idempotency-Key is
 * {@code invoice:<id>:<attempt>}, fixed until that attempt's outcome is recorded: a charge retaken
 * after a crash or a lost answer finds the same payment instead of making a second one.
 */
final class Charges {
  private static final Logger log = LoggerFactory.getLogger(Charges.class);
  static final String WORKER = "recurring";
  // Across tenants on purpose: the scheduler serves every merchant, on the system role.
  private static final String CLAIM_DUE = """
      UPDATE invoices i SET lease_until = now() + make_interval(secs => $1::float8 / 1000)
      FROM (SELECT i.id FROM invoices i LEFT JOIN test_clocks c ON c.id = i.test_clock
            WHERE i.status = 'open' AND (i.lease_until IS NULL OR i.lease_until < now())
              AND (i.awaiting_payment OR i.next_attempt_at <= coalesce(c.frozen_time, $2))
              AND ($3::text IS NULL OR i.test_clock = $3)
            ORDER BY i.next_attempt_at LIMIT $4 FOR UPDATE OF i SKIP LOCKED) due
      WHERE i.id = due.id RETURNING i.*""";
  private static final String CLAIM_ONE = """
      UPDATE invoices SET lease_until = now() + make_interval(secs => $1::float8 / 1000)
      WHERE id = $2 AND status = 'open' AND (lease_until IS NULL OR lease_until < now()) RETURNING *""";
  private static final String PAYER = """
      SELECT c.email, m.provider, m.connection_id, m.token_sealed, m.provider_customer, m.email AS method_email
      FROM customers c LEFT JOIN customer_payment_methods m ON m.id = c.default_payment_method WHERE c.id = $1""";

  private final Vertx vertx;
  private final Pool system;
  private final Clock clock;
  private final long leaseMs;
  private final long creationTimeoutMs;
  private final Settlement settlement;
  private final SavedTokens tokens;

  Charges(Vertx vertx, Pool system, Clock clock, long leaseMs, long creationTimeoutMs, Settlement settlement,
      SavedTokens tokens) {
    this.vertx = vertx;
    this.tokens = tokens;
    this.system = system;
    this.clock = clock;
    this.leaseMs = leaseMs;
    this.creationTimeoutMs = creationTimeoutMs;
    this.settlement = settlement;
  }

  /** Charges up to {@code limit} due invoices (of one clock, or all); answers how many it claimed. */
  Future<Integer> chargeDue(String clockId, int limit) {
    return system.preparedQuery(CLAIM_DUE).execute(Tuple.of(leaseMs, java.time.OffsetDateTime.now(clock), clockId, limit))
        .compose(rows -> {
          List<Future<?>> charged = new java.util.ArrayList<>();
          rows.forEach(invoice -> charged.add(charge(invoice).otherwiseEmpty()));
          return Future.join(charged).map(rows.size());
        });
  }

  /** Charges one invoice now (a subscription's first), unless another charge of it is in flight. */
  Future<Void> chargeNow(String invoiceId) {
    return system.preparedQuery(CLAIM_ONE).execute(Tuple.of(leaseMs, invoiceId))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture() : charge(rows.iterator().next()));
  }

  private Future<Void> charge(Row invoice) {
    return system.preparedQuery(PAYER).execute(Tuple.of(invoice.getString("customer_id")))
        .compose(rows -> Bus.<JsonObject>request(vertx, PaymentAddresses.CREATE, paymentCommand(invoice, rows.iterator().next(), tokens).toJson(),
            creationTimeoutMs))
        .compose(payment -> settlement.record(invoice.getString("id"), payment), failure -> refused(invoice, failure))
        .onFailure(failure -> log.warn("Invoice {}: charge not settled, retaken when its lease ends: {}", invoice.getString("id"),
            failure.toString()));
  }

  /** The attempt's payment: the customer's saved method when there is one, else a checkout that saves it. */
  private static PaymentCreate paymentCommand(Row invoice, Row payer, SavedTokens tokens) {
    int attempt = invoice.getInteger("attempt_count") + 1;
    String id = invoice.getString("id");
    PaymentCreate command = PaymentCreate.of(Principal.system(WORKER, invoice.getString("merchant_id"), invoice.getString("mode")),
            null, Purpose.INVOICE.api() + ":" + id + ":" + attempt, invoice.getLong("amount"), invoice.getString("currency"))
        .with(new PaymentCreate.Details(new JsonObject().put("email", payer.getString("email")),
            "Invoice " + id + " (subscription " + invoice.getString("subscription_id") + ")", id, null,
            new JsonObject().put("invoice", id).put("subscription", invoice.getString("subscription_id"))
                .put("customer", invoice.getString("customer_id")).put("attempt", attempt)))
        .forPurpose(Purpose.INVOICE, null);
    if (payer.getString("token_sealed") == null) {
      return command.savingMethod();
    }
    SavedMethod method = new SavedMethod(tokens.open(payer.getString("token_sealed"), payer.getString("connection_id")),
        payer.getString("provider_customer"), payer.getString("method_email"), null, null);
    return command.charging(new PaymentCreate.SavedOn(payer.getString("connection_id"), method), payer.getString("provider"));
  }

  /**
   * Payments refused the attempt. A provider's refusal left a failed payment: its outcome is
   * recorded like any. A refusal before any payment (no provider takes the currency any more)
   * is a failed attempt without one. Anything else (no answer) may yet have made a payment:
   * the lease runs out and the same key finds it.
   */
  private Future<Void> refused(Row invoice, Throwable failure) {
    CowrieError error = CowrieError.from(failure);
    String paymentId = error.extra == null ? null : error.extra.getString("payment");
    if (error.code == ErrorCode.PROVIDER_ERROR && paymentId != null) {
      PaymentById get = PaymentById.asWorker(WORKER, invoice.getString("merchant_id"), invoice.getString("mode"), paymentId);
      return Bus.<JsonObject>request(vertx, PaymentAddresses.GET, get.toJson(), creationTimeoutMs)
          .compose(payment -> settlement.record(invoice.getString("id"), payment));
    }
    if (error.code.httpStatus >= 400 && error.code.httpStatus < 500 && error.code != ErrorCode.IDEMPOTENCY_KEY_IN_USE) {
      return settlement.refusedBeforePayment(invoice.getString("id"), invoice.getInteger("attempt_count") + 1, error.getMessage());
    }
    return Future.failedFuture(failure);
  }
}
