package dev.cowrie.providers.sandbox;

import dev.cowrie.providers.AdapterFixtureTest;
import dev.cowrie.providers.CallbackEvent.Kind;
import dev.cowrie.providers.ProviderAdapter;
import dev.cowrie.providers.ProviderStatus;
import dev.cowrie.providers.Signatures;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/** The sandbox's callbacks: Cowrie-Sandbox-Signature t=…,v1=hex HMAC-SHA256(secret, "t.body"). Its API is Cowrie's own, so no wire fixtures. */
class SandboxAdapterTest extends AdapterFixtureTest {
  protected ProviderAdapter adapter() { return new SandboxAdapter(); }

  protected String currency() { return "NGN"; }

  protected JsonObject credentials() { return new JsonObject().put("webhook_secret", SandboxContractTest.SECRET); }

  @Override
  protected boolean hasWireFixtures() { return false; }

  protected Map<String, ProviderStatus> verifyOutcomes() { return Map.of(); }

  protected Map<String, Kind> callbackSamples() {
    return Map.of("payment.succeeded.json", Kind.PAYMENT, "payment.failed.json", Kind.PAYMENT,
        "refund.succeeded.json", Kind.REFUND);
  }

  protected Map<String, String> signedHeaders(byte[] body, Instant at) {
    long t = at.getEpochSecond();
    String signed = t + "." + new String(body, StandardCharsets.UTF_8);
    return Map.of("Cowrie-Sandbox-Signature",
        "t=" + t + ",v1=" + Signatures.hex(Signatures.hmac("HmacSHA256", SandboxContractTest.SECRET, Signatures.utf8(signed))));
  }

  protected boolean signsTimestamp() { return true; }
}
