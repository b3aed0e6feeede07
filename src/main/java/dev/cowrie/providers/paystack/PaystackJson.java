package dev.cowrie.providers.paystack;

import dev.cowrie.providers.CallbackEvent;
import dev.cowrie.providers.MalformedAnswer;
import dev.cowrie.providers.ProviderStatus;
import dev.cowrie.providers.RefundResult;
import dev.cowrie.providers.SavedMethod;
import dev.cowrie.providers.StatusResult;
import dev.cowrie.providers.Wire;
import io.vertx.core.json.JsonObject;

/** Paystack's wire shapes ↔ neutral results (providers/paystack/README.md). */
final class PaystackJson {
  private PaystackJson() {}

  /** Paystack references allow only letters, digits, '-', '.', '='; our ids are {@code pay_<base32>}, so '_' ↔ '-' is reversible. */
  static String wireReference(String paymentId) {
    return paymentId.replace('_', '-');
  }

  static String ourReference(String wireReference) {
    return wireReference == null ? null : wireReference.replaceFirst("^([a-z]+)-", "$1_");
  }

  /**
   * A transaction ({@code data} of verify or charge_authorization): its status, and the card's
   * {@code authorization} when Paystack marks it {@code reusable} (README, Saved cards).
   */
  static StatusResult transaction(JsonObject data) {
    String status = MalformedAnswer.require(data.getString("status"), "data.status");
    JsonObject authorization = data.getJsonObject("authorization");
    JsonObject customer = data.getJsonObject("customer");
    SavedMethod saved = authorization != null && Boolean.TRUE.equals(authorization.getValue("reusable"))
        && authorization.getString("authorization_code") != null
        ? new SavedMethod(authorization.getString("authorization_code"), null, customer == null ? null : customer.getString("email"),
            authorization.getValue("brand") == null ? null : String.valueOf(authorization.getValue("brand")).trim(), authorization.getString("last4"))
        : null;
    return new StatusResult(status(status), data.getString("reference"), Wire.lenientLong(data.getValue("amount")),
        Wire.upper(data.getString("currency")), status.equals("failed") ? data.getString("gateway_response") : null, null, saved);
  }

  /** Every documented {@code data.status} of a transaction. */
  static ProviderStatus status(String status) {
    return switch (status == null ? "" : status) {
      case "success" -> ProviderStatus.SUCCEEDED;
      case "failed" -> ProviderStatus.FAILED;
      case "abandoned" -> ProviderStatus.REQUIRES_ACTION; // the customer may still pay; our own expiry cancels
      case "ongoing", "pending", "processing", "queued" -> ProviderStatus.PROCESSING;
      case "reversed" -> ProviderStatus.UNKNOWN; // money went back outside our refund flow: a human decides
      default -> ProviderStatus.UNKNOWN;
    };
  }

  static RefundResult.Status refundStatus(String status) {
    return switch (status == null ? "" : status) {
      case "pending", "processing", "needs-attention" -> RefundResult.Status.PENDING;
      case "processed" -> RefundResult.Status.SUCCEEDED;
      case "failed" -> RefundResult.Status.FAILED;
      default -> RefundResult.Status.UNKNOWN;
    };
  }

  /** An error envelope saying the key is refused: {@code {status:false, message:"Invalid key"}} (or "Invalid API key"). */
  static boolean invalidKey(JsonObject envelope) {
    Object message = envelope.getValue("message");
    return Boolean.FALSE.equals(envelope.getValue("status")) && message instanceof String text
        && text.trim().toLowerCase(java.util.Locale.ROOT).matches("invalid (api |secret )?key\\.?");
  }

  /** The merchant_note sent with a refund: the only field of ours a refund list gives back. */
  static String refundNote(String refundId) {
    return "Cowrie refund " + refundId;
  }

  /** Our refund in a List Refunds answer: the entry whose merchant_note names it, for the same amount. */
  static RefundResult listedRefund(JsonObject envelope, String refundId, long amount) {
    if (!Boolean.TRUE.equals(envelope.getValue("status"))) {
      throw new MalformedAnswer("status is not true: " + envelope.getValue("message"));
    }
    io.vertx.core.json.JsonArray entries = MalformedAnswer.require(envelope.getJsonArray("data"), "data");
    for (int i = 0; i < entries.size(); i++) {
      JsonObject entry = entries.getJsonObject(i);
      Long listed = Wire.lenientLong(entry.getValue("amount"));
      if (refundNote(refundId).equals(entry.getString("merchant_note")) && listed != null && listed == amount) {
        return new RefundResult(refundStatus(entry.getString("status")),
            String.valueOf(MalformedAnswer.require(entry.getValue("id"), "data[].id")), null);
      }
    }
    return new RefundResult(RefundResult.Status.UNKNOWN, null, "none of the " + entries.size()
        + " refunds Paystack listed for the transaction has merchant_note \"" + refundNote(refundId) + "\" and amount " + amount);
  }

  /** The {@code data} of a successful envelope {@code {status:true, message, data}}. */
  static JsonObject data(JsonObject envelope) {
    if (!Boolean.TRUE.equals(envelope.getValue("status"))) {
      throw new MalformedAnswer("status is not true: " + envelope.getValue("message"));
    }
    return MalformedAnswer.require(envelope.getJsonObject("data"), "data");
  }

  /** A verified event body. Paystack events carry no id: event + reference (+ refund id) de-duplicates. */
  static CallbackEvent event(JsonObject body) {
    String type = String.valueOf(body.getString("event"));
    JsonObject data = body.getJsonObject("data", new JsonObject());
    return switch (type) {
      case "charge.success" -> {
        String reference = data.getString("reference");
        yield new CallbackEvent(type + ":" + reference, type, CallbackEvent.Kind.PAYMENT, status(data.getString("status")),
            null, ourReference(reference), reference, Wire.lenientLong(data.getValue("amount")),
            Wire.upper(data.getString("currency")), true);
      }
      case "refund.pending", "refund.processing", "refund.processed", "refund.failed", "refund.needs-attention" -> {
        String reference = data.getString("transaction_reference");
        String refundId = data.getValue("refund_reference") == null ? null : String.valueOf(data.getValue("refund_reference"));
        yield new CallbackEvent(type + ":" + reference + ":" + refundId, type, CallbackEvent.Kind.REFUND, null,
            refundStatus(type.substring("refund.".length())), ourReference(reference), refundId,
            Wire.lenientLong(data.getValue("amount")), Wire.upper(data.getString("currency")), true);
      }
      default -> new CallbackEvent(type + ":" + data.getValue("reference") + ":" + data.getValue("id"), type,
          CallbackEvent.Kind.OTHER, null, null, ourReference(data.getString("reference")), null, null, null, true);
    };
  }
}
