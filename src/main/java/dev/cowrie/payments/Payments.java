package dev.cowrie.payments;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/** Payment rows: reading them, scoped to a merchant and mode, and their public JSON shape. */
final class Payments {
  static final String ATTEMPT_COLUMNS = "id, provider, operation, outcome, http_status, latency_ms, error_code, error_message, created_at";

  private Payments() {}

  static Future<Row> find(SqlClient sql, String merchantId, String mode, String id, boolean forUpdate) {
    return sql.preparedQuery("SELECT * FROM payments WHERE id = $1 AND merchant_id = $2 AND mode = $3" + (forUpdate ? " FOR UPDATE" : ""))
        .execute(Tuple.of(id, merchantId, mode))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(CowrieError.notFound("payment", id))
            : Future.succeededFuture(rows.iterator().next()));
  }

  static Future<JsonObject> render(SqlClient sql, Row payment) {
    return sql.preparedQuery("""
            SELECT\s""" + ATTEMPT_COLUMNS + """
            \sFROM payment_attempts WHERE payment_id = $1 ORDER BY id LIMIT 50""")
        .execute(Tuple.of(payment.getString("id")))
        .map(rows -> {
          JsonArray attempts = new JsonArray();
          rows.forEach(row -> attempts.add(attemptJson(row)));
          return toJson(payment).put("attempts", attempts);
        });
  }

  /** An attempt as a payment shows it, from a payment_attempts row (ATTEMPT_COLUMNS). */
  static JsonObject attemptJson(Row row) {
    return new JsonObject().put("id", row.getString("id"))
        .put("provider", row.getString("provider")).put("operation", row.getString("operation"))
        .put("outcome", row.getString("outcome")).put("http_status", row.getInteger("http_status"))
        .put("latency_ms", row.getInteger("latency_ms")).put("error_code", row.getString("error_code"))
        .put("error_message", row.getString("error_message"))
        .put("created_at", Times.rfc3339(row.getOffsetDateTime("created_at")));
  }

  static Future<JsonObject> renderById(SqlClient sql, String merchantId, String mode, String id) {
    return find(sql, merchantId, mode, id, false).compose(row -> render(sql, row));
  }

  /** The public shape without attempts (used in events and lists). */
  /** The creation command a stored payment came from, as {@code principal} would send it again (resume, route_to). */
  static PaymentCreate creationOf(Row payment, dev.cowrie.security.Principal principal) {
    return PaymentCreate.of(principal, null, payment.getString("idempotency_key"), payment.getLong("amount"),
            payment.getString("currency"))
        .on(payment.getString("requested_provider"))
        .with(new PaymentCreate.Details(payment.getJsonObject("customer"), payment.getString("description"),
            payment.getString("reference"), payment.getString("return_url"), payment.getJsonObject("metadata")));
  }

  static JsonObject toJson(Row row) {
    String url = row.getString("next_action_url");
    String status = row.getString("status");
    JsonObject json = new JsonObject()
        .put("id", row.getString("id"))
        .put("object", "payment")
        .put("status", status)
        .put("amount", row.getLong("amount"))
        .put("currency", row.getString("currency"))
        .put("fee", row.getLong("fee"))
        .put("net", row.getLong("amount") - row.getLong("fee"))
        .put("fee_plan", row.getString("fee_plan"))
        .put("succeeded_at", Times.rfc3339(row.getOffsetDateTime("succeeded_at")))
        .put("provider", row.getString("provider"))
        .put("provider_reference", row.getString("provider_reference"))
        .put("next_action", url != null && PaymentStatus.fromApi(status) == PaymentStatus.REQUIRES_ACTION
            ? new JsonObject().put("type", "redirect").put("url", url) : null)
        .put("amount_refunded", row.getLong("amount_refunded"))
        .put("reference", row.getString("reference"))
        .put("description", row.getString("description"))
        .put("customer", row.getJsonObject("customer"))
        .put("metadata", row.getJsonObject("metadata") == null ? new JsonObject() : row.getJsonObject("metadata"))
        .put("return_url", row.getString("return_url"))
        .put("hosted_url", row.getString("hosted_url"))
        .put("livemode", "live".equals(row.getString("mode")))
        .put("created_at", Times.rfc3339(row.getOffsetDateTime("created_at")))
        .put("updated_at", Times.rfc3339(row.getOffsetDateTime("updated_at")));
    if (row.getString("purpose") != null) {
      json.put("purpose", row.getString("purpose")).put("wallet_user", row.getString("wallet_user_id"));
    }
    json.put("failure_code", row.getString("failure_code")).put("failure_message", row.getString("failure_message"));
    if (row.getString("failure_code") != null) {
      json.put("failure", new JsonObject().put("code", row.getString("failure_code")).put("message", row.getString("failure_message")));
    }
    json.put("requires_review", row.getString("review_reason") != null);
    if (row.getString("review_reason") != null) {
      json.put("review", new JsonObject().put("code", row.getString("review_code"))
          .put("reason", row.getString("review_reason")));
    }
    return json;
  }

  static boolean isTopUp(Row payment) {
    return PaymentCreate.Purpose.WALLET_TOPUP.api().equals(payment.getString("purpose"));
  }

  /** The account a payment's success credits: the merchant, or the user's wallet for a top-up. */
  static dev.cowrie.ledger.Ledger.AccountRef creditedAccount(Row payment) {
    boolean topUp = isTopUp(payment);
    return new dev.cowrie.ledger.Ledger.AccountRef(payment.getString("merchant_id"), payment.getString("mode"),
        topUp ? "user_wallet" : "merchant_available", topUp ? payment.getString("wallet_user_id") : "",
        payment.getString("currency"));
  }

  /**
   * Where a payment's money comes from and a refund's goes back to: the provider's clearing account,
   * or for the internal provider {@code wallet} the paying customer's wallet.
   */
  static dev.cowrie.ledger.Ledger.AccountRef clearingAccount(Row payment) {
    boolean wallet = WalletPayments.PROVIDER.equals(payment.getString("provider"));
    return new dev.cowrie.ledger.Ledger.AccountRef(payment.getString("merchant_id"), payment.getString("mode"),
        wallet ? "user_wallet" : "provider_clearing", wallet ? payment.getString("wallet_user_id") : payment.getString("provider"),
        payment.getString("currency"));
  }

  /** Where a payment's transaction fee goes (owner "": transaction fees; "platform" holds platform fees). */
  static dev.cowrie.ledger.Ledger.AccountRef feesAccount(Row payment) {
    return new dev.cowrie.ledger.Ledger.AccountRef(payment.getString("merchant_id"), payment.getString("mode"), "fees", "",
        payment.getString("currency"));
  }

  static JsonObject refundJson(Row row) {
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("object", "refund")
        .put("payment", row.getString("payment_id"))
        .put("amount", row.getLong("amount"))
        .put("currency", row.getString("currency"))
        .put("status", row.getString("status"))
        .put("reason", row.getString("reason"))
        .put("failure_message", row.getString("failure_message"))
        .put("provider_reference", row.getString("provider_reference"))
        .put("created_at", Times.rfc3339(row.getOffsetDateTime("created_at")))
        .put("updated_at", Times.rfc3339(row.getOffsetDateTime("updated_at")));
  }
}
