package dev.cowrie.payments;

import dev.cowrie.common.Bus;
import dev.cowrie.common.Ids;
import dev.cowrie.providers.CallOutcome;
import dev.cowrie.providers.PaymentLookup;
import dev.cowrie.providers.ProviderAddresses;
import dev.cowrie.providers.ProviderCall;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;

/** Calls a provider's verticle and records the call as a payment attempt, whatever happened. */
final class ProviderCalls {
  private final Vertx vertx;
  private final Pool pool;
  private final long timeoutMs;

  ProviderCalls(Vertx vertx, Pool pool, long timeoutMs) {
    this.vertx = vertx;
    this.pool = pool;
    this.timeoutMs = timeoutMs;
  }

  /** Calls and records the attempt; answers the reply: outcome, http_status, latency_ms, message, raw, result. */
  Future<JsonObject> call(String paymentId, String connectionId, String provider, String operation, JsonObject input) {
    return callOnly(connectionId, provider, operation, input)
        .compose(reply -> record(pool, paymentId, connectionId, provider, operation, reply).map(reply));
  }

  /** Calls without recording: the caller records the attempt in its own transaction. */
  Future<JsonObject> callOnly(String connectionId, String provider, String operation, JsonObject input) {
    ProviderCall call = new ProviderCall(operation, connectionId, input);
    return Bus.<JsonObject>request(vertx, ProviderAddresses.call(provider), call.toJson(), timeoutMs).otherwise(call::unreachable);
  }

  /**
   * Asks the provider to close a canceled payment's checkout, so the customer can no longer pay it.
   * Best effort, after the cancel committed: a success that still arrives is booked and flagged
   * for review (StatusChanges), never dropped. The call is recorded as an attempt.
   */
  Future<Void> closeCheckout(Row payment) {
    if (payment.getString("connection_id") == null || payment.getString("provider_reference") == null) {
      return Future.succeededFuture();
    }
    PaymentLookup lookup = new PaymentLookup(payment.getString("id"), payment.getString("provider_reference"),
        payment.getString("currency"));
    return call(payment.getString("id"), payment.getString("connection_id"), payment.getString("provider"), "cancel",
        lookup.toJson()).<Void>mapEmpty().otherwiseEmpty();
  }

  static Future<Void> record(io.vertx.sqlclient.SqlClient sql, String paymentId, String connectionId, String provider,
      String operation, JsonObject reply) {
    return recordAttempt(sql, paymentId, connectionId, provider, operation, reply).mapEmpty();
  }

  /** A field of a successful call's result (a start's checkout URL and reference), else null. */
  private static String started(CallOutcome called, JsonObject reply, String field) {
    JsonObject result = reply.getJsonObject("result");
    return called == CallOutcome.OK && result != null && result.getValue(field) instanceof String value ? value : null;
  }

  /** Records the attempt and answers it as a payment shows it. */
  static Future<JsonObject> recordAttempt(io.vertx.sqlclient.SqlClient sql, String paymentId, String connectionId, String provider,
      String operation, JsonObject reply) {
    CallOutcome called = CallOutcome.of(reply);
    return sql.preparedQuery("""
            INSERT INTO payment_attempts (id, payment_id, connection_id, provider, operation, outcome, http_status,
              latency_ms, error_code, error_message, raw_response, redirect_url, provider_reference)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            RETURNING\s""" + Payments.ATTEMPT_COLUMNS)
        .execute(Tuple.tuple(Arrays.asList(Ids.next("att"), paymentId, connectionId, provider, operation, called.attemptOutcome(),
            reply.getInteger("http_status"), reply.getInteger("latency_ms"),
            called == CallOutcome.OK ? null : called.wire(),
            reply.getString("message"), reply.getString("raw"), started(called, reply, "redirect_url"),
            started(called, reply, "provider_reference"))))
        .map(rows -> Payments.attemptJson(rows.iterator().next()));
  }
}
