package dev.cowrie.providers.stripe;

import dev.cowrie.common.Money;
import dev.cowrie.providers.CallbackEvent;
import dev.cowrie.providers.HttpCall;
import dev.cowrie.providers.MalformedAnswer;
import dev.cowrie.providers.ProviderStatus;
import dev.cowrie.providers.RefundResult;
import dev.cowrie.providers.SavedMethod;
import dev.cowrie.providers.StatusResult;
import dev.cowrie.providers.Wire;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

/** Stripe's wire shapes and units ↔ neutral results (providers/stripe/README.md). */
final class StripeJson {
  // docs.stripe.com/currencies: amounts in major units for these, ×1000 (ending in 0) for the next.
  static final Set<String> ZERO_DECIMAL = Set.of("BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF",
      "UGX", "VND", "VUV", "XAF", "XOF", "XPF");
  static final Set<String> THREE_DECIMAL = Set.of("BHD", "JOD", "KWD", "OMR", "TND");
  /** Where Stripe's table has quirks we have not tested: refused rather than guessed. */
  static final Set<String> NOT_ENABLED = Set.of("ISK", "HUF", "TWD", "UGX");

  private StripeJson() {}

  static int exponent(String currency) {
    return ZERO_DECIMAL.contains(currency) ? 0 : THREE_DECIMAL.contains(currency) ? 3 : 2;
  }

  /** Cowrie minor units (ISO 4217) → Stripe's smallest unit; refuses what Stripe's unit cannot hold exactly. */
  static long toStripe(long minor, String currency) {
    if (NOT_ENABLED.contains(currency)) {
      throw new IllegalArgumentException("Stripe amounts in " + currency + " are not enabled in Cowrie");
    }
    long units = new Money(minor, currency).toMajor().movePointRight(exponent(currency)).longValueExact();
    if (THREE_DECIMAL.contains(currency) && units % 10 != 0) {
      throw new IllegalArgumentException("Stripe takes " + currency + " amounts only in multiples of 10");
    }
    return units;
  }

  static Long fromStripe(Object units, String currency) {
    if (units == null || currency == null) {
      return null;
    }
    BigDecimal major = BigDecimal.valueOf(Wire.lenientLong(units), exponent(currency));
    return Wire.minorFromMajor(major.toPlainString(), currency, "amount");
  }

  static ProviderStatus intentStatus(JsonObject intent) {
    return switch (String.valueOf(intent.getString("status"))) {
      case "succeeded" -> ProviderStatus.SUCCEEDED;
      case "processing", "requires_capture" -> ProviderStatus.PROCESSING;
      case "requires_payment_method" -> intent.getJsonObject("last_payment_error") != null
          ? ProviderStatus.FAILED : ProviderStatus.REQUIRES_ACTION;
      case "requires_confirmation", "requires_action" -> ProviderStatus.REQUIRES_ACTION;
      case "canceled" -> ProviderStatus.CANCELED;
      default -> ProviderStatus.UNKNOWN;
    };
  }

  /** A session or PaymentIntent read into a status; an unpaid complete session asks for its PaymentIntent. */
  static StatusResult status(JsonObject object, Map<String, String> headers) {
    String currency = Wire.upper(object.getString("currency"));
    if ("payment_intent".equals(object.getString("object"))) {
      JsonObject error = object.getJsonObject("last_payment_error");
      return new StatusResult(intentStatus(object), object.getString("id"), fromStripe(object.getValue("amount"), currency),
          currency, error == null ? null : error.getString("message"), null, savedMethod(object));
    }
    String intent = object.getString("payment_intent");
    Long amount = fromStripe(object.getValue("amount_total"), currency);
    String state = MalformedAnswer.require(object.getString("status"), "status") + "/" + object.getString("payment_status");
    return switch (state) {
      // A checkout that saved the card: its PaymentIntent names the customer and PaymentMethod kept.
      case "complete/paid" -> new StatusResult(ProviderStatus.SUCCEEDED, intent, amount, currency, null,
          savedOn(object) && intent != null ? HttpCall.get("/v1/payment_intents/" + Wire.segment(intent), headers) : null);
      case "complete/unpaid" -> new StatusResult(ProviderStatus.PROCESSING, intent, amount, currency, null,
          intent == null ? null : HttpCall.get("/v1/payment_intents/" + Wire.segment(intent), headers));
      case "open/unpaid" -> new StatusResult(ProviderStatus.REQUIRES_ACTION, intent, amount, currency, null, null);
      case "expired/unpaid" -> new StatusResult(ProviderStatus.CANCELED, intent, amount, currency, null, null);
      default -> new StatusResult(ProviderStatus.UNKNOWN, intent, amount, currency, null, null);
    };
  }

