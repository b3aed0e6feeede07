package dev.cowrie.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

/** {@code cowrie admin webhooks redeliver --event evt_…} brings a dead delivery back. */
class WebhookRedeliverCliTest {
  static TestGateway gateway;
  static WebhookReceiver receiver;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(WebhookRedeliverCliTest.class, Map.of(
        "COWRIE_WEBHOOK_ATTEMPTS_MAX", "1",
        "COWRIE_WEBHOOK_POLL_INTERVAL_MS", "50"));
    receiver = new WebhookReceiver();
  }

  @AfterAll
  static void stop() {
    receiver.close();
    gateway.close();
  }

  static String status(TestGateway.Merchant merchant, String endpointId) {
    JsonArray list = gateway.get("/v1/webhook_endpoints/" + endpointId + "/deliveries").bearer(merchant.secret()).send().data();
    return list.isEmpty() ? null : list.getJsonObject(0).getString("status");
  }

  @Test
  void redeliversADeadDelivery() {
    TestGateway.Merchant merchant = gateway.createMerchant("Operator Rescue");
    receiver.answer((request, got) -> request.response().setStatusCode(503).end("down"));
    Response endpoint = gateway.post("/v1/webhook_endpoints").bearer(merchant.secret()).json(new JsonObject()
        .put("url", receiver.url("/down")).put("events", new JsonArray().add("payment.succeeded"))).send();
    String endpointId = endpoint.json().getString("id");
    String eventId = gateway.recordEvent(merchant.id(), "test", "payment.succeeded", new JsonObject().put("id", "pay_cli"));
    TestGateway.eventually("dead after its only attempt", Duration.ofSeconds(20), () -> "dead".equals(status(merchant, endpointId)));

    receiver.answer((request, got) -> request.response().end("back"));
    assertEquals(0, AdminCli.run(gateway.config, "webhooks", "redeliver", "--event", eventId, "--json"));
    TestGateway.eventually("delivered after the operator's redelivery", Duration.ofSeconds(20),
        () -> "delivered".equals(status(merchant, endpointId)));
    assertEquals(1, AdminCli.run(gateway.config, "webhooks", "redeliver", "--event", "evt_missing"));
  }
}
