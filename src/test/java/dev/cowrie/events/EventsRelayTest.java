package dev.cowrie.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.KafkaBroker;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The relay with Kafka on: every event reaches the topic, in order per merchant; events are readable over HTTP. */
@ExtendWith(KafkaBroker.class)
class EventsRelayTest {
  static TestGateway gateway;
  static String topic;

  @BeforeAll
  static void start() {
    topic = "cowrie.events.test-" + UUID.randomUUID();
    gateway = TestGateway.start(EventsRelayTest.class, Map.of(
        "COWRIE_KAFKA_BOOTSTRAP", KafkaBroker.bootstrap(),
        "COWRIE_KAFKA_TOPIC", topic,
        "COWRIE_OUTBOX_BATCH_SIZE", "7",
        "COWRIE_OUTBOX_POLL_INTERVAL_MS", "50"));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void eventsAreConsumedFromKafkaInOrderPerMerchant() {
    TestGateway.Merchant a = gateway.createMerchant("Kafka A");
    TestGateway.Merchant b = gateway.createMerchant("Kafka B");
    Map<String, List<String>> recorded = new HashMap<>(Map.of(a.id(), new ArrayList<>(), b.id(), new ArrayList<>()));
    for (int i = 0; i < 40; i++) {
      TestGateway.Merchant merchant = i % 3 == 0 ? b : a;
      recorded.get(merchant.id()).add(gateway.recordEvent(merchant.id(), "test", "payment.succeeded",
          new JsonObject().put("id", "pay_" + i).put("n", i)));
    }

    Map<String, List<String>> consumed = new HashMap<>(Map.of(a.id(), new ArrayList<>(), b.id(), new ArrayList<>()));
    try (KafkaConsumer<String, String> consumer = consumer()) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (consumed.values().stream().mapToInt(List::size).sum() < 40 && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          if (!consumed.containsKey(record.key())) {
            continue; // another test's merchant, on the same topic
          }
          JsonObject event = new JsonObject(record.value());
          assertEquals("payment.succeeded", event.getString("type"));
          assertEquals(record.key(), event.getString("merchant"));
          assertEquals(false, event.getBoolean("livemode"));
          consumed.get(record.key()).add(event.getString("id"));
        }
      }
    }
    assertEquals(recorded.get(a.id()), consumed.get(a.id()));
    assertEquals(recorded.get(b.id()), consumed.get(b.id()));
    assertEquals(0L, gateway.query("SELECT count(*) FROM events WHERE relayed_at IS NULL").iterator().next().getLong(0));
    TestGateway.eventually("Kafka owed nothing", Duration.ofSeconds(20),
        () -> gateway.query("SELECT count(*) FROM kafka_outbox").iterator().next().getLong(0) == 0L);
    Response ready = gateway.get("/health/ready").send();
    assertEquals(200, ready.status(), ready.toString());
    assertEquals("ok", ready.json().getJsonObject("checks").getString("kafka"));
  }

  @Test
  void anEventWhoseDataIsNotAnObjectIsRefusedSoItCannotStopTheRelays() {
    // The relays claim in seq order: a row they cannot read would hold back every event after it.
    TestGateway.Merchant merchant = gateway.createMerchant("Poison");
    for (String data : List.of("[1, 2]", "\"text\"", "42", "null")) {
      Throwable refused = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class, () -> gateway.query(
          "INSERT INTO events (id, merchant_id, mode, type, data) VALUES ($1, $2, 'test', 'payment.created', $3::jsonb)",
          "evt_poison_" + UUID.randomUUID(), merchant.id(), data));
      Throwable cause = refused;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      assertTrue(String.valueOf(cause.getMessage()).contains("events_data_is_an_object"), data + ": " + cause);
    }
    String after = gateway.recordEvent(merchant.id(), "test", "payment.created", new JsonObject().put("n", 1));
    TestGateway.eventually("the event after the refused ones is relayed", Duration.ofSeconds(10), () -> gateway.query(
        "SELECT relayed_at IS NOT NULL FROM events WHERE id = $1", after).iterator().next().getBoolean(0));
  }

  @Test
  void eventsAreListedNewestFirstWithinMerchantAndMode() {
    TestGateway.Merchant merchant = gateway.createMerchant("Lister");
    TestGateway.Merchant other = gateway.createMerchant("Other Lister");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(gateway.recordEvent(merchant.id(), "test", i == 2 ? "refund.succeeded" : "payment.created",
          new JsonObject().put("n", i)));
    }
    gateway.recordEvent(merchant.id(), "live", "payment.created", new JsonObject());
    String foreign = gateway.recordEvent(other.id(), "test", "payment.created", new JsonObject());

    Response first = gateway.get("/v1/events?limit=3").bearer(merchant.secret()).send();
    assertEquals(200, first.status(), first.toString());
    assertEquals(List.of(ids.get(4), ids.get(3), ids.get(2)), first.data().stream().map(e -> ((JsonObject) e).getString("id")).toList());
    assertTrue(first.json().getBoolean("has_more"));
    Response rest = gateway.get("/v1/events?limit=3&starting_after=" + ids.get(2)).bearer(merchant.secret()).send();
    assertEquals(List.of(ids.get(1), ids.get(0)), rest.data().stream().map(e -> ((JsonObject) e).getString("id")).toList());
    Response refunds = gateway.get("/v1/events?type=refund.succeeded").bearer(merchant.secret()).send();
    assertEquals(List.of(ids.get(2)), refunds.data().stream().map(e -> ((JsonObject) e).getString("id")).toList());
    assertEquals(400, gateway.get("/v1/events?type=nope").bearer(merchant.secret()).send().status());

    JsonObject one = gateway.get("/v1/events/" + ids.get(0)).bearer(merchant.secret()).send().json();
    assertEquals("event", one.getString("object"));
    assertEquals(0, one.getJsonObject("data").getJsonObject("object").getInteger("n"));
    assertEquals(404, gateway.get("/v1/events/" + foreign).bearer(merchant.secret()).send().status());
  }

  static KafkaConsumer<String, String> consumer() {
    Properties props = new Properties();
    props.put("bootstrap.servers", KafkaBroker.bootstrap());
    props.put("group.id", "events-relay-test-" + UUID.randomUUID());
    props.put("auto.offset.reset", "earliest");
    props.put("enable.auto.commit", "false");
    return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
  }
}
