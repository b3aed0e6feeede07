package dev.cowrie.payments;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.security.AuthAddresses;
import dev.cowrie.security.Principal;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * The internal provider {@code wallet}: a customer pays a payment from their Cowrie wallet on its
 * hosted checkout. The PIN is checked above their limit (AuthVerticle), then one transaction records
 * the attempt, makes the payer the payment's provider side and moves it to succeeded, which posts ONE
 * journal entry (payer's wallet → merchant) and the payment.succeeded event (StatusChanges). Refunds
 * go back to the wallet (Payments.clearingAccount).
 */
final class WalletPayments {
  static final String PROVIDER = "wallet";
  private static final String BY_TOKEN = "SELECT * FROM payments WHERE checkout_token = $1";
  private static final String PAID_BY = """
      UPDATE payments SET provider = 'wallet', connection_id = NULL, provider_reference = id, next_action_url = NULL,
        wallet_user_id = $2 WHERE id = $1 RETURNING *""";

  private final Vertx vertx;
  private final Pool pool;
  private final Pool system;
  private final StatusChanges statuses;
  private final ProviderCalls providers;
  private final long timeoutMs;
  private final java.time.Duration checkoutLifetime;
  private final java.time.Clock clock;

  WalletPayments(Vertx vertx, Pool pool, Pool system, StatusChanges statuses, ProviderCalls providers, long timeoutMs,
      java.time.Duration checkoutLifetime, java.time.Clock clock) {
    this.checkoutLifetime = checkoutLifetime;
    this.clock = clock;
    this.vertx = vertx;
    this.pool = pool;
    this.system = system;
    this.statuses = statuses;
    this.providers = providers;
    this.timeoutMs = timeoutMs;
  }

  /**
   * The payment a checkout token stands for (see byToken), as its page shows it, plus its merchant and mode. The
   * token is the capability (the merchant is not known before), so the lookup runs on the system role.
   */
  JsonObject checkout(Row row) {
    return Payments.toJson(row).put("merchant", row.getString("merchant_id"))
        .put("mode", row.getString("mode")).put("wallet_payable", isWalletPayable(row))
        .put("expires_at", expiresAt(row).toString()).put("expired", expired(row));
  }

  private java.time.Instant expiresAt(Row payment) {
    return payment.getOffsetDateTime("created_at").toInstant().plus(checkoutLifetime);
  }

  /** A checkout left unpaid past its lifetime takes no more payment (its page says it expired). */
  private boolean expired(Row payment) {
    return PaymentStatus.fromApi(payment.getString("status")) == PaymentStatus.REQUIRES_ACTION && !clock.instant().isBefore(expiresAt(payment));
  }

  Future<Row> byToken(String token) {
    if (token == null || token.length() > 100) {
      return Future.failedFuture(CowrieError.notFound("checkout", String.valueOf(token)));
    }
    return system.preparedQuery(BY_TOKEN).execute(Tuple.of(token))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(CowrieError.notFound("checkout", token))
            : Future.succeededFuture(rows.iterator().next()));
  }

  /** A top-up cannot be paid from the wallet it fills. */
  private static boolean isWalletPayable(Row payment) {
    return payment.getString("purpose") == null;
  }

  /** {@code {token, pin, principal}} from the checkout page, the principal being the signed-in wallet user. */
  Future<JsonObject> pay(JsonObject cmd) {
    Principal payer = Principal.fromJson(cmd.getJsonObject("principal"));
    if (payer.kind() != Principal.Kind.WALLET_USER) {
      return Future.failedFuture(new CowrieError(ErrorCode.PERMISSION_DENIED, "Sign in to your Cowrie wallet to pay with it."));
    }
    return byToken(cmd.getString("token")).compose(payment -> {
      if (!payment.getString("merchant_id").equals(payer.merchantId()) || !payment.getString("mode").equals(payer.mode())) {
        return Future.failedFuture(new CowrieError(ErrorCode.PERMISSION_DENIED,
            "This wallet cannot pay this merchant: sign in with a wallet of this shop."));
      }
      if (!isWalletPayable(payment)) {
        return Future.failedFuture(new CowrieError(ErrorCode.INVALID_STATE, "A wallet top-up cannot be paid from the wallet."));
      }
      requirePayable(payment);
      return Bus.<JsonObject>request(vertx, AuthAddresses.CHECK_PIN, new JsonObject().put("principal", payer.toJson())
              .put("amount", payment.getLong("amount")).put("pin", cmd.getString("pin")), timeoutMs)
          .compose(allowed -> Tenancy.transaction(pool, payer.merchantId(), tx -> settle(tx, payment, payer)))
          .compose(paid -> providers.closeCheckout(payment).map(paid))
          .compose(paid -> Tenancy.transaction(pool, payer.merchantId(), sql -> Payments.render(sql, paid)));
    });
  }

  /** Under the payment's lock: still payable, then attempt, payer, succeeded (+ entry + event), all or nothing. */
  private Future<Row> settle(SqlConnection tx, Row seen, Principal payer) {
    return Payments.find(tx, payer.merchantId(), payer.mode(), seen.getString("id"), true).compose(payment -> {
      requirePayable(payment);
      JsonObject attempt = new JsonObject().put("outcome", "ok").put("latency_ms", 0)
          .put("message", "paid from the wallet of " + payer.username());
      return ProviderCalls.recordAttempt(tx, payment.getString("id"), null, PROVIDER, "start", attempt)
          .compose(recorded -> tx.preparedQuery(PAID_BY).execute(Tuple.of(payment.getString("id"), payer.userId())))
          .compose(rows -> statuses.transition(tx, rows.iterator().next(), PaymentStatus.SUCCEEDED));
    });
  }

  void requirePayable(Row payment) {
    if (expired(payment)) {
      throw new CowrieError(ErrorCode.INVALID_STATE, "This checkout has expired; ask the shop for a new one.", "status",
          new JsonObject().put("status", "expired"));
    }
    String status = payment.getString("status");
    if (PaymentStatus.fromApi(status) != PaymentStatus.REQUIRES_ACTION) {
      throw new CowrieError(ErrorCode.INVALID_STATE, "This payment can no longer be paid: it is " + status + ".", "status",
          new JsonObject().put("status", status));
    }
  }
}
