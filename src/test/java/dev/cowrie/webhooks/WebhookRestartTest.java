package dev.cowrie.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cowrie.testing.StandardWebhooks;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import dev.cowrie.testing.WebhookReceiver;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A delivery in flight when the gateway stops is made by the next gateway on the same database. */
class WebhookRestartTest {
  static TestGateway gateway;
  static WebhookReceiver receiver;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(WebhookRestartTest.class, Map.of(
        "COWRIE_WEBHOOK_TIMEOUT_MS", "1500",
        "COWRIE_WEBHOOK_BACKOFF_MS", "10",
        "COWRIE_WEBHOOK_POLL_INTERVAL_MS", "50",
        "COWRIE_OUTBOX_POLL_INTERVAL_MS", "50"));
    receiver = new WebhookReceiver();
  }

  @AfterAll
  static void stop() {
    receiver.close();
    gateway.close();
  }

  @Test
  void stoppedMidDeliveryAndRestartedIsDelivered() {
    TestGateway.Merchant merchant = gateway.createMerchant("Patient Shop");
    Response created = gateway.post("/v1/webhook_endpoints").bearer(merchant.secret()).json(new JsonObject()
        .put("url", receiver.url("/hook")).put("events", new JsonArray().add("payment.succeeded"))).send();
    String endpointId = created.json().getString("id");
    String secret = created.json().getString("secret");
    // The first request is never answered: the gateway is stopped while it waits.
    receiver.answer((request, got) -> {
      if (receiver.received().size() > 1) {
        request.response().end("ok");
      }
    });
    String eventId = gateway.recordEvent(merchant.id(), "test", "payment.succeeded", new JsonObject().put("id", "pay_r"));
    TestGateway.eventually("the first attempt is in flight", Duration.ofSeconds(20), () -> receiver.received().size() == 1);

    gateway = gateway.restart();

    TestGateway.eventually("delivered by the restarted gateway", Duration.ofSeconds(30), () -> {
      JsonArray list = gateway.get("/v1/webhook_endpoints/" + endpointId + "/deliveries").bearer(merchant.secret()).send().data();
      return !list.isEmpty() && "delivered".equals(list.getJsonObject(0).getString("status"));
    });
    WebhookReceiver.Received last = receiver.received().get(receiver.received().size() - 1);
    assertEquals(eventId, last.header("webhook-id"));
    assertNull(StandardWebhooks.problem(secret, last.header("webhook-id"), last.header("webhook-timestamp"),
        last.header("webhook-signature"), last.body()));
  }
}
