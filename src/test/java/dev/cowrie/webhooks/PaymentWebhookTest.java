package dev.cowrie.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.KafkaBroker;
import dev.cowrie.testing.StandardWebhooks;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import dev.cowrie.testing.WebhookReceiver;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** End to end: a sandbox payment's events reach the merchant's receiver, signed, with Kafka on. */
@ExtendWith(KafkaBroker.class)
class PaymentWebhookTest {
  static TestGateway gateway;
  static WebhookReceiver receiver;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(PaymentWebhookTest.class, Map.of(
        "COWRIE_KAFKA_BOOTSTRAP", KafkaBroker.bootstrap(),
        "COWRIE_KAFKA_TOPIC", "cowrie.events.pw-" + UUID.randomUUID(),
        "COWRIE_OUTBOX_POLL_INTERVAL_MS", "50"));
    receiver = new WebhookReceiver();
  }

  @AfterAll
  static void stop() {
    receiver.close();
    gateway.close();
  }

  @Test
  void aPaymentsEventsArriveAtALocalReceiver() {
    TestGateway.Merchant merchant = gateway.createMerchant("Hooked Shop");
    Response connected = gateway.put("/v1/provider_connections/sandbox").bearer(merchant.secret()).json(new JsonObject()).send();
    assertEquals(200, connected.status(), connected.toString());
    Response endpoint = gateway.post("/v1/webhook_endpoints").bearer(merchant.secret()).json(new JsonObject()
        .put("url", receiver.url("/cowrie")).put("events", new JsonArray().add("payment.created").add("payment.succeeded"))).send();
    assertEquals(201, endpoint.status(), endpoint.toString());
    String secret = endpoint.json().getString("secret");

    Response created = gateway.post("/v1/payments").bearer(merchant.secret())
        .json(new JsonObject().put("amount", 125_000).put("currency", "NGN")).send();
    assertEquals(201, created.status(), created.toString());
    String paymentId = created.json().getString("id");
    String checkout = created.json().getJsonObject("next_action").getString("url").replaceFirst("^https?://[^/]+", "");
    assertTrue(checkout.startsWith("/sandbox/checkout/"), checkout);
    Response paid = gateway.post(checkout).raw("application/x-www-form-urlencoded", "outcome=succeed").send();
    assertEquals(200, paid.status(), paid.toString());

    TestGateway.eventually("payment.created and payment.succeeded delivered", Duration.ofSeconds(30),
        () -> receiver.receivedOn("/cowrie").size() >= 2);
    List<WebhookReceiver.Received> got = receiver.receivedOn("/cowrie");
    assertEquals(2, got.size(), "payment.processing is not subscribed");
    for (WebhookReceiver.Received delivery : got) {
      assertNull(StandardWebhooks.problem(secret, delivery.header("webhook-id"), delivery.header("webhook-timestamp"),
          delivery.header("webhook-signature"), delivery.body()));
      JsonObject event = new JsonObject(delivery.body());
      assertEquals(delivery.header("webhook-id"), event.getString("id"));
      assertEquals(paymentId, event.getJsonObject("data").getJsonObject("object").getString("id"));
    }
    assertEquals(List.of("payment.created", "payment.succeeded"),
        got.stream().map(d -> new JsonObject(d.body()).getString("type")).sorted().toList());
    JsonObject succeeded = got.stream().map(d -> new JsonObject(d.body()))
        .filter(e -> e.getString("type").equals("payment.succeeded")).findFirst().orElseThrow();
    assertEquals(125_000, succeeded.getJsonObject("data").getJsonObject("object").getLong("amount"));
    assertEquals(succeeded, gateway.get("/v1/events/" + succeeded.getString("id")).bearer(merchant.secret()).send().json());
  }
}
