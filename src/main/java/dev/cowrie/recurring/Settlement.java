package dev.cowrie.recurring;

import dev.cowrie.common.Bus;
import dev.cowrie.events.Outbox;
import dev.cowrie.payments.PaymentAddresses;
import dev.cowrie.payments.PaymentById;
import dev.cowrie.payments.PaymentStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.Set;

/**
 * What an invoice's payment came to, applied once under the invoice's row lock: paid (the
 * subscription becomes active again), failed (dunning: the next try on the merchant's schedule,
 * or, when it has run out, the invoice uncollectible and the subscription canceled or unpaid), or
 * waiting for the customer at a checkout ({@code invoice.payment_required}). A failure or a wait
 * counts only for the invoice's current attempt (the payment's {@code metadata.attempt}), so a
 * late or repeated report never counts twice; a success always pays an open invoice.
 * {@code attempt_count} is the attempts made so far: failed ones, and the paying one.
 */
final class Settlement {
  private static final Set<PaymentStatus> PAID = EnumSet.of(PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED,
      PaymentStatus.REFUNDED);
  private static final Set<PaymentStatus> FAILED = EnumSet.of(PaymentStatus.FAILED, PaymentStatus.CANCELED);
  private static final String LOCK = "SELECT * FROM invoices WHERE id = $1 FOR UPDATE";
  private static final String MARK_PAID = """
      UPDATE invoices SET status = 'paid', payment_id = $2, paid_at = $3, awaiting_payment = false, next_attempt_at = NULL,
        lease_until = NULL, attempt_count = greatest(attempt_count, $4) WHERE id = $1 RETURNING *""";
  private static final String MARK_FAILED = """
      UPDATE invoices SET status = $2, attempt_count = $3, payment_id = coalesce($4, payment_id), next_attempt_at = $5,
        awaiting_payment = false, lease_until = NULL WHERE id = $1 RETURNING *""";
  // The customer is at a checkout: look again after awaiting_check_ms (a settled payment also tells us at once).
  private static final String MARK_AWAITING = """
      UPDATE invoices SET payment_id = $2, hosted_url = $3, awaiting_payment = true,
        lease_until = now() + make_interval(secs => $4::float8 / 1000) WHERE id = $1 RETURNING *""";
  private static final String SUBSCRIPTION = "SELECT * FROM subscriptions WHERE id = $1 FOR UPDATE";
  private static final String OTHERS_IN_DUNNING = """
      SELECT 1 FROM invoices WHERE subscription_id = $1 AND id <> $2 AND status = 'open' AND attempt_count > 0 LIMIT 1""";
  private static final String CUSTOMER = "SELECT * FROM customers WHERE id = $1";

  private final Vertx vertx;
  private final Pool system;
  private final Clock clock;
  private final BillingSettings defaults;
  private final long awaitingCheckMs;
  private final long commandTimeoutMs;
  private final SavedTokens tokens;

  Settlement(Vertx vertx, Pool system, Clock clock, BillingSettings defaults, long awaitingCheckMs, long commandTimeoutMs,
      SavedTokens tokens) {
    this.vertx = vertx;
    this.tokens = tokens;
    this.system = system;
    this.clock = clock;
    this.defaults = defaults;
    this.awaitingCheckMs = awaitingCheckMs;
    this.commandTimeoutMs = commandTimeoutMs;
  }

  /** Applies a payment of the invoice (as payments renders it). */
  Future<Void> record(String invoiceId, JsonObject payment) {
    String status = payment.getString("status");
    int attempt = payment.getJsonObject("metadata", new JsonObject()).getInteger("attempt", -1);
    return system.withTransaction(tx -> lock(tx, invoiceId).compose(invoice -> {
      boolean current = attempt == invoice.getInteger("attempt_count") + 1;
      if (!"open".equals(invoice.getString("status"))) {
        return Future.succeededFuture(false);
      }
      if (PAID.contains(PaymentStatus.fromApi(status))) {
        return paid(tx, invoice, payment.getString("id"), attempt).map(true);
      }
      if (!current) {
        return Future.succeededFuture(false);
      }
      if (FAILED.contains(PaymentStatus.fromApi(status))) {
        return failed(tx, invoice, payment.getString("id"), attempt).map(false);
      }
      JsonObject action = payment.getJsonObject("next_action");
      return awaiting(tx, invoice, payment.getString("id"), action == null ? null : action.getString("url")).map(false);
    })).compose(paid -> paid ? keepMethod(invoiceId, payment) : Future.succeededFuture());
  }

  /** An attempt refused before any payment was made (no provider takes the invoice's currency now): a failed attempt. */
  Future<Void> refusedBeforePayment(String invoiceId, int attempt, String reason) {
    return system.withTransaction(tx -> lock(tx, invoiceId).compose(invoice -> "open".equals(invoice.getString("status"))
        && attempt == invoice.getInteger("attempt_count") + 1 ? failed(tx, invoice, null, attempt) : Future.succeededFuture()))
        .onSuccess(done -> org.slf4j.LoggerFactory.getLogger(Settlement.class).info("Invoice {} attempt {} refused: {}",
            invoiceId, attempt, reason));
  }

