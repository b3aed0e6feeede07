package dev.cowrie.payments;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.providers.CallOutcome;
import dev.cowrie.providers.PaymentLookup;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.List;

/**
 * Payments made with, or saving, a customer's method (recurring's invoices). A creation's
 * {@link PaymentCreate#savedMethod()} is charged on the connection that saved it and nowhere else.
 * After a paid checkout, {@link #ask} reads what the provider kept from its verify answer.
 */
final class SavedMethods {
  private final ProviderCalls providers;

  SavedMethods(ProviderCalls providers) {
    this.providers = providers;
  }

  /** The connections a payment may use: only the saved method's own, when it has one. */
  static Future<List<Row>> pin(List<Row> eligible, PaymentCreate cmd) {
    if (cmd.savedMethod() == null) {
      return Future.succeededFuture(eligible);
    }
    String connectionId = cmd.savedMethod().connectionId();
    List<Row> own = eligible.stream().filter(row -> row.getString("id").equals(connectionId)).toList();
    return own.isEmpty() ? Future.failedFuture(new CowrieError(ErrorCode.NO_ELIGIBLE_PROVIDER, "The saved payment method's "
        + "connection " + connectionId + " is disabled, flagged or no longer takes " + cmd.currency() + ".", "payment_method"))
        : Future.succeededFuture(own);
  }

  /** What the provider kept from this paid payment's checkout: {saved_method:{…}}, or {} when it kept nothing. */
  Future<JsonObject> ask(Row payment) {
    String connectionId = payment.getString("connection_id");
    if (connectionId == null || payment.getString("provider_reference") == null
        || !PaymentStatus.SUCCEEDED.api().equals(payment.getString("status"))) {
      return Future.succeededFuture(new JsonObject());
    }
    PaymentLookup lookup = new PaymentLookup(payment.getString("id"), payment.getString("provider_reference"),
        payment.getString("currency"));
    return providers.call(payment.getString("id"), connectionId, payment.getString("provider"), "verify", lookup.toJson())
        .map(reply -> {
          JsonObject kept = CallOutcome.of(reply) == CallOutcome.OK ? reply.getJsonObject("result").getJsonObject("saved_method") : null;
          return kept == null ? new JsonObject() : new JsonObject().put("saved_method", kept.copy()
              .put("provider", payment.getString("provider")).put("connection_id", connectionId));
        });
  }
}
