package dev.cowrie.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cowrie.common.Bus;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A connection's circuit breaker as the Providers page reads it ({@link ProviderAddresses#BREAKERS}):
 * closed before trouble, open once its provider failed breaker_failures_max times in a row, then
 * half-open when the reset time has passed; a connection never called is closed.
 */
class BreakerStateTest {
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(BreakerStateTest.class, Map.of("COWRIE_SANDBOX_FAILURE_RATE", "1.0",
        "COWRIE_PROVIDER_BREAKER_FAILURES_MAX", "2", "COWRIE_PROVIDER_BREAKER_RESET_MS", "4000"));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void theBreakerOpensOnRepeatedFailuresThenHalfOpens() {
    TestGateway.Merchant merchant = gateway.createMerchant("Breaker Shop");
    String connection = gateway.enableSandbox(merchant, "breaker_secret_0123456789abcdef").getString("id");
    assertEquals("closed", state(connection));
    // Each command verticle instance keeps its own breaker; failures go round-robin, so keep failing until one opens.
    for (int i = 0; i < 12 && !"open".equals(state(connection)); i++) {
      Response failed = gateway.post("/v1/payments").bearer(merchant.secret())
          .json(new JsonObject().put("amount", 500).put("currency", "NGN")).send();
      assertEquals(502, failed.status(), failed.toString());
    }
    assertEquals("open", state(connection));
    assertEquals("closed", state("conn_never_called"), "a connection without calls has a closed breaker");
    gateway.eventually(() -> state(connection), state -> state.equals("half_open"), 15_000);
  }

  private static String state(String connection) {
    JsonObject answer = TestGateway.await(Bus.request(gateway.vertx, ProviderAddresses.BREAKERS,
        new JsonObject().put("connections", new JsonArray().add(connection)), 5_000));
    return answer.getJsonArray("data").getJsonObject(0).getString("state");
  }
}
