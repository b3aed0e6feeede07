package dev.cowrie.wallets;

import dev.cowrie.common.Bus;
import dev.cowrie.config.Timeouts;
import dev.cowrie.payments.PaymentAddresses;
import dev.cowrie.payments.PaymentCreate;
import dev.cowrie.payments.PaymentCreate.Purpose;
import dev.cowrie.security.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Wallet top-ups: a payment through a provider, created by the payments area with purpose
 * {@code wallet_topup}; when it succeeds, the payments code credits the user's wallet in the
 * same transaction as the payment's own ledger entry.
 */
final class Topups {
  private final Vertx vertx;
  private final long creationTimeoutMs;

  Topups(Vertx vertx, Timeouts timeouts) {
    this.vertx = vertx;
    this.creationTimeoutMs = timeouts.creationMs();
  }

  Future<JsonObject> start(TopupCreate cmd) {
    Principal user = cmd.user();
    JsonObject metadata = new JsonObject().put("wallet_user_id", user.userId()).put("wallet_username", user.username());
    // Payments keys are per merchant and mode; a user's key must not collide with another user's.
    String key = cmd.idempotencyKey() == null ? null : Purpose.WALLET_TOPUP.api() + ":" + user.userId() + ":" + cmd.idempotencyKey();
    PaymentCreate payment = PaymentCreate.of(user, cmd.requestId(), key, cmd.amount(), cmd.currency())
        .on(cmd.provider())
        .with(new PaymentCreate.Details(null, "Wallet top-up for " + user.username(), null, null, metadata))
        .forPurpose(Purpose.WALLET_TOPUP, user.userId());
    return Bus.request(vertx, PaymentAddresses.CREATE, payment.toJson(), creationTimeoutMs);
  }
}
