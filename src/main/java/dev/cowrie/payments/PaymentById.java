package dev.cowrie.payments;

import dev.cowrie.security.Principal;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The command of the addresses that name one payment (or refund) of the caller's merchant and mode:
 * {@link PaymentAddresses#GET}, {@code VERIFY}, {@code RESUME}, {@code CANCEL}, {@code SAVED_METHOD},
 * {@code LEDGER_ENTRIES}, {@code GET_REFUND}. Workers (callbacks, the reconciler, recurring) send it as
 * their system principal; an HTTP route's {@code Call#command} adds the request id on the way.
 */
public record PaymentById(Principal principal, String id) {

  public PaymentById {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(id, "id");
  }

  /** {@code worker} asks about a payment of one merchant and mode (see {@link Principal#system}). */
  public static PaymentById asWorker(String worker, String merchantId, String mode, String id) {
    return new PaymentById(Principal.system(worker, merchantId, mode), id);
  }

  String merchantId() {
    return principal.merchantId();
  }

  String mode() {
    return principal.mode();
  }

  public JsonObject toJson() {
    return new JsonObject().put("principal", principal.toJson()).put("id", id);
  }

  public static PaymentById fromJson(JsonObject json) {
    return new PaymentById(Principal.fromJson(json.getJsonObject("principal")), json.getString("id"));
  }
}
