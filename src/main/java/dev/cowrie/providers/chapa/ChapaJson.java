package dev.cowrie.providers.chapa;

import dev.cowrie.providers.CallbackEvent;
import dev.cowrie.providers.ProviderStatus;
import dev.cowrie.providers.RefundResult;
import dev.cowrie.providers.Wire;
import io.vertx.core.json.JsonObject;

/** Chapa v1 wire shapes ↔ neutral results (providers/chapa/README.md). */
final class ChapaJson {
  private ChapaJson() {}

  static ProviderStatus status(String status) {
    return switch (status == null ? "" : status) {
      case "success" -> ProviderStatus.SUCCEEDED;
      case "failed" -> ProviderStatus.FAILED;
      case "pending" -> ProviderStatus.REQUIRES_ACTION; // the checkout link is still open
      case "cancelled", "failed/cancelled" -> ProviderStatus.CANCELED;
      default -> ProviderStatus.UNKNOWN;
    };
  }

  /** Refund statuses are not documented; a refund Chapa accepted is pending until {@code charge.refunded}. */
  static RefundResult.Status refundStatus(String status) {
    return switch (status == null ? "" : status) {
      case "", "pending", "processing" -> RefundResult.Status.PENDING;
      case "success", "refunded", "completed" -> RefundResult.Status.SUCCEEDED;
      case "failed" -> RefundResult.Status.FAILED;
      default -> RefundResult.Status.UNKNOWN;
    };
  }

  /** The {@code data} of a successful envelope {@code {message, status:"success", data}}. */
  static JsonObject data(JsonObject envelope) {
    return Wire.successData(envelope);
  }

  static Long minor(JsonObject object) {
    return Wire.minorAmount(object, "amount");
  }

  /** A verified event: flat bodies (Chapa's docs and SDKs), with a {@code data} object accepted as a fallback. */
  static CallbackEvent event(JsonObject body) {
    JsonObject flat = body.getValue("tx_ref") == null && body.getJsonObject("data") != null ? body.getJsonObject("data") : body;
    String type = String.valueOf(body.getString("event", flat.getString("event")));
    String reference = flat.getString("tx_ref");
    String eventId = type + ":" + reference;
    return switch (type) {
      case "charge.success", "charge.failed/cancelled", "charge.failed", "charge.cancelled" -> new CallbackEvent(eventId, type,
          CallbackEvent.Kind.PAYMENT, type.equals("charge.success") ? ProviderStatus.SUCCEEDED : ProviderStatus.FAILED,
          null, reference, flat.getString("reference"), minor(flat), Wire.upper(flat.getString("currency")), true);
      case "charge.refunded" -> new CallbackEvent(eventId + ":" + flat.getValue("amount"), type, CallbackEvent.Kind.REFUND,
          null, RefundResult.Status.SUCCEEDED, reference, flat.getString("reference"), minor(flat),
          Wire.upper(flat.getString("currency")), true);
      default -> new CallbackEvent(eventId, type, CallbackEvent.Kind.OTHER, null, null, reference, null, null, null, true);
    };
  }
}
