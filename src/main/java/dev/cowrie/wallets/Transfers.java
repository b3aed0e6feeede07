package dev.cowrie.wallets;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Times;
import dev.cowrie.http.Page;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Arrays;

/** SQL of transfer rows; the tenant and the caller (sender or recipient) are in every WHERE. */
final class Transfers {
  private static final String COLUMNS = "id, mode, sender_id, sender, recipient_id, recipient, amount, currency, note, entry_id, created_at";

  private Transfers() {}

  /** A transfer about to be written; {@code createdAt} to the microsecond, as the column keeps it. */
  record New(String id, String merchantId, String mode, String senderId, String sender, String recipientId, String recipient,
      long amount, String currency, String note, String idempotencyKey, OffsetDateTime createdAt) {}

  /** Sends the row without reading it back: the answer is {@link #json(New, String)} of what was sent. */
  static Future<Void> insert(SqlClient tx, New transfer, String entryId) {
    return tx.preparedQuery("""
            INSERT INTO transfers (id, merchant_id, mode, sender_id, sender, recipient_id, recipient, amount, currency, note,
              idempotency_key, entry_id, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)""")
        .execute(Tuple.tuple(Arrays.asList(transfer.id(), transfer.merchantId(), transfer.mode(), transfer.senderId(),
            transfer.sender(), transfer.recipientId(), transfer.recipient(), transfer.amount(), transfer.currency(),
            transfer.note(), transfer.idempotencyKey(), entryId, transfer.createdAt())))
        .mapEmpty();
  }

  /** The transfer an earlier request with this Idempotency-Key made, or null. */
  static Future<JsonObject> byKey(SqlClient sql, String merchantId, String mode, String senderId, String key) {
    return sql.preparedQuery("SELECT " + COLUMNS
            + " FROM transfers WHERE merchant_id = $1 AND mode = $2 AND sender_id = $3 AND idempotency_key = $4 LIMIT 1")
        .execute(Tuple.of(merchantId, mode, senderId, key))
        .map(rows -> rows.size() == 0 ? null : json(rows.iterator().next()));
  }

  static Future<JsonObject> byId(SqlClient sql, String merchantId, String mode, String userId, String id) {
    return sql.preparedQuery("SELECT " + COLUMNS
            + " FROM transfers WHERE merchant_id = $1 AND mode = $2 AND id = $3 AND (sender_id = $4 OR recipient_id = $4) LIMIT 1")
        .execute(Tuple.of(merchantId, mode, id, userId))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(CowrieError.notFound("transfer", id))
            : Future.succeededFuture(json(rows.iterator().next())));
  }

  /** Newest first; direction sent, received, or null for both. */
  static Future<JsonObject> list(SqlClient sql, String merchantId, String mode, String userId, String direction, Page page) {
    String who = direction == null ? "(sender_id = $3 OR recipient_id = $3)"
        : direction.equals("sent") ? "sender_id = $3" : "recipient_id = $3";
    return sql.preparedQuery("SELECT " + COLUMNS + " FROM transfers WHERE merchant_id = $1 AND mode = $2 AND " + who
            + " AND id < $4 ORDER BY id DESC LIMIT $5")
        .execute(Tuple.of(merchantId, mode, userId, page.cursor(), page.limit() + 1))
        .map(rows -> {
          JsonArray list = new JsonArray();
          rows.forEach(row -> list.add(json(row)));
          return page.envelope(list);
        });
  }

  /** The API's transfer as {@link #json(Row)} reads it back once stored. */
  static JsonObject json(New transfer, String entryId) {
    return json(transfer.id(), transfer.sender(), transfer.recipient(), transfer.amount(), transfer.currency(), transfer.note(),
        entryId, transfer.mode(), transfer.createdAt());
  }

  static JsonObject json(Row row) {
    return json(row.getString("id"), row.getString("sender"), row.getString("recipient"), row.getLong("amount"),
        row.getString("currency"), row.getString("note"), row.getString("entry_id"), row.getString("mode"),
        row.getOffsetDateTime("created_at"));
  }

  private static JsonObject json(String id, String sender, String recipient, long amount, String currency, String note,
      String entryId, String mode, OffsetDateTime createdAt) {
    return new JsonObject()
        .put("id", id)
        .put("object", "transfer")
        .put("status", TransferStatus.SUCCEEDED.api())
        .put("from", sender)
        .put("to", recipient)
        .put("amount", amount)
        .put("currency", currency)
        .put("note", note)
        .put("ledger_entry", entryId)
        .put("livemode", "live".equals(mode))
        .put("created_at", Times.rfc3339(createdAt));
  }
}
