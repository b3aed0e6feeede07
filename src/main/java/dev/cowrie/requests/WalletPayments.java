package dev.cowrie.requests;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.security.Principal;
import dev.cowrie.wallets.TransferCreate;
import dev.cowrie.wallets.WalletsAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A wallet user pays a payment request from their wallet outside a chat (the request's page,
 * {@code POST /v1/payment_requests/{id}/pay}): hold, transfer, settle, as a chat transfer
 * answering it does. The transfer is keyed by the caller's retry key, so a retry pays once. A hold
 * a crash left behind is settled by {@link #repair}: counted if its transfer exists, released if not.
 */
final class WalletPayments {
  static final String KEY_PREFIX = "preq:";
  private static final int REPAIR_BATCH = 20;
  /** Longer than any transfer can take (bus timeouts), so the sweep never releases a hold whose transfer is in flight. */
  private static final int REPAIR_AFTER_SECONDS = 120;
  static final String DUE = """
      SELECT merchant_id, mode, payer_user_id, payer, transfer_key FROM payment_request_holds
      WHERE transfer_key LIKE 'preq:%' AND created_at < $3::timestamptz - make_interval(secs => $1)
      ORDER BY created_at LIMIT $2""";

  private final Vertx vertx;
  private final RequestHolds holds;
  private final Pool system;
  private final long timeoutMs;
  private final Clock clock;

  /** {@code clock}: when a hold is old enough for {@link #repair}. */
  WalletPayments(Vertx vertx, RequestHolds holds, Pool system, long timeoutMs, Clock clock) {
    this.clock = clock;
    this.vertx = vertx;
    this.holds = holds;
    this.system = system;
    this.timeoutMs = timeoutMs;
  }

  /** {@code cmd}: id, amount, pin, idempotency_key. Answers the transfer and the request's tally after it. */
  Future<JsonObject> pay(Principal payer, JsonObject cmd) {
    String key = KEY_PREFIX + cmd.getString("id") + ":" + cmd.getString("idempotency_key");
    JsonObject hold = new JsonObject().put("id", cmd.getString("id")).put("amount", cmd.getLong("amount"))
        .put("currency", cmd.getString("currency")).put("transfer_key", key);
    return holds.hold(payer, hold).compose(request -> {
      JsonObject transfer = TransferCreate.of(payer, new TransferCreate.Fields(request.getString("payee"), cmd.getLong("amount"),
          request.getString("currency"), note(request), cmd.getString("pin")), key).toJson();
      return Bus.<JsonObject>request(vertx, WalletsAddresses.TRANSFER, transfer, timeoutMs)
          .recover(failure -> CowrieError.from(failure).code.httpStatus >= 500 ? Future.failedFuture(failure)
              : holds.release(payer, key).compose(released -> Future.failedFuture(failure)));
    }).compose(transfer -> holds.settle(payer, key, transfer).map(request -> {
      JsonObject answer = transfer.copy();
      answer.remove("idempotent_replayed");
      return new JsonObject().put("object", "payment_request_payment").put("transfer", answer).put("payment_request", request.json());
    }));
  }

  private static String note(JsonObject request) {
    String description = request.getString("description");
    return "Payment request " + request.getString("id") + (description == null || description.isEmpty() ? "" : ": " + description);
  }

  /** Settles or releases holds of page/API payments older than a transfer can take; answers how many. */
  Future<Integer> repair() {
    return system.preparedQuery(DUE).execute(Tuple.of(REPAIR_AFTER_SECONDS, REPAIR_BATCH, OffsetDateTime.now(clock))).compose(rows -> {
      List<Future<?>> settled = new ArrayList<>();
      for (Row hold : rows) {
        settled.add(settle(hold));
      }
      return Future.join(settled).map(rows.size()).otherwise(rows.size());
    });
  }

  private Future<?> settle(Row hold) {
    Principal payer = new Principal(Principal.Kind.WALLET_USER, hold.getString("merchant_id"), hold.getString("mode"),
        hold.getString("payer_user_id"), hold.getString("payer_user_id"), hold.getString("payer"));
    String key = hold.getString("transfer_key");
    JsonObject lookup = new JsonObject().put("principal", payer.toJson()).put("idempotency_key", key);
    return Bus.<JsonObject>request(vertx, WalletsAddresses.FIND_TRANSFER_BY_KEY, lookup, timeoutMs).compose(found ->
        found.getJsonObject("transfer") == null ? holds.release(payer, key).mapEmpty()
            : holds.settle(payer, key, found.getJsonObject("transfer")).mapEmpty());
  }
}
