package dev.cowrie.requests;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Times;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/** SQL of payment requests and acknowledged confirmations; the tenant is in every WHERE. */
final class PaymentRequests {
  // A request past its expiry (as of the caller's clock) that is not paid in full reads "expired", as
  // /verify says; the stored status keeps the tally's state (the schema ties it to paid_amount).
  private static final String COLUMNS = """
      id, ref, merchant_id, mode, payee_user_id, payee, room_id, amount, currency, description, accepts,
      expires_at, paid_amount, status, kid, encoded_message, created_at""";

  private static final String STATUS_AS_OF_7 = "CASE WHEN status IN ('open', 'partially_paid') AND expires_at <= $7 THEN 'expired' ELSE status END";
  static final String LIST = "SELECT " + COLUMNS + " FROM payment_requests"
      + " WHERE merchant_id = $1 AND mode = $2 AND ($3::text IS NULL OR payee_user_id = $3) AND id < $4"
      + " AND ($5::text IS NULL OR " + STATUS_AS_OF_7 + " = $5) ORDER BY id DESC LIMIT $6";

  private PaymentRequests() {}

  /** A page of requests, newest first, one row more than asked (for has_more); {@code payeeUserId} null: all of the merchant's. */
  static Future<java.util.List<Stored>> list(SqlClient sql, Instant asOf, String merchantId, String mode, String payeeUserId,
      String status, String cursor, int limitPlusOne) {
    return sql.preparedQuery(LIST).execute(Tuple.tuple(Arrays.asList(merchantId, mode, payeeUserId, cursor, status, limitPlusOne,
            asOf.atOffset(ZoneOffset.UTC))))
        .map(rows -> {
          java.util.List<Stored> found = new java.util.ArrayList<>();
          rows.forEach(row -> found.add(stored(row, asOf)));
          return found;
        });
  }

  /** One stored request, as the verticle needs it. */
  record Stored(String id, String merchantId, String mode, String payeeUserId, String payee, long amount, String currency,
      OffsetDateTime expiresAt, long paidAmount, String status, JsonObject json) {}

  static Future<Void> insert(SqlClient sql, Stored request, byte[] ref, String kid, JsonArray accepts, String description,
      String roomId, String encoded) {
    return sql.preparedQuery("""
            INSERT INTO payment_requests (id, ref, merchant_id, mode, payee_user_id, payee, room_id, amount, currency,
              description, accepts, expires_at, kid, encoded_message)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)""")
        .execute(Tuple.tuple(Arrays.asList(request.id(), Buffer.buffer(ref), request.merchantId(), request.mode(),
            request.payeeUserId(), request.payee(), roomId, request.amount(), request.currency(), description, accepts,
            request.expiresAt(), kid, encoded)))
        .mapEmpty();
  }

  static Future<Stored> byId(SqlClient sql, Instant asOf, String merchantId, String mode, String id) {
    return byId(sql, asOf, merchantId, mode, id, false);
  }