  private static boolean savedOn(JsonObject session) {
    return session.getValue("customer") instanceof String
        && "true".equals(session.getJsonObject("metadata", new JsonObject()).getString("save_method"));
  }

  /** The card a PaymentIntent kept for off-session use (setup_future_usage), on its customer; null otherwise. */
  static SavedMethod savedMethod(JsonObject intent) {
    return "off_session".equals(intent.getValue("setup_future_usage")) && intent.getValue("customer") instanceof String customer
        && intent.getValue("payment_method") instanceof String method ? new SavedMethod(method, customer, null, null, null) : null;
  }

  static RefundResult.Status refundStatus(String status) {
    return switch (status == null ? "" : status) {
      case "pending", "requires_action" -> RefundResult.Status.PENDING;
      case "succeeded" -> RefundResult.Status.SUCCEEDED;
      case "failed", "canceled" -> RefundResult.Status.FAILED;
      default -> RefundResult.Status.UNKNOWN;
    };
  }

  /** A verified event, de-duplicated on Stripe's own event id. Payment events are confirmed by verify. */
  static CallbackEvent event(JsonObject event) {
    String id = event.getString("id");
    String type = String.valueOf(event.getString("type"));
    JsonObject object = event.getJsonObject("data", new JsonObject()).getJsonObject("object", new JsonObject());
    String currency = Wire.upper(object.getString("currency"));
    String reference = object.getJsonObject("metadata", new JsonObject()).getString("reference");
    ProviderStatus payment = switch (type) {
      case "checkout.session.completed" -> "paid".equals(object.getString("payment_status"))
          ? ProviderStatus.SUCCEEDED : ProviderStatus.PROCESSING;
      case "checkout.session.async_payment_succeeded", "payment_intent.succeeded" -> ProviderStatus.SUCCEEDED;
      case "checkout.session.async_payment_failed", "payment_intent.payment_failed" -> ProviderStatus.FAILED;
      case "checkout.session.expired" -> ProviderStatus.CANCELED;
      default -> null;
    };
    if (payment != null) {
      Long amount = fromStripe(object.getValue(type.startsWith("checkout") ? "amount_total" : "amount"), currency);
      return new CallbackEvent(id, type, CallbackEvent.Kind.PAYMENT, payment, null,
          type.startsWith("checkout") ? object.getString("client_reference_id") : reference, object.getString("id"),
          amount, currency, true);
    }
    RefundResult.Status refund = switch (type) {
      case "charge.refunded" -> RefundResult.Status.SUCCEEDED;
      case "refund.updated", "refund.failed", "charge.refund.updated" -> refundStatus(object.getString("status"));
      default -> null;
    };
    if (refund == null) {
      return new CallbackEvent(id, type, CallbackEvent.Kind.OTHER, null, null, reference, object.getString("id"), null, null, false);
    }
    // A charge names its PaymentIntent; a refund too. Either finds the payment through its stored charge ref.
    String intent = object.getString("payment_intent");
    boolean isCharge = "charge".equals(object.getString("object"));
    return new CallbackEvent(id, type, CallbackEvent.Kind.REFUND, null, refund, reference != null && !isCharge ? reference : intent,
        isCharge ? null : object.getString("id"),
        fromStripe(object.getValue(isCharge ? "amount_refunded" : "amount"), currency), currency, false);
  }

  /** Our refund in a refund list ({@code {object:"list", data:[…]}}): the one with metadata.refund = our id, for the same amount. */
  static RefundResult listedRefund(JsonObject list, String refundId, long stripeAmount) {
    io.vertx.core.json.JsonArray entries = MalformedAnswer.require(list.getJsonArray("data"), "data");
    for (int i = 0; i < entries.size(); i++) {
      JsonObject entry = entries.getJsonObject(i);
      JsonObject metadata = entry.getJsonObject("metadata", new JsonObject());
      if (refundId.equals(metadata.getString("refund")) && Long.valueOf(stripeAmount).equals(entry.getLong("amount"))) {
        return new RefundResult(refundStatus(entry.getString("status")), MalformedAnswer.require(entry.getString("id"), "data[].id"),
            entry.getValue("failure_reason") == null ? null : String.valueOf(entry.getValue("failure_reason")));
      }
    }
    return new RefundResult(RefundResult.Status.UNKNOWN, null, "none of the " + entries.size()
        + " refunds Stripe listed for the PaymentIntent has metadata[refund]=" + refundId + " and amount " + stripeAmount);
  }
}
