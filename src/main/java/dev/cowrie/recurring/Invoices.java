package dev.cowrie.recurring;

import static dev.cowrie.common.Times.rfc3339;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Ids;
import dev.cowrie.events.Outbox;
import dev.cowrie.http.Page;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Arrays;

/**
 * Invoices: one per subscription period ({@code UNIQUE (subscription_id, period_index)}, so
 * however many schedulers race, a period is invoiced once), {@code open} until its payment
 * succeeds ({@code paid}), the merchant voids it ({@code void}) or dunning gives up ({@code uncollectible}).
 */
final class Invoices {
  // A period invoiced before (another scheduler, a retried pass) inserts nothing.
  private static final String INSERT = """
      INSERT INTO invoices (id, merchant_id, mode, subscription_id, customer_id, test_clock, period_index, period_start,
        period_end, amount, currency, status, next_attempt_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'open', $8)
      ON CONFLICT (subscription_id, period_index) DO NOTHING RETURNING *""";
  private static final String FIND = "SELECT * FROM invoices WHERE merchant_id = $1 AND mode = $2 AND id = $3";
  private static final String LIST = """
      SELECT * FROM invoices WHERE merchant_id = $1 AND mode = $2 AND id < $3
        AND ($5::text IS NULL OR subscription_id = $5) AND ($6::text IS NULL OR customer_id = $6)
        AND ($7::text IS NULL OR status = $7)
      ORDER BY id DESC LIMIT $4""";
  // Not while a charge is in flight (its lease): that charge's outcome settles the invoice first.
  private static final String VOID = """
      UPDATE invoices SET status = 'void', next_attempt_at = NULL, awaiting_payment = false
      WHERE merchant_id = $1 AND mode = $2 AND id = $3 AND status = 'open' AND (lease_until IS NULL OR lease_until < now())
        AND NOT awaiting_payment RETURNING *""";
  static final java.util.List<String> STATUSES = java.util.List.of("draft", "open", "paid", "void", "uncollectible");

  private Invoices() {}

  /** Invoices period {@code index} of a subscription (once) with its invoice.created event; empty when it already was. */
  static Future<java.util.Optional<Row>> open(SqlClient sql, Row subscription, Row price, int index, OffsetDateTime start,
      OffsetDateTime end) {
    String merchantId = subscription.getString("merchant_id");
    String mode = subscription.getString("mode");
    return sql.preparedQuery(INSERT).execute(Tuple.tuple(Arrays.asList(Ids.next("in"), merchantId, mode,
            subscription.getString("id"), subscription.getString("customer_id"), subscription.getString("test_clock"), index,
            start, end, price.getLong("amount"), price.getString("currency"))))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(java.util.Optional.<Row>empty());
          }
          Row invoice = rows.iterator().next();
          return Outbox.record(sql, merchantId, mode, "invoice.created", toJson(invoice)).map(java.util.Optional.of(invoice));
        });
  }

  static Future<Row> find(SqlClient sql, String merchantId, String mode, String id) {
    return sql.preparedQuery(FIND).execute(Tuple.of(merchantId, mode, id)).compose(rows -> Lists.one(rows, "invoice", id));
  }

  static Future<JsonObject> list(SqlClient sql, String merchantId, String mode, Page page, String subscription, String customer,
      String status) {
    return Lists.page(sql, LIST, merchantId, mode, page, Invoices::toJson, subscription, customer, status);
  }

  /** The merchant gives up on an open invoice nobody is paying right now. */
  static Future<Row> voidOpen(SqlClient sql, String merchantId, String mode, String id) {
    return find(sql, merchantId, mode, id).compose(invoice -> sql.preparedQuery(VOID).execute(Tuple.of(merchantId, mode, id))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new CowrieError(ErrorCode.INVALID_STATE, "This invoice cannot be voided: it is "
                + invoice.getString("status") + (invoice.getBoolean("awaiting_payment") ? " and its payment is in progress" : "")
                + ".", "id", new JsonObject().put("status", invoice.getString("status"))));
          }
          Row voided = rows.iterator().next();
          return Outbox.record(sql, merchantId, mode, "invoice.voided", toJson(voided)).map(voided);
        }));
  }

  // Invoices of a canceled subscription that nobody is paying now end void; one being paid settles on its own.
  private static final String VOID_UNPAID = """
      UPDATE invoices SET status = 'void', next_attempt_at = NULL WHERE merchant_id = $1 AND subscription_id = $2 AND status = 'open'
        AND (lease_until IS NULL OR lease_until < now()) AND NOT awaiting_payment RETURNING *""";

  static Future<Void> voidUnpaid(SqlClient sql, Row subscription) {
    String merchantId = subscription.getString("merchant_id");
    return sql.preparedQuery(VOID_UNPAID).execute(Tuple.of(merchantId, subscription.getString("id"))).compose(rows -> {
      java.util.List<JsonObject> voided = new java.util.ArrayList<>();
      rows.forEach(row -> voided.add(toJson(row)));
      return Outbox.recordAll(sql, merchantId, subscription.getString("mode"), "invoice.voided", voided);
    });
  }

  static JsonObject toJson(Row row) {
    boolean paid = "paid".equals(row.getString("status"));
    return new JsonObject().put("id", row.getString("id")).put("object", "invoice")
        .put("subscription", row.getString("subscription_id")).put("customer", row.getString("customer_id"))
        .put("status", row.getString("status")).put("amount_due", row.getLong("amount"))
        .put("amount_paid", paid ? row.getLong("amount") : 0L).put("currency", row.getString("currency"))
        .put("period_start", rfc3339(row.getOffsetDateTime("period_start")))
        .put("period_end", rfc3339(row.getOffsetDateTime("period_end")))
        .put("attempt_count", row.getInteger("attempt_count"))
        .put("next_payment_attempt", "open".equals(row.getString("status")) ? rfc3339(row.getOffsetDateTime("next_attempt_at")) : null)
        .put("payment", row.getString("payment_id")).put("hosted_invoice_url", row.getString("hosted_url"))
        .put("test_clock", row.getString("test_clock")).put("livemode", "live".equals(row.getString("mode")))
        .put("paid_at", rfc3339(row.getOffsetDateTime("paid_at"))).put("created_at", rfc3339(row.getOffsetDateTime("created_at")));
  }
}
