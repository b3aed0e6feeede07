package dev.cowrie.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.KafkaBroker;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import dev.cowrie.testing.WalletUsers;
import dev.cowrie.testing.WebhookReceiver;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Kafka fails alone, on a real broker of this class's own that the tests stop and start: a gateway
 * started with the broker down keeps logins, webhooks and socket frames flowing; when the broker
 * comes, every event reaches the topic in order per merchant without a flood of copies; readiness
 * sees an idle broker leave and return.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaOutageTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final Pattern KAFKA_LAG = Pattern.compile("(?m)^cowrie_outbox_lag\\{sink=\"kafka\",?\\} (\\S+)$");
  static KafkaBroker.Restartable broker;
  static TestGateway gateway;
  static WebhookReceiver receiver;
  static WebSocketClient sockets;
  static String topic;

  @BeforeAll
  static void start() {
    broker = KafkaBroker.Restartable.create(); // not started: the gateway comes up without it
    topic = "cowrie.events.outage-" + UUID.randomUUID();
    gateway = TestGateway.start(KafkaOutageTest.class, Map.of(
        "COWRIE_KAFKA_BOOTSTRAP", broker.bootstrap(),
        "COWRIE_KAFKA_TOPIC", topic,
        "COWRIE_OUTBOX_BATCH_SIZE", "8",
        "COWRIE_OUTBOX_POLL_INTERVAL_MS", "100"));
    receiver = new WebhookReceiver();
    sockets = gateway.vertx.createWebSocketClient();
  }

  @AfterAll
  static void stop() {
    TestGateway.await(sockets.close());
    receiver.close();
    gateway.close();
    broker.close();
  }

  @Test
  @Order(1)
  void startedWithTheBrokerDownEverythingElseFlowsThenTheTopicCatchesUpInOrder() {
    TestGateway.Merchant shopA = gateway.createMerchant("Outage A");
    TestGateway.Merchant shopB = gateway.createMerchant("Outage B");
    gateway.enableSandbox(shopA, "whsec_outage_a_0123456789abcdef");
    gateway.enableSandbox(shopB, "whsec_outage_b_0123456789abcdef");
    Response endpoint = gateway.post("/v1/webhook_endpoints").bearer(shopA.secret())
        .json(new JsonObject().put("url", receiver.url("/a")).put("events", new JsonArray().add("*"))).send();
    assertEquals(201, endpoint.status(), endpoint.toString());
    List<JsonObject> frames = openStream(shopA);
    assertKafkaDownInWords();

    for (int i = 0; i < 10; i++) {
      payAndSettle(i % 2 == 0 ? shopA : shopB, 1_000 + i);
    }
    List<String> eventsA = eventIds(shopA);
    List<String> eventsB = eventIds(shopB);
    assertEquals(15, eventsA.size(), "created, processing, succeeded for each of A's 5 payments");

    // The broker has never been up: webhooks and socket frames flow all the same.
    TestGateway.eventually("every event of A delivered by webhook", WAIT, () -> receivedIds().containsAll(eventsA));
    TestGateway.eventually("every event of A sent as a socket frame", WAIT, () -> frames.size() >= eventsA.size());
    assertEquals(eventsA, frames.stream().map(frame -> frame.getString("id")).toList());
    // Every event names its merchant and mode at the top level, on every path.
    JsonObject webhook = new JsonObject(receiver.receivedOn("/a").get(0).body());
    JsonObject listed = gateway.get("/v1/events?limit=1").bearer(shopA.secret()).send().data().getJsonObject(0);
    for (JsonObject event : List.of(webhook, listed, frames.get(0))) {
      assertEquals(shopA.id(), event.getString("merchant"), event.encode());
      assertEquals(false, event.getBoolean("livemode"), event.encode());
    }
    // The worker pool stays free: a sign-up and a bcrypt login answer normally.
    WalletUsers.User user = WalletUsers.create(gateway, shopA, "outage_user"); // fails unless both answer 2xx
    assertTrue(user.token() != null && !user.token().isEmpty());
    int owed = eventsA.size() + eventsB.size();
    gateway.eventually(this::kafkaLagGauge, lag -> lag == owed, 30_000);
    assertEquals(owed, count("SELECT count(*) FROM kafka_outbox"), "nothing was sent while the broker was away");

    broker.start();
    List<ConsumerRecord<String, String>> records = consumeEverything();
    Map<String, List<String>> firstSeen = new HashMap<>();
    Map<String, Integer> copies = new HashMap<>();
    for (ConsumerRecord<String, String> record : records) {
      JsonObject event = new JsonObject(record.value());
      assertEquals(record.key(), event.getString("merchant"), "the key names the merchant, and so does the value");
      assertFalse(event.getBoolean("livemode"));
      assertEquals(event.getString("id"), header(record, "cowrie-event-id"));
      assertEquals("test", header(record, "cowrie-mode"));
      assertEquals(event.getString("type"), header(record, "cowrie-type"));
      List<String> seen = firstSeen.computeIfAbsent(record.key(), k -> new ArrayList<>());
      if (!seen.contains(event.getString("id"))) {
        seen.add(event.getString("id"));
      }
      copies.merge(event.getString("id"), 1, Integer::sum);
    }
    int timesMax = copies.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    System.out.printf("KafkaOutageTest: %d events, %d records on the topic, %d copies, most copies of one event %d%n",
        owed, records.size(), records.size() - copies.size(), timesMax);
    assertEquals(eventsA, firstSeen.get(shopA.id()), "every event of A on the topic, in order");
    assertEquals(eventsB, firstSeen.get(shopB.id()), "every event of B on the topic, in order");
    assertTrue(timesMax <= 2, "no flood of copies: " + records.size() + " records for " + owed + " events");
    TestGateway.eventually("ready again once the broker is back", WAIT,
        () -> gateway.get("/health/ready").send().status() == 200);
  }

  @Test
  @Order(2)
  void readinessSeesAnIdleBrokerLeaveAndReturn() {
    broker.start();
    TestGateway.eventually("ready with the broker up", WAIT, () -> gateway.get("/health/ready").send().status() == 200);
    broker.stop(); // nothing is being published: only asking the broker can tell
    TestGateway.eventually("503 within seconds of the broker leaving", Duration.ofSeconds(20),
        () -> gateway.get("/health/ready").send().status() == 503);
    assertKafkaDownInWords();
    // Traffic while the broker is away after having been up (the producer holds cached metadata).
    TestGateway.Merchant shop = gateway.createMerchant("Outage C");
    List<String> recorded = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      recorded.add(gateway.recordEvent(shop.id(), "test", "payment.succeeded", new JsonObject().put("id", "pay_c" + i)));
    }
    broker.start();
    TestGateway.eventually("200 once the broker is back", WAIT, () -> gateway.get("/health/ready").send().status() == 200);
    List<String> onTopic = consumeEverything().stream().filter(record -> shop.id().equals(record.key()))
        .map(record -> new JsonObject(record.value()).getString("id")).toList();
    System.out.printf("KafkaOutageTest (stop after up): %d events, %d records on the topic, %d copies%n",
        recorded.size(), onTopic.size(), onTopic.size() - Set.copyOf(onTopic).size());
    assertEquals(recorded, onTopic.stream().distinct().toList(), "every event once at least, in order");
    assertTrue(onTopic.size() <= 2 * recorded.size(), "no flood of copies: " + onTopic.size());
  }

  private void assertKafkaDownInWords() {
    TestGateway.eventually("readiness says Kafka is down", WAIT, () -> gateway.get("/health/ready").send().status() == 503);
    Response ready = gateway.get("/health/ready").send();
    String kafka = ready.json().getJsonObject("checks").getString("kafka");
    assertTrue(kafka.startsWith("down: ") && kafka.contains(broker.bootstrap()), ready.toString());
    assertFalse(kafka.contains("internal_error"), ready.toString());
    assertEquals("ok", ready.json().getJsonObject("checks").getString("postgres"));
  }

  private static void payAndSettle(TestGateway.Merchant merchant, long amount) {
    Response created = gateway.post("/v1/payments").bearer(merchant.secret())
        .json(new JsonObject().put("amount", amount).put("currency", "NGN").put("provider", "sandbox")).send();
    assertEquals(201, created.status(), created.toString());
    String checkout = created.json().getJsonObject("next_action").getString("url").replaceFirst("^https?://[^/]+", "");
    Response paid = gateway.post(checkout).raw("application/x-www-form-urlencoded", "outcome=succeed").send();
    assertEquals(200, paid.status(), paid.toString());
    String id = created.json().getString("id");
    TestGateway.eventually("payment " + id + " succeeded", WAIT, () -> "succeeded".equals(
        gateway.get("/v1/payments/" + id).bearer(merchant.secret()).send().json().getString("status")));
  }

  private List<JsonObject> openStream(TestGateway.Merchant merchant) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.port)
        .setURI("/v1/events/stream").addHeader("Authorization", "Bearer " + merchant.secret());
    List<JsonObject> frames = new CopyOnWriteArrayList<>();
    TestGateway.await(sockets.connect(options)).textMessageHandler(text -> frames.add(new JsonObject(text)));
    return frames;
  }

  private static List<String> eventIds(TestGateway.Merchant merchant) {
    List<String> ids = new ArrayList<>();
    gateway.query("SELECT id FROM events WHERE merchant_id = $1 ORDER BY seq", merchant.id())
        .forEach(row -> ids.add(row.getString(0)));
    return ids;
  }

  private static Set<String> receivedIds() {
    Set<String> ids = new LinkedHashSet<>();
    receiver.receivedOn("/a").forEach(received -> ids.add(received.header("webhook-id")));
    return ids;
  }

  private static long count(String sql) {
    return gateway.query(sql).iterator().next().getLong(0);
  }

  private long kafkaLagGauge() {
    Matcher lag = KAFKA_LAG.matcher(gateway.get("/metrics").send().body().toString());
    return lag.find() ? (long) Double.parseDouble(lag.group(1)) : -1;
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** Everything on the topic once the outbox owes nothing more: read up to the end offsets taken then. */
  private static List<ConsumerRecord<String, String>> consumeEverything() {
    TestGateway.eventually("the outbox owes Kafka nothing", Duration.ofSeconds(120),
        () -> count("SELECT count(*) FROM kafka_outbox") == 0);
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = consumer()) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    records.sort((x, y) -> x.partition() != y.partition() ? Integer.compare(x.partition(), y.partition())
        : Long.compare(x.offset(), y.offset()));
    return records;
  }

  private static KafkaConsumer<String, String> consumer() {
    Properties props = new Properties();
    props.put("bootstrap.servers", broker.bootstrap());
    props.put("enable.auto.commit", "false");
    props.put("key.deserializer", StringDeserializer.class.getName());
    props.put("value.deserializer", StringDeserializer.class.getName());
    return new KafkaConsumer<>(props);
  }
}
