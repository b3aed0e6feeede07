package dev.cowrie.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A provider that answers 500 every time: the payment fails with provider_error, each try recorded. */
class ProviderOutageTest {
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(ProviderOutageTest.class, Map.of("COWRIE_SANDBOX_FAILURE_RATE", "1.0"));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void everyAttemptFailingGives502WithThePaymentMarkedFailed() {
    TestGateway.Merchant merchant = gateway.createMerchant("Outage Shop");
    gateway.enableSandbox(merchant, "outage_secret_0123456789abcdef");
    Response response = gateway.post("/v1/payments").bearer(merchant.secret())
        .json(new JsonObject().put("amount", 500).put("currency", "NGN")).send();
    assertEquals(502, response.status(), response.toString());
    assertEquals("provider_error", response.errorCode());
    String paymentId = response.json().getJsonObject("error").getString("payment");
    JsonObject payment = gateway.get("/v1/payments/" + paymentId).bearer(merchant.secret()).send().json();
    assertEquals("failed", payment.getString("status"));
    assertEquals("retryable", payment.getJsonArray("attempts").getJsonObject(0).getString("outcome"));
    assertEquals(500, payment.getJsonArray("attempts").getJsonObject(0).getInteger("http_status"));
    assertEquals(1, gateway.query("SELECT 1 FROM events WHERE type = 'payment.failed' AND data->'object'->>'id' = $1", paymentId).size());
    gateway.assertLedgerOk();
  }
}
