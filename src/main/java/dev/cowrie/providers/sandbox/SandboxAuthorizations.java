package dev.cowrie.providers.sandbox;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * The sandbox's saved cards, modelled on Paystack's reusable authorizations: a checkout paid with
 * "Pay" keeps the card (last4 4242); "Pay, then decline renewals" keeps one that pays this once and
 * declines every later charge (last4 0341, like Stripe's test card 4000 0000 0000 0341). A charge
 * naming an authorization settles in its answer and owes its callback like any other charge.
 */
final class SandboxAuthorizations {
  static final String SUCCEED_THEN_DECLINE = "succeed_then_decline";
  private static final String KEEP = "INSERT INTO sandbox_authorizations (id, connection_id, last4, declines) VALUES ($1, $2, $3, $4)";
  private static final String ATTACH = "UPDATE sandbox_charges SET authorization_id = $2 WHERE reference = $1 RETURNING *";
  private static final String FIND = "SELECT * FROM sandbox_authorizations WHERE id = $1 AND connection_id = $2";
  // A retried start finds the charge it made (the same callback URL and reference), settled as it was.
  private static final String INSERT_SETTLED = """
      INSERT INTO sandbox_charges (reference, merchant_ref, amount, currency, callback_url, secret, return_url, connection_id,
        status, authorization_id)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
      ON CONFLICT (callback_url, merchant_ref) DO UPDATE SET merchant_ref = EXCLUDED.merchant_ref
      RETURNING *, (xmax = 0) AS inserted""";

  private final Pool pool;
  private final SandboxCallbacks callbacks;

  SandboxAuthorizations(Pool pool, SandboxCallbacks callbacks) {
    this.pool = pool;
    this.callbacks = callbacks;
  }

  /** In the checkout's transaction: keeps the card that paid {@code charge}; answers the charge with it attached. */
  static Future<Row> keep(SqlConnection tx, Row charge, boolean declinesLater) {
    String id = "AUTH_" + Ids.next("sbx");
    return tx.preparedQuery(KEEP).execute(Tuple.of(id, charge.getString("connection_id"), declinesLater ? "0341" : "4242", declinesLater))
        .compose(kept -> tx.preparedQuery(ATTACH).execute(Tuple.of(charge.getString("reference"), id)))
        .map(rows -> rows.iterator().next());
  }

  /**
   * Charges an authorization of this connection at once. {@code charge} holds the charge's columns
   * (reference, merchant_ref, amount, currency, callback_url, secret, return_url, connection_id).
   * An authorization of another connection, or none, is a 400 as Paystack answers "Invalid authorization".
   */
  Future<Row> charge(String connectionId, String authorizationId, Tuple charge) {
    return pool.withTransaction(tx -> tx.preparedQuery(FIND).execute(Tuple.of(authorizationId, connectionId)).compose(found -> {
      if (found.size() == 0) {
        return Future.failedFuture(CowrieError.invalid("authorization", "No such authorization on this connection."));
      }
      String status = found.iterator().next().getBoolean("declines") ? "failed" : "succeeded";
      return tx.preparedQuery(INSERT_SETTLED).execute(charge.addString(status).addString(authorizationId)).compose(rows -> {
        Row settled = rows.iterator().next();
        if (!settled.getBoolean("inserted")) {
          return Future.succeededFuture(settled);
        }
        JsonObject data = SandboxApi.declineReason(settled, new JsonObject().put("id", settled.getString("reference"))
            .put("reference", settled.getString("merchant_ref")).put("amount", settled.getLong("amount"))
            .put("currency", settled.getString("currency")));
        return callbacks.owe(tx, settled.getString("reference"), "payment." + settled.getString("status"), data, 0).map(settled);
      });
    })).onSuccess(settled -> callbacks.committed(0));
  }

  /** A paid charge shows the card it kept, as Paystack's verify shows {@code authorization}. */
  static JsonObject show(Row charge, JsonObject json, JsonObject declineReason) {
    json.mergeIn(declineReason);
    String id = charge.getString("authorization_id");
    if (id != null && "succeeded".equals(charge.getString("status"))) {
      boolean known = charge.getColumnIndex("authorization_last4") >= 0;
      json.put("authorization", new JsonObject().put("id", id).put("brand", "visa").put("reusable", true)
          .put("last4", known ? charge.getString("authorization_last4") : null));
    }
    return json;
  }
}
