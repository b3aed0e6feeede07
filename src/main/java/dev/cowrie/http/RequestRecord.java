package dev.cowrie.http;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;

/**
 * What a request leaves behind durably, carried into the route's own transactions instead of
 * costing commits of their own (see {@link Api#postRecorded}): the claim and the stored answer of
 * its Idempotency-Key (null without a key) and its audit row. The route claims the key in its
 * first transaction, beside the change, and completes it in the transaction that makes the answer.
 */
public record RequestRecord(Key key, JsonObject audit) {
  /** The field of a bus command that carries it. */
  public static final String FIELD = "request_record";
  /** Nothing to record: a worker's or the dashboard's call, or a report arriving later. */
  public static final RequestRecord NONE = new RequestRecord(null, null);

  /** An Idempotency-Key as claimed by this request; {@code lockedUntil} tells this claim from a later one. */
  public record Key(String merchantId, String mode, String key, String fingerprint, OffsetDateTime lockedUntil) {}

  // The lock is chosen by the gateway, so the claim's owner can release exactly its own claim even
  // when the failure came before it learned whether the claim committed.
  static final String CLAIM = """
      INSERT INTO idempotency_keys (merchant_id, mode, idem_key, fingerprint, state, locked_until)
      VALUES ($1, $2, $3, $4, 'in_flight', $5)
      ON CONFLICT (merchant_id, mode, idem_key) DO UPDATE
        SET locked_until = EXCLUDED.locked_until
        WHERE idempotency_keys.state = 'in_flight' AND idempotency_keys.locked_until < now()
          AND idempotency_keys.fingerprint = EXCLUDED.fingerprint
      RETURNING locked_until""";
  static final String COMPLETE = """
      UPDATE idempotency_keys SET state = 'done', response_status = $5, response_body = $6
      WHERE merchant_id = $1 AND mode = $2 AND idem_key = $3 AND locked_until = $4""";
  static final String RELEASE = """
      DELETE FROM idempotency_keys
      WHERE merchant_id = $1 AND mode = $2 AND idem_key = $3 AND state = 'in_flight' AND locked_until = $4""";
  // An answer given before the route's first transaction (a refusal): claim and answer in one statement.
  static final String ANSWER = """
      INSERT INTO idempotency_keys (merchant_id, mode, idem_key, fingerprint, state, locked_until, response_status, response_body)
      VALUES ($1, $2, $3, $4, 'done', $5, $6, $7)
      ON CONFLICT (merchant_id, mode, idem_key) DO UPDATE
        SET state = 'done', response_status = EXCLUDED.response_status, response_body = EXCLUDED.response_body
        WHERE idempotency_keys.state = 'in_flight' AND idempotency_keys.locked_until = EXCLUDED.locked_until""";

  /** The record a command carries; a command without one (a worker, chat) records nothing here. */
  public static RequestRecord of(JsonObject command) {
    JsonObject json = command.getJsonObject(FIELD);
    if (json == null) {
      return new RequestRecord(null, null);
    }
    JsonObject key = json.getJsonObject("key");
    return new RequestRecord(key == null ? null : new Key(key.getString("merchant_id"), key.getString("mode"),
        key.getString("key"), key.getString("fingerprint"), OffsetDateTime.parse(key.getString("locked_until"))),
        json.getJsonObject("audit"));
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("audit", audit);
    if (key != null) {
      json.put("key", new JsonObject().put("merchant_id", key.merchantId()).put("mode", key.mode()).put("key", key.key())
          .put("fingerprint", key.fingerprint()).put("locked_until", key.lockedUntil().toString()));
    }
    return json;
  }

  /** Claims the key in the caller's transaction; fails with {@link #taken()} when another request holds or answered it. */
  public Future<Void> claim(SqlClient sql) {
    if (key == null) {
      return Future.succeededFuture();
    }
    return sql.preparedQuery(CLAIM)
        .execute(Tuple.of(key.merchantId(), key.mode(), key.key(), key.fingerprint(), key.lockedUntil()))
        .compose(rows -> rows.size() == 1 ? Future.succeededFuture() : Future.failedFuture(taken()));
  }

  /** Stores the answer of the key in the caller's transaction (the one that makes the answer). */
  public Future<Void> complete(SqlClient sql, int status, JsonObject body) {
    if (key == null) {
      return Future.succeededFuture();
    }
    return sql.preparedQuery(COMPLETE)
        .execute(Tuple.of(key.merchantId(), key.mode(), key.key(), key.lockedUntil(), status, body.encode()))
        .mapEmpty();
  }

  /** Forgets the claim in the caller's transaction, so a retry runs (the route failed after claiming). */
  public Future<Void> release(SqlClient sql) {
    if (key == null) {
      return Future.succeededFuture();
    }
    return sql.preparedQuery(RELEASE)
        .execute(Tuple.of(key.merchantId(), key.mode(), key.key(), key.lockedUntil()))
        .mapEmpty();
  }

  /**
   * The audit row of the mutation on {@code target}, for the route to write in its own transaction
   * (the audit log belongs to auth: {@code AuditLog.insert}); null when the call is not audited.
   */
  public JsonObject auditEntry(String target, int status) {
    return audit == null ? null : audit.copy().put("target", target).put("status", status);
  }

  /** The route's failure when the key's row belongs to another request: the HTTP layer answers from that row. */
  public static CowrieError taken() {
    return new CowrieError(ErrorCode.IDEMPOTENCY_KEY_IN_USE,
        "A request with this Idempotency-Key is still being processed; retry after it finishes.", Idempotency.HEADER,
        new JsonObject().put("durable_claim", "taken"));
  }

  static boolean isTaken(Throwable failure) {
    CowrieError error = CowrieError.from(failure);
    return error.code == ErrorCode.IDEMPOTENCY_KEY_IN_USE && error.extra != null
        && "taken".equals(error.extra.getString("durable_claim"));
  }
}
