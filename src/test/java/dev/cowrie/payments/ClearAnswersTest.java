package dev.cowrie.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a new user sees when things go wrong: a declined payment says why, a provider's missing
 * field is a 400 before anything is stored, an expired request reads expired, bad JSON is
 * described in our words.
 */
class ClearAnswersTest {
  static TestGateway gateway;
  static TestGateway.Merchant merchant;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(ClearAnswersTest.class);
    merchant = gateway.createMerchant("Clear Answers Shop");
    gateway.enableSandbox(merchant, "clear_answers_secret_0123456789");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static Response createPayment(JsonObject body) {
    return gateway.post("/v1/payments").bearer(merchant.secret()).json(body).send();
  }

  static int paymentsStored() {
    return gateway.query("SELECT 1 FROM payments").size();
  }

  @Test
  void aDeclinedSandboxPaymentCarriesFailureCodeAndMessage() {
    Response created = createPayment(new JsonObject().put("amount", 4_200).put("currency", "NGN").put("provider", "sandbox"));
    assertEquals(201, created.status(), created.toString());
    String checkout = URI.create(created.json().getJsonObject("next_action").getString("url")).getPath();
    Response declined = gateway.post(checkout).raw("application/x-www-form-urlencoded", "outcome=fail").send();
    assertEquals(200, declined.status(), declined.toString());
    String id = created.json().getString("id");
    JsonObject failed = gateway.eventually(() -> gateway.get("/v1/payments/" + id).bearer(merchant.secret()).send().json(),
        payment -> "failed".equals(payment.getString("status")), 20_000);
    assertEquals("card_declined", failed.getString("failure_code"), failed.encode());
    assertEquals("The card was declined.", failed.getString("failure_message"), failed.encode());
  }

  @Test
  void paystackWithoutCustomerEmailIs400NamingTheFieldAndStoresNothing() {
    Response connected = gateway.put("/v1/provider_connections/paystack").bearer(merchant.secret())
        .json(new JsonObject().put("credentials", new JsonObject().put("secret_key", "sk_test_clearanswers"))
            .put("api_base", "http://127.0.0.1:9").put("priority", 10)).send();
    assertEquals(200, connected.status(), connected.toString());
    int before = paymentsStored();
    Response chosen = createPayment(new JsonObject().put("amount", 5_000).put("currency", "NGN").put("provider", "paystack"));
    assertEquals(400, chosen.status(), chosen.toString());
    assertEquals("parameter_missing", chosen.errorCode());
    assertEquals("customer.email", chosen.json().getJsonObject("error").getString("param"));
    assertEquals(before, paymentsStored());

    // Unrouted, the same payment goes to the provider that can take it (the sandbox), not to a 502.
    Response routed = createPayment(new JsonObject().put("amount", 5_000).put("currency", "NGN"));
    assertEquals(201, routed.status(), routed.toString());
    assertEquals("sandbox", routed.json().getString("provider"));
    gateway.query("DELETE FROM provider_connections WHERE provider = 'paystack'");
  }

  @Test
  void anExpiredPaymentRequestReadsExpired() {
    JsonObject body = new JsonObject().put("amount", 2_500).put("currency", "USD").put("description", "Lunch")
        .put("expires_at", Instant.now().plus(1, ChronoUnit.DAYS).toString())
        .put("accepts", new JsonArray().add(new JsonObject().put("method", "BTC").put("address", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT")));
    Response created = gateway.post("/v1/payment_requests").bearer(merchant.secret()).json(body).send();
    assertEquals(201, created.status(), created.toString());
    String id = created.json().getString("id");
    gateway.query("UPDATE payment_requests SET expires_at = now() - interval '1 minute' WHERE id = $1", id);
    Response read = gateway.get("/v1/payment_requests/" + id).bearer(merchant.secret()).send();
    assertEquals(200, read.status(), read.toString());
    assertEquals("expired", read.json().getString("status"));
    Response verified = gateway.post("/v1/payment_requests/verify").bearer(merchant.secret())
        .json(new JsonObject().put("encoded_message", created.json().getString("encoded_message"))).send();
    assertEquals("expired", verified.json().getString("status"), verified.toString());
  }

  @Test
  void malformedJsonIsDescribedInOurWords() {
    Response response = gateway.post("/v1/payments").bearer(merchant.secret()).raw("application/json", "{\"amount\": nope}").send();
    assertEquals(400, response.status());
    assertEquals("invalid_json", response.errorCode());
    String message = response.json().getJsonObject("error").getString("message");
    assertEquals("The request body is not valid JSON.", message);
    assertFalse(message.contains("nope") || message.contains("decode"), message);
    assertNull(response.json().getJsonObject("error").getString("param"));
  }
}
