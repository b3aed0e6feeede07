package dev.cowrie.providers.chapa;

import dev.cowrie.providers.AdapterFixtureTest;
import dev.cowrie.providers.CallbackEvent.Kind;
import dev.cowrie.providers.ProviderAdapter;
import dev.cowrie.providers.ProviderStatus;
import dev.cowrie.providers.Signatures;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/** Chapa's adapter on its fixtures: x-chapa-signature = hex HMAC-SHA256(webhook secret, body). */
class ChapaAdapterTest extends AdapterFixtureTest {
  protected ProviderAdapter adapter() { return new ChapaAdapter(); }

  protected String currency() { return "ETB"; }

  protected JsonObject credentials() {
    return new JsonObject().put("secret_key", ChapaContractTest.KEY).put("webhook_secret", ChapaContractTest.SECRET);
  }

  protected Map<String, ProviderStatus> verifyOutcomes() {
    return Map.of("success", ProviderStatus.SUCCEEDED, "failed", ProviderStatus.FAILED,
        "pending", ProviderStatus.REQUIRES_ACTION, "canceled", ProviderStatus.CANCELED);
  }

  protected Map<String, Kind> callbackSamples() {
    return Map.of("charge.success.json", Kind.PAYMENT, "charge.failed_cancelled.json", Kind.PAYMENT,
        "charge.refunded.json", Kind.REFUND);
  }

  protected Map<String, String> signedHeaders(byte[] body, Instant at) {
    return Map.of("x-chapa-signature", Signatures.hex(Signatures.hmac("HmacSHA256", ChapaContractTest.SECRET, body)));
  }

  protected boolean signsTimestamp() { return false; }

  @Override
  protected boolean refusesDuplicateReferences() { return true; }
}
