package dev.cowrie.providers.stripe;

import dev.cowrie.providers.CallbackEvent;
import dev.cowrie.providers.CallbackRejected;
import dev.cowrie.providers.Connection;
import dev.cowrie.providers.ConnectionForm;
import dev.cowrie.providers.HttpAnswer;
import dev.cowrie.providers.HttpCall;
import dev.cowrie.providers.MalformedAnswer;
import dev.cowrie.providers.PaymentLookup;
import dev.cowrie.providers.PaymentStart;
import dev.cowrie.providers.ProviderAdapter;
import dev.cowrie.providers.RefundResult;
import dev.cowrie.providers.RefundStart;
import dev.cowrie.providers.StartResult;
import dev.cowrie.providers.StatusResult;
import dev.cowrie.providers.TimestampedSignature;
import dev.cowrie.providers.Wire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Stripe (https://api.stripe.com): Checkout Sessions for a hosted page, form-encoded requests with
 * {@code Idempotency-Key}, amounts in Stripe's smallest unit. Callbacks: {@code Stripe-Signature:
 * t=…,v1=…} = hex HMAC-SHA256 of {@code "t.body"} keyed with the {@code whsec_…} string's bytes,
 * any v1 may match (rotation), 300 s tolerance both ways.
 */
public final class StripeAdapter implements ProviderAdapter {
  static final String SIGNATURE_HEADER = "stripe-signature";
  static final long TOLERANCE_SECONDS = 300;
  private static final String FORM = "application/x-www-form-urlencoded";

  @Override
  public String name() {
    return "stripe";
  }

  @Override
  public ConnectionForm connectionForm() {
    return new ConnectionForm("Stripe", "Developers → API keys; add a webhook endpoint with the callback URL and copy its signing secret.", List.of(
        new ConnectionForm.Field("secret_key", "Secret key", "sk_test_…, sk_live_… or a restricted rk_… key"),
        new ConnectionForm.Field("webhook_secret", "Webhook signing secret", "whsec_… of the endpoint pointing at the callback URL")));
  }

  @Override
  public String defaultApiBase(String publicUrl) {
    return "https://api.stripe.com";
  }

  @Override
  public Set<String> currencies() {
    return Set.of(); // Stripe takes most currencies; the few we refuse are refused when converting (StripeJson)
  }

  /** sk_test_/rk_test_ are test keys, sk_live_/rk_live_ live ones (PROVIDERS.md 3.1). */
  @Override
  public java.util.Optional<String> credentialsMode(JsonObject credentials) {
    return Wire.keyMode(credentials.getString("secret_key"), List.of("sk_test_", "rk_test_"), List.of("sk_live_", "rk_live_"));
  }

  @Override
  public JsonObject prepareCredentials(JsonObject credentials) {
    return Wire.credentials(name(), credentials, Map.of(
            "secret_key", Pattern.compile("(sk|rk)_(test|live)_[A-Za-z0-9]+"),
            "webhook_secret", Pattern.compile("whsec_[A-Za-z0-9+/=]+")),
        Map.of("secret_key", "your Stripe secret or restricted key (sk_test_…, sk_live_…, rk_…)",
            "webhook_secret", "the endpoint's signing secret (whsec_…)"));
  }

  private static Map<String, String> headers(Connection connection, String idempotencyKey) {
    Map<String, String> headers = Wire.bearer(connection.secret("secret_key"), idempotencyKey == null ? null : FORM);
    if (idempotencyKey != null) {
      headers.put("Idempotency-Key", idempotencyKey);
    }
    return headers;
  }

  @Override
  public HttpCall startPayment(Connection connection, PaymentStart payment) {
    if (payment.savedMethod() != null) {
      return chargeSaved(connection, payment);
    }
    long units = StripeJson.toStripe(payment.amount(), payment.currency());
    // Stripe insists on a success_url; without a merchant return_url the customer lands on Cowrie's root.
    String back = payment.returnUrl() != null ? payment.returnUrl() : payment.callbackUrl().replaceFirst("/v1/callbacks/.*$", "/");
    Map<String, String> form = Wire.fields();
    form.put("mode", "payment");
    form.put("client_reference_id", payment.reference());
    form.put("success_url", back);
    form.put("cancel_url", back);
    form.put("customer_email", payment.customerEmail());
    form.put("line_items[0][price_data][currency]", payment.currency().toLowerCase(Locale.ROOT));
    form.put("line_items[0][price_data][unit_amount]", Long.toString(units));
    form.put("line_items[0][price_data][product_data][name]",
        payment.description() != null ? payment.description() : "Payment " + payment.reference());
    form.put("line_items[0][quantity]", "1");
    form.put("metadata[reference]", payment.reference());
    form.put("payment_intent_data[metadata][reference]", payment.reference());
    if (payment.saveMethod()) {
      // Keep the card on a Stripe customer for charges without the customer (README, Saved cards).
      form.put("customer_creation", "always");
      form.put("payment_intent_data[setup_future_usage]", "off_session");
      form.put("metadata[save_method]", "true");
    }
    return HttpCall.post("/v1/checkout/sessions", headers(connection, payment.idempotencyKey()), Wire.form(form));
  }