  private static Future<Row> lock(SqlConnection tx, String invoiceId) {
    return tx.preparedQuery(LOCK).execute(Tuple.of(invoiceId)).compose(rows -> Lists.one(rows, "invoice", invoiceId));
  }

  private Future<OffsetDateTime> now(SqlConnection tx, Row invoice) {
    return TestClocks.now(tx, invoice.getString("merchant_id"), invoice.getString("mode"), invoice.getString("test_clock"), clock);
  }

  /** {@code attempt}: the paying payment's attempt, which attempt_count then shows (Stripe counts the paying one too). */
  private Future<Void> paid(SqlConnection tx, Row invoice, String paymentId, int attempt) {
    return now(tx, invoice).compose(at -> tx.preparedQuery(MARK_PAID).execute(Tuple.of(invoice.getString("id"), paymentId, at, attempt))
        .compose(rows -> event(tx, rows.iterator().next(), "invoice.paid"))
        .compose(ignored -> subscription(tx, invoice))
        .compose(subscription -> tx.preparedQuery(OTHERS_IN_DUNNING).execute(Tuple.of(subscription.getString("id"), invoice.getString("id")))
            .compose(others -> Set.of("incomplete", "past_due").contains(subscription.getString("status")) && others.size() == 0
                ? Subscriptions.moveTo(tx, subscription, "active", at) : Future.succeededFuture(subscription))))
        .mapEmpty();
  }

  /** Dunning: the next try on the merchant's schedule (days after the invoice fell due), or the end of it. */
  private Future<Void> failed(SqlConnection tx, Row invoice, String paymentId, int attempt) {
    String merchantId = invoice.getString("merchant_id");
    String mode = invoice.getString("mode");
    return BillingSettings.of(tx, merchantId, mode, defaults).compose(settings -> now(tx, invoice).compose(at -> {
      boolean exhausted = attempt >= settings.attemptsMax();
      OffsetDateTime next = exhausted ? null : invoice.getOffsetDateTime("period_start").plusDays(settings.retryDays().get(attempt - 1));
      return tx.preparedQuery(MARK_FAILED).execute(Tuple.of(invoice.getString("id"), exhausted ? "uncollectible" : "open", attempt,
              paymentId, next))
          .compose(rows -> event(tx, rows.iterator().next(), "invoice.payment_failed"))
          .compose(ignored -> subscription(tx, invoice))
          .compose(subscription -> {
            if (Subscriptions.ended(subscription)) {
              return Future.succeededFuture();
            }
            boolean first = "incomplete".equals(subscription.getString("status"));
            String target = exhausted ? (first ? "canceled" : settings.endStatus()) : (first ? "incomplete" : "past_due");
            return Subscriptions.moveTo(tx, subscription, target, at).mapEmpty();
          });
    }));
  }

  private Future<Void> awaiting(SqlConnection tx, Row invoice, String paymentId, String hostedUrl) {
    boolean news = !paymentId.equals(invoice.getString("payment_id"));
    return tx.preparedQuery(MARK_AWAITING).execute(Tuple.of(invoice.getString("id"), paymentId, hostedUrl, awaitingCheckMs))
        .compose(rows -> news && hostedUrl != null ? event(tx, rows.iterator().next(), "invoice.payment_required")
            : Future.succeededFuture());
  }

  private static Future<Row> subscription(SqlConnection tx, Row invoice) {
    return tx.preparedQuery(SUBSCRIPTION).execute(Tuple.of(invoice.getString("subscription_id"))).map(rows -> rows.iterator().next());
  }

  private static Future<Void> event(SqlConnection tx, Row invoice, String type) {
    return Outbox.record(tx, invoice.getString("merchant_id"), invoice.getString("mode"), type, Invoices.toJson(invoice)).mapEmpty();
  }

  /**
   * After a paid checkout, the method the provider kept becomes the customer's default, so the next
   * periods are charged without them. Best effort: without it the next invoice is a checkout again.
   */
  private Future<Void> keepMethod(String invoiceId, JsonObject payment) {
    String customerId = payment.getJsonObject("metadata", new JsonObject()).getString("customer");
    return system.preparedQuery(CUSTOMER).execute(Tuple.of(customerId)).compose(rows -> {
      Row customer = rows.size() == 0 ? null : rows.iterator().next();
      if (customer == null || customer.getString("default_payment_method") != null) {
        return Future.succeededFuture();
      }
      PaymentById ask = PaymentById.asWorker(Charges.WORKER, customer.getString("merchant_id"), customer.getString("mode"),
          payment.getString("id"));
      return Bus.<JsonObject>request(vertx, PaymentAddresses.SAVED_METHOD, ask.toJson(), commandTimeoutMs).compose(reply -> {
        JsonObject saved = reply.getJsonObject("saved_method");
        return saved == null ? Future.succeededFuture()
            : system.withTransaction(tx -> Customers.saveMethod(tx, customer, saved, payment.getString("id"), tokens));
      });
    }).otherwise(failure -> {
      org.slf4j.LoggerFactory.getLogger(Settlement.class).warn("Invoice {}: the provider's saved method was not kept: {}",
          invoiceId, failure.toString());
      return null;
    });
  }
}
