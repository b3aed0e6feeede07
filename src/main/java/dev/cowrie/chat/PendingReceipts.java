package dev.cowrie.chat;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Ids;
import dev.cowrie.requests.RequestsAddresses;
import dev.cowrie.security.Principal;
import dev.cowrie.store.Tenancy;
import dev.cowrie.wallets.WalletsAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a transfer and its chat receipt together. The message is held (a pending row) before the
 * transfer runs; the receipt's transaction removes the hold. A refused transfer drops the hold, so
 * nothing is posted. A hold outliving its lease (crash or timeout in between) is repaired: the
 * receipt is posted if the transfer exists, the hold dropped if it does not. Money never moves
 * without a receipt appearing, and a receipt never appears without the money.
 */
final class PendingReceipts {
  private static final int REPAIR_BATCH = 20;
  static final String FIND_HOLD = """
      SELECT id FROM chat_pending_messages WHERE merchant_id = $1 AND mode = $2 AND sender_id = $3 AND transfer_key = $4 LIMIT 1""";
  static final String INSERT_HOLD = """
      INSERT INTO chat_pending_messages (id, room_id, merchant_id, mode, sender_id, sender_username, transfer_key)
      VALUES ($1, $2, $3, $4, $5, $6, $7)""";
  static final String DROP_HOLD = "DELETE FROM chat_pending_messages WHERE id = $1";
  private final Vertx vertx;
  private final Pool pool;
  private final Pool system;
  private final long timeoutMs;

  /** {@code pool}: holds taken by the sender's request; {@code system}: the repair sweep over every merchant. */
  PendingReceipts(Vertx vertx, Pool pool, Pool system, long timeoutMs) {
    this.vertx = vertx;
    this.pool = pool;
    this.system = system;
    this.timeoutMs = timeoutMs;
  }

  /** The transfer's idempotency key: the client's retry key, scoped to the room. */
  static String transferKey(String roomId, String clientKey) {
    return "chat:" + roomId + ":" + clientKey;
  }

  /** The message id of an earlier attempt's hold with this transfer key, or a new hold's; the message takes that id. */
  Future<String> holdFor(Principal sender, String roomId, String transferKey) {
    return Tenancy.transaction(pool, sender.merchantId(), sql -> sql.preparedQuery(FIND_HOLD)
        .execute(Tuple.of(sender.merchantId(), sender.mode(), sender.userId(), transferKey))
        .compose(rows -> {
          if (rows.size() > 0) {
            return Future.succeededFuture(rows.iterator().next().getString("id"));
          }
          String messageId = Ids.next("msg");
          return sql.preparedQuery(INSERT_HOLD)
              .execute(Tuple.of(messageId, roomId, sender.merchantId(), sender.mode(), sender.userId(), sender.username(), transferKey))
              .map(messageId);
        }));
  }

  /** A retry whose receipt was already posted: its own hold goes, nothing else happens. */
  Future<Void> drop(Principal sender, String messageId) {
    return Tenancy.transaction(pool, sender.merchantId(), sql -> sql.preparedQuery(DROP_HOLD).execute(Tuple.of(messageId)))
        .mapEmpty();
  }

  /**
   * After a failed transfer: a refusal (4xx) means no money moved, so the hold goes (and the amount
   * held against a payment request, when {@code requestKey} names the transfer); anything else waits for repair.
   */
  <T> Future<T> release(Principal sender, String messageId, String requestKey, Throwable failure) {
    CowrieError error = CowrieError.from(failure);
    Future<Void> dropped = error.code.httpStatus >= 500 ? Future.succeededFuture()
        : (requestKey == null ? Future.<Void>succeededFuture() : releaseRequest(sender, requestKey))
            .compose(released -> drop(sender, messageId));
    return dropped.compose(ignored -> Future.failedFuture(failure));
  }

  /** The transfer moved money: the payment request it answers counts it; the receipt carries the request's new tally. */
  Future<JsonObject> settleRequest(Principal sender, String transferKey, JsonObject transfer) {
    return Bus.<JsonObject>request(vertx, RequestsAddresses.SETTLE, new JsonObject().put("principal", sender.toJson())
            .put("transfer_key", transferKey).put("transfer", transfer), timeoutMs)
        .map(settled -> {
          JsonObject request = settled.getJsonObject("payment_request");
          return request == null ? transfer : transfer.copy().put("payment_request", new JsonObject()
              .put("id", request.getString("id")).put("amount", request.getLong("amount"))
              .put("paid_amount", request.getLong("paid_amount")).put("currency", request.getString("currency"))
              .put("status", request.getString("status")).put("description", request.getString("description")));
        });
  }

  private Future<Void> releaseRequest(Principal sender, String transferKey) {
    return Bus.request(vertx, RequestsAddresses.RELEASE, new JsonObject().put("principal", sender.toJson())
        .put("transfer_key", transferKey), timeoutMs).mapEmpty();
  }

  interface ReceiptWriter {
    Future<JsonObject> post(Principal sender, String roomId, String messageId, JsonObject transfer);
  }

  /** Leases due holds (SKIP LOCKED, so nodes share the work) and settles each; answers how many. */
  Future<Integer> repair(ReceiptWriter writer) {
    return system.preparedQuery("""
            UPDATE chat_pending_messages SET lease_until = now() + interval '30 seconds'
            WHERE id IN (SELECT id FROM chat_pending_messages WHERE lease_until < now()
                         ORDER BY lease_until LIMIT $1 FOR UPDATE SKIP LOCKED)
            RETURNING *""")
        .execute(Tuple.of(REPAIR_BATCH))
        .compose(rows -> {
          List<Future<Void>> settled = new ArrayList<>();
          for (Row hold : rows) {
            settled.add(settle(hold, writer));
          }
          return Future.join(settled).map(rows.size()).otherwise(rows.size());
        });
  }

  private Future<Void> settle(Row hold, ReceiptWriter writer) {
    Principal sender = new Principal(Principal.Kind.WALLET_USER, hold.getString("merchant_id"), hold.getString("mode"),
        hold.getString("sender_id"), hold.getString("sender_id"), hold.getString("sender_username"));
    JsonObject lookup = new JsonObject().put("principal", sender.toJson()).put("idempotency_key", hold.getString("transfer_key"));
    return Bus.<JsonObject>request(vertx, WalletsAddresses.FIND_TRANSFER_BY_KEY, lookup, timeoutMs).compose(found -> {
      JsonObject transfer = found.getJsonObject("transfer");
      String key = hold.getString("transfer_key");
      if (transfer == null) {
        // The sweep works across merchants: the system role.
        return releaseRequest(sender, key).compose(released -> system.preparedQuery(DROP_HOLD).execute(Tuple.of(hold.getString("id"))))
            .mapEmpty();
      }
      // A transfer that answered a payment request is counted there before its receipt is posted (a no-op otherwise).
      return settleRequest(sender, key, transfer)
          .compose(receipt -> writer.post(sender, hold.getString("room_id"), hold.getString("id"), receipt)).mapEmpty();
    });
  }
}
