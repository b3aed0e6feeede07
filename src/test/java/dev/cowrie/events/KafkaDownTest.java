package dev.cowrie.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Kafka enabled but unreachable: events wait in the outbox and readiness says why. */
class KafkaDownTest {
  static TestGateway gateway;

  @BeforeAll
  static void start() throws IOException {
    int nobody;
    try (ServerSocket socket = new ServerSocket(0)) {
      nobody = socket.getLocalPort();
    }
    gateway = TestGateway.start(KafkaDownTest.class, Map.of(
        "COWRIE_KAFKA_BOOTSTRAP", "127.0.0.1:" + nobody,
        "COWRIE_OUTBOX_POLL_INTERVAL_MS", "100"));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void rowsWaitAndReadinessFails() {
    TestGateway.Merchant merchant = gateway.createMerchant("Waiting Shop");
    String id = gateway.recordEvent(merchant.id(), "test", "payment.succeeded", new JsonObject().put("id", "pay_w"));
    TestGateway.eventually("readiness reports Kafka down", Duration.ofSeconds(40),
        () -> gateway.get("/health/ready").send().status() == 503);
    Response ready = gateway.get("/health/ready").send();
    assertTrue(ready.json().getJsonObject("checks").getString("kafka").startsWith("down"), ready.toString());
    assertEquals("ok", ready.json().getJsonObject("checks").getString("postgres"));
    assertEquals(1L, gateway.query("SELECT count(*) FROM kafka_outbox k JOIN events e USING (seq) WHERE e.id = $1", id)
        .iterator().next().getLong(0), "the event is still owed to Kafka");
    TestGateway.eventually("the webhook relay took it all the same", Duration.ofSeconds(20), () -> gateway.query(
        "SELECT count(*) FROM events WHERE id = $1 AND relayed_at IS NOT NULL", id).iterator().next().getLong(0) == 1L);
  }
}
