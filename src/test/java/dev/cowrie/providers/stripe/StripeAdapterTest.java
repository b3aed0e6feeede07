package dev.cowrie.providers.stripe;

import dev.cowrie.providers.AdapterFixtureTest;
import dev.cowrie.providers.CallbackEvent.Kind;
import dev.cowrie.providers.ProviderAdapter;
import dev.cowrie.providers.ProviderStatus;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/** Stripe's adapter on its fixtures: Stripe-Signature t=…,v1=hex HMAC-SHA256(whsec, "t.body"), 300 s tolerance. */
class StripeAdapterTest extends AdapterFixtureTest {
  protected ProviderAdapter adapter() { return new StripeAdapter(); }

  protected String currency() { return "USD"; }

  protected JsonObject credentials() {
    return new JsonObject().put("secret_key", StripeContractTest.KEY).put("webhook_secret", StripeContractTest.WHSEC);
  }

  protected Map<String, ProviderStatus> verifyOutcomes() {
    return Map.of("success", ProviderStatus.SUCCEEDED, "failed", ProviderStatus.FAILED,
        "pending", ProviderStatus.REQUIRES_ACTION, "processing", ProviderStatus.PROCESSING,
        "canceled", ProviderStatus.CANCELED);
  }

  protected Map<String, Kind> callbackSamples() {
    return Map.of("checkout.session.completed.json", Kind.PAYMENT, "checkout.session.async_payment_succeeded.json", Kind.PAYMENT,
        "checkout.session.async_payment_failed.json", Kind.PAYMENT, "checkout.session.expired.json", Kind.PAYMENT,
        "payment_intent.succeeded.json", Kind.PAYMENT, "payment_intent.payment_failed.json", Kind.PAYMENT,
        "refund.updated.json", Kind.REFUND, "refund.failed.json", Kind.REFUND, "charge.refunded.json", Kind.REFUND);
  }

  protected Map<String, String> signedHeaders(byte[] body, Instant at) {
    return Map.of("Stripe-Signature", StripeContractTest.header(body, at.getEpochSecond(), StripeContractTest.WHSEC));
  }

  protected boolean signsTimestamp() { return true; }
}