  /** {@code forUpdate}: the row stays locked to the transaction (payments against it are counted one at a time). */
  static Future<Stored> byId(SqlClient sql, Instant asOf, String merchantId, String mode, String id, boolean forUpdate) {
    return sql.preparedQuery("SELECT " + COLUMNS + " FROM payment_requests WHERE merchant_id = $1 AND mode = $2 AND id = $3 LIMIT 1"
            + (forUpdate ? " FOR UPDATE" : ""))
        .execute(Tuple.of(merchantId, mode, id))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(CowrieError.notFound("payment request", id))
            : Future.succeededFuture(stored(rows.iterator().next(), asOf)));
  }

  /** The request a message names, or null if this merchant and mode issued none with that ref. */
  static Future<Stored> byRef(SqlClient sql, Instant asOf, String merchantId, String mode, byte[] ref, boolean forUpdate) {
    return sql.preparedQuery("SELECT " + COLUMNS + " FROM payment_requests WHERE merchant_id = $1 AND mode = $2 AND ref = $3 LIMIT 1"
            + (forUpdate ? " FOR UPDATE" : ""))
        .execute(Tuple.of(merchantId, mode, Buffer.buffer(ref)))
        .map(rows -> rows.size() == 0 ? null : stored(rows.iterator().next(), asOf));
  }

  /**
   * What a pay link's holder may see of its request, found by the reference its signed message
   * carries (on the system pool: the link is the capability, no tenant is known yet); null if none.
   * {@code tenant} is for Cowrie's own request page only.
   */
  static Future<JsonObject> publicByRef(SqlClient system, Instant asOf, byte[] ref) {
    return system.preparedQuery("SELECT " + COLUMNS + " FROM payment_requests WHERE ref = $1 LIMIT 1")
        .execute(Tuple.of(Buffer.buffer(ref)))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Stored request = stored(rows.iterator().next(), asOf);
          JsonObject json = request.json();
          // Who to sign a wallet user in with on the request's page; the JSON route leaves it out.
          JsonObject shown = new JsonObject().put("tenant", new JsonObject().put("merchant_id", request.merchantId())
              .put("mode", request.mode()).put("payee_user_id", request.payeeUserId()));
          for (String field : java.util.List.of("id", "object", "payee", "amount", "currency", "paid_amount", "status",
              "description", "accepts", "expires_at", "livemode")) {
            shown.put(field, json.getValue(field));
          }
          return shown;
        });
  }

  /** Records a confirmation once; answers false if it was already counted. */
  static Future<Boolean> recordConfirmation(SqlClient sql, Stored request, Payloads.Confirmation confirmation, String certificate) {
    return sql.preparedQuery("""
            INSERT INTO payment_confirmations (request_id, nonce, merchant_id, mode, paid_amount, payer, proof, certificate)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (request_id, nonce) DO NOTHING""")
        .execute(Tuple.tuple(Arrays.asList(request.id(), Buffer.buffer(confirmation.nonce()), request.merchantId(), request.mode(),
            confirmation.paidAmount(), confirmation.payer(), confirmation.proof(), certificate)))
        .map(rows -> rows.rowCount() == 1);
  }

  static Future<String> certificateOf(SqlClient sql, Stored request, byte[] nonce) {
    return sql.preparedQuery("""
            SELECT certificate FROM payment_confirmations
            WHERE merchant_id = $1 AND mode = $2 AND request_id = $3 AND nonce = $4 LIMIT 1""")
        .execute(Tuple.of(request.merchantId(), request.mode(), request.id(), Buffer.buffer(nonce)))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("certificate"));
  }

  /** The request a confirmation with this nonce was counted for, or null (a rare look-up: chat's receipt repair). */
  static Future<String> requestOfNonce(SqlClient sql, String merchantId, String mode, byte[] nonce) {
    return sql.preparedQuery("SELECT request_id FROM payment_confirmations WHERE merchant_id = $1 AND mode = $2 AND nonce = $3 LIMIT 1")
        .execute(Tuple.of(merchantId, mode, Buffer.buffer(nonce)))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("request_id"));
  }

  static Future<Stored> addPaid(SqlClient sql, Instant asOf, Stored request, long paid) {
    return sql.preparedQuery("""
            UPDATE payment_requests SET paid_amount = paid_amount + $4,
              status = CASE WHEN paid_amount + $4 >= amount THEN 'paid' ELSE 'partially_paid' END
            WHERE merchant_id = $1 AND mode = $2 AND id = $3 RETURNING """ + " " + COLUMNS)
        .execute(Tuple.of(request.merchantId(), request.mode(), request.id(), paid))
        .map(rows -> stored(rows.iterator().next(), asOf));
  }

  /** Cancels an open or partly paid request; answers it as it now reads. */
  static Future<Stored> cancel(SqlClient sql, Instant asOf, Stored request) {
    return sql.preparedQuery("UPDATE payment_requests SET status = 'canceled', canceled_at = now()"
            + " WHERE merchant_id = $1 AND mode = $2 AND id = $3 RETURNING " + COLUMNS)
        .execute(Tuple.of(request.merchantId(), request.mode(), request.id()))
        .map(rows -> stored(rows.iterator().next(), asOf));
  }

  private static Stored stored(Row row, Instant asOf) {
    String status = row.getString("status");
    boolean payable = "open".equals(status) || "partially_paid".equals(status);
    if (payable && !asOf.isBefore(row.getOffsetDateTime("expires_at").toInstant())) {
      status = "expired";
    }
    JsonObject json = new JsonObject()
        .put("id", row.getString("id"))
        .put("object", "payment_request")
        .put("amount", row.getLong("amount"))
        .put("currency", row.getString("currency"))
        .put("description", row.getString("description"))
        .put("accepts", row.getJsonArray("accepts"))
        .put("expires_at", Times.rfc3339(row.getOffsetDateTime("expires_at")))
        .put("status", status)
        .put("paid_amount", row.getLong("paid_amount"))
        .put("payee", row.getString("payee"))
        .put("room_id", row.getString("room_id"))
        .put("kid", row.getString("kid"))
        .put("encoded_message", row.getString("encoded_message"))
        .put("livemode", "live".equals(row.getString("mode")))
        .put("created_at", Times.rfc3339(row.getOffsetDateTime("created_at")));
    return new Stored(row.getString("id"), row.getString("merchant_id"), row.getString("mode"), row.getString("payee_user_id"),
        row.getString("payee"), row.getLong("amount"), row.getString("currency"), row.getOffsetDateTime("expires_at"),
        row.getLong("paid_amount"), status, json);
  }
}
