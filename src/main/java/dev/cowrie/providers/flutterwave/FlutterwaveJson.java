package dev.cowrie.providers.flutterwave;

import dev.cowrie.common.Money;
import dev.cowrie.providers.CallbackEvent;
import dev.cowrie.providers.ProviderStatus;
import dev.cowrie.providers.MalformedAnswer;
import dev.cowrie.providers.StatusResult;
import dev.cowrie.providers.SavedMethod;
import dev.cowrie.providers.RefundResult;
import dev.cowrie.providers.Wire;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;

/** Flutterwave v3 wire shapes ↔ neutral results (providers/flutterwave/README.md). */
final class FlutterwaveJson {
  private FlutterwaveJson() {}

  /** Flutterwave takes major units as JSON numbers: 150050 NGN → 1500.50. */
  static BigDecimal major(long minor, String currency) {
    return new Money(minor, currency).toMajor();
  }

  /** v3 words ({@code successful}) and v4 words ({@code succeeded}) both appear in the wild. */
  static ProviderStatus status(String status) {
    return switch (status == null ? "" : status) {
      case "successful", "succeeded" -> ProviderStatus.SUCCEEDED;
      case "failed" -> ProviderStatus.FAILED;
      case "pending" -> ProviderStatus.PROCESSING;
      case "cancelled" -> ProviderStatus.CANCELED;
      default -> ProviderStatus.UNKNOWN;
    };
  }

  static RefundResult.Status refundStatus(String status) {
    return switch (status == null ? "" : status) {
      case "completed", "successful" -> RefundResult.Status.SUCCEEDED;
      case "pending", "pending-completion", "new" -> RefundResult.Status.PENDING;
      case "failed" -> RefundResult.Status.FAILED;
      default -> RefundResult.Status.UNKNOWN;
    };
  }

  /** The {@code data} of a successful envelope {@code {status:"success", message, data}}. */
  static JsonObject data(JsonObject envelope) {
    return Wire.successData(envelope);
  }

  /** A transaction (verify's or a tokenized charge's {@code data}), with the card token a card payment leaves. */
  static StatusResult transaction(JsonObject data) {
    String status = MalformedAnswer.require(data.getString("status"), "data.status");
    Object id = MalformedAnswer.require(data.getValue("id"), "data.id");
    JsonObject card = data.getJsonObject("card");
    JsonObject customer = data.getJsonObject("customer");
    SavedMethod saved = card == null || card.getString("token") == null ? null : new SavedMethod(card.getString("token"), null,
        customer == null ? null : customer.getString("email"), card.getString("type"), card.getString("last_4digits"));
    return new StatusResult(status(status), String.valueOf(id), minor(data), Wire.upper(data.getString("currency")),
        status.equals("failed") ? data.getString("processor_response") : null, null, saved);
  }

  static Long minor(JsonObject data) {
    return Wire.minorAmount(data, "data.amount");
  }

  /**
   * A verified event: v3 ({@code event}, {@code data.tx_ref}) or v4 ({@code type}, {@code data.reference}).
   * v3 has no event id, so event + status + reference de-duplicates; the status is part of it because
   * Flutterwave sends {@code charge.completed} for failures and successes alike.
   */
  static CallbackEvent event(JsonObject body) {
    String type = String.valueOf(body.getString("event", body.getString("type")));
    JsonObject data = body.getJsonObject("data", new JsonObject());
    String reference = data.getString("tx_ref", data.getString("reference"));
    String status = data.getString("status");
    String eventId = body.getString("id", type + ":" + status + ":" + reference);
    String providerId = data.getValue("id") == null ? null : String.valueOf(data.getValue("id"));
    if (type.equals("charge.completed")) {
      return new CallbackEvent(eventId, type, CallbackEvent.Kind.PAYMENT, status(status), null, reference, providerId,
          minor(data), Wire.upper(data.getString("currency")), true);
    }
    return new CallbackEvent(eventId, type, CallbackEvent.Kind.OTHER, null, null, reference, providerId, null, null, true);
  }
}
