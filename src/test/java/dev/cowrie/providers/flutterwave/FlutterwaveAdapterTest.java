package dev.cowrie.providers.flutterwave;

import dev.cowrie.providers.AdapterFixtureTest;
import dev.cowrie.providers.CallbackEvent.Kind;
import dev.cowrie.providers.ProviderAdapter;
import dev.cowrie.providers.ProviderStatus;
import dev.cowrie.providers.Signatures;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/** Flutterwave's adapter on its fixtures: flutterwave-signature = base64 HMAC-SHA256(secret hash, body). */
class FlutterwaveAdapterTest extends AdapterFixtureTest {
  protected ProviderAdapter adapter() { return new FlutterwaveAdapter(); }

  protected String currency() { return "NGN"; }

  protected JsonObject credentials() {
    return new JsonObject().put("secret_key", FlutterwaveContractTest.KEY).put("secret_hash", FlutterwaveContractTest.HASH);
  }

  protected Map<String, ProviderStatus> verifyOutcomes() {
    return Map.of("success", ProviderStatus.SUCCEEDED, "failed", ProviderStatus.FAILED,
        "pending", ProviderStatus.PROCESSING, "canceled", ProviderStatus.CANCELED);
  }

  protected Map<String, Kind> callbackSamples() {
    return Map.of("charge.completed.successful.json", Kind.PAYMENT, "charge.completed.failed.json", Kind.PAYMENT);
  }

  protected Map<String, String> signedHeaders(byte[] body, Instant at) {
    return Map.of("flutterwave-signature",
        Signatures.base64(Signatures.hmac("HmacSHA256", FlutterwaveContractTest.HASH, body)));
  }

  protected boolean signsTimestamp() { return false; }
}
