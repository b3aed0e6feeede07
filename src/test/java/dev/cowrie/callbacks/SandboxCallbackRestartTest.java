package dev.cowrie.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sandbox's callbacks are owed in the database: a gateway that stops right after a checkout still sends them once back. */
class SandboxCallbackRestartTest {
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    // The final callback falls due well after the restart begins, so only a persisted one can arrive.
    gateway = TestGateway.start(SandboxCallbackRestartTest.class, Map.of("COWRIE_SANDBOX_CALLBACK_DELAY_MS", "4000"));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void callbacksOwedAtACrashAreSentAfterTheRestart() {
    TestGateway.Merchant merchant = gateway.createMerchant("Restart Shop");
    gateway.enableSandbox(merchant, "whsec_restart_0123456789abcdef");
    Response created = gateway.post("/v1/payments").bearer(merchant.secret())
        .json(new JsonObject().put("amount", 5_000).put("currency", "NGN").put("provider", "sandbox")).send();
    assertEquals(201, created.status(), created.toString());
    String checkout = created.json().getJsonObject("next_action").getString("url").replaceFirst("^https?://[^/]+", "");
    Response paid = gateway.post(checkout).raw("application/x-www-form-urlencoded", "outcome=succeed").send();
    assertEquals(200, paid.status(), paid.toString());

    gateway = gateway.restart();
    String id = created.json().getString("id");
    TestGateway.eventually("the payment succeeds from the callback owed before the restart", Duration.ofSeconds(90),
        () -> "succeeded".equals(gateway.get("/v1/payments/" + id).bearer(merchant.secret()).send().json().getString("status")));
    TestGateway.eventually("nothing more is owed", Duration.ofSeconds(30),
        () -> gateway.query("SELECT count(*) FROM sandbox_callbacks").iterator().next().getLong(0) == 0L);
    gateway.assertLedgerOk();
  }
}
