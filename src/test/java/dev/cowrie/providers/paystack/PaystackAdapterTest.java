package dev.cowrie.providers.paystack;

import dev.cowrie.providers.AdapterFixtureTest;
import dev.cowrie.providers.CallbackEvent.Kind;
import dev.cowrie.providers.ProviderAdapter;
import dev.cowrie.providers.ProviderStatus;
import dev.cowrie.providers.Signatures;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/** Paystack's adapter on its fixtures: x-paystack-signature = hex HMAC-SHA512(secret key, body). */
class PaystackAdapterTest extends AdapterFixtureTest {
  protected ProviderAdapter adapter() { return new PaystackAdapter(); }

  protected String currency() { return "NGN"; }

  protected JsonObject credentials() { return new JsonObject().put("secret_key", PaystackContractTest.KEY); }

  protected Map<String, ProviderStatus> verifyOutcomes() {
    return Map.of("success", ProviderStatus.SUCCEEDED, "failed", ProviderStatus.FAILED,
        "pending", ProviderStatus.REQUIRES_ACTION, "processing", ProviderStatus.PROCESSING,
        "reversed", ProviderStatus.UNKNOWN);
  }

  protected Map<String, Kind> callbackSamples() {
    return Map.of("charge.success.json", Kind.PAYMENT, "refund.processed.json", Kind.REFUND,
        "refund.pending.json", Kind.REFUND, "refund.failed.json", Kind.REFUND);
  }

  protected Map<String, String> signedHeaders(byte[] body, Instant at) {
    return Map.of("x-paystack-signature", Signatures.hex(Signatures.hmac("HmacSHA512", PaystackContractTest.KEY, body)));
  }

  protected boolean signsTimestamp() { return false; }

  @Override
  protected boolean refusesDuplicateReferences() { return true; }
}
