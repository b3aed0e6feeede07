package dev.cowrie.payments;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.providers.CallOutcome;
import dev.cowrie.providers.PaymentLookup;
import dev.cowrie.providers.SavedMethod;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.List;

/**
 * Payments made with, or saving, a customer's method (recurring's invoices). A creation command's
 * {@code payment_method} ({connection_id, provider, token, provider_customer, email}) is charged on
 * the connection that saved it and nowhere else; {@code save_method} asks the checkout to keep it.
 * After a paid checkout, {@link #ask} reads what the provider kept from its verify answer.
 */
final class SavedMethods {
  /** The purpose of a payment that pays an invoice. */
  static final String INVOICE = "invoice";
  private final ProviderCalls providers;

  SavedMethods(ProviderCalls providers) {
    this.providers = providers;
  }

  static SavedMethod of(JsonObject cmd) {
    return SavedMethod.fromJson(cmd.getJsonObject("payment_method"));
  }

  /** The connections a payment may use: only the saved method's own, when it has one. */
  static Future<List<Row>> pin(List<Row> eligible, JsonObject cmd) {
    JsonObject method = cmd.getJsonObject("payment_method");
    if (method == null) {
      return Future.succeededFuture(eligible);
    }
    String connectionId = method.getString("connection_id");
    List<Row> own = eligible.stream().filter(row -> row.getString("id").equals(connectionId)).toList();
    return own.isEmpty() ? Future.failedFuture(new CowrieError(ErrorCode.NO_ELIGIBLE_PROVIDER, "The saved payment method's "
        + "connection " + connectionId + " is disabled, flagged or no longer takes " + cmd.getString("currency") + ".", "payment_method"))
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