  /** Off-session: a PaymentIntent confirmed at once on the saved customer and PaymentMethod. */
  private HttpCall chargeSaved(Connection connection, PaymentStart payment) {
    Map<String, String> form = Wire.fields();
    form.put("amount", Long.toString(StripeJson.toStripe(payment.amount(), payment.currency())));
    form.put("currency", payment.currency().toLowerCase(Locale.ROOT));
    form.put("customer", payment.savedMethod().providerCustomer());
    form.put("payment_method", payment.savedMethod().token());
    form.put("off_session", "true");
    form.put("confirm", "true");
    form.put("description", payment.description());
    form.put("metadata[reference]", payment.reference());
    return HttpCall.post("/v1/payment_intents", headers(connection, payment.idempotencyKey()), Wire.form(form));
  }

  /** A customer and PaymentMethod kept by a checkout with setup_future_usage=off_session. */
  @Override
  public boolean savesMethods() {
    return true;
  }

  @Override
  public StartResult readStart(Connection connection, PaymentStart payment, HttpAnswer answer) {
    if (payment.savedMethod() != null) { // the PaymentIntent, confirmed: its status is the outcome
      JsonObject intent = answer.json();
      return new StartResult(MalformedAnswer.require(intent.getString("id"), "id"), null, StripeJson.status(intent, headers(connection, null)));
    }
    JsonObject session = answer.json();
    return new StartResult(MalformedAnswer.require(session.getString("id"), "id"), MalformedAnswer.require(session.getString("url"), "url"));
  }

  @Override
  public HttpCall verifyPayment(Connection connection, PaymentLookup lookup) {
    return HttpCall.get("/v1/checkout/sessions/" + Wire.segment(lookup.providerReference()), headers(connection, null));
  }

  @Override
  public StatusResult readVerify(Connection connection, PaymentLookup lookup, HttpAnswer answer) {
    return StripeJson.status(answer.json(), headers(connection, null));
  }

  @Override
  public HttpCall refund(Connection connection, RefundStart refund) {
    Map<String, String> form = Wire.fields();
    form.put("payment_intent", refund.providerReference()); // the PaymentIntent, learnt from verify
    form.put("amount", refund.amount() == refund.paymentAmount() ? null : Long.toString(StripeJson.toStripe(refund.amount(), refund.currency())));
    form.put("reason", "requested_by_customer");
    form.put("metadata[refund]", refund.refundId());
    form.put("metadata[reference]", refund.paymentReference());
    return HttpCall.post("/v1/refunds", headers(connection, refund.idempotencyKey()), Wire.form(form));
  }

  @Override
  public RefundResult readRefund(Connection connection, RefundStart refund, HttpAnswer answer) {
    JsonObject body = answer.json();
    return new RefundResult(StripeJson.refundStatus(body.getString("status")), MalformedAnswer.require(body.getString("id"), "id"),
        body.getValue("failure_reason") == null ? null : String.valueOf(body.getValue("failure_reason")));
  }

  @Override
  public HttpCall refundStatus(Connection connection, dev.cowrie.providers.RefundLookup refund) {
    if (refund.providerRefundId() == null) {
      // Creation timed out: list the PaymentIntent's refunds (GET /v1/refunds?payment_intent=) and find metadata[refund].
      String intent = refund.providerPaymentReference();
      return intent == null || !intent.startsWith("pi_") ? null
          : HttpCall.get("/v1/refunds?payment_intent=" + Wire.segment(intent) + "&limit=100", headers(connection, null));
    }
    return HttpCall.get("/v1/refunds/" + Wire.segment(refund.providerRefundId()), headers(connection, null));
  }

  @Override
  public RefundResult readRefundStatus(Connection connection, dev.cowrie.providers.RefundLookup refund, HttpAnswer answer) {
    JsonObject body = answer.json();
    if (refund.providerRefundId() == null) {
      return StripeJson.listedRefund(body, refund.refundId(), StripeJson.toStripe(refund.amount(), refund.currency()));
    }
    return new RefundResult(StripeJson.refundStatus(body.getString("status")), MalformedAnswer.require(body.getString("id"), "id"),
        body.getValue("failure_reason") == null ? null : String.valueOf(body.getValue("failure_reason")));
  }

  @Override
  public CallbackEvent verifyCallback(Connection connection, Map<String, String> headers, byte[] rawBody, Instant now) {
    TimestampedSignature.verify("Stripe-Signature", headers.get(SIGNATURE_HEADER), connection.secret("webhook_secret"),
        rawBody, now, TOLERANCE_SECONDS);
    return StripeJson.event(new JsonObject(Buffer.buffer(rawBody)));
  }
}
