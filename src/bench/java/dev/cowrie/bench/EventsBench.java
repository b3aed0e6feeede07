package dev.cowrie.bench;

import dev.cowrie.Cowrie;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.events.EventAddresses;
import dev.cowrie.events.Outbox;
import dev.cowrie.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code scripts/bench/events.sh}: runs a gateway in this JVM (config from COWRIE_* as usual),
 * then measures (1) raw inserts of N outbox-shaped rows into a scratch table, (2) how fast the relay
 * moves the same N events to Kafka and to a loopback webhook receiver, (3) commit→WebSocket
 * latency with 1,000 connected clients. Loopback only; every phase has a deadline.
 */
public final class EventsBench {
  private static final Duration PHASE_MAX = Duration.ofSeconds(180);
  private static final int INSERTS_PER_STATEMENT_BATCH = 500;

  private final CowrieConfig config = CowrieConfig.load();
  private final Vertx gateway = Cowrie.vertx();
  private final Vertx clients = Vertx.vertx();
  private final Pool pool;
  private final WebClient web;
  private final Set<String> delivered = ConcurrentHashMap.newKeySet();
  private final List<String> merchants = new ArrayList<>();
  private final List<String> secrets = new ArrayList<>();

  private EventsBench() {
    Database.ensureExists(config);
    Database.migrate(config);
    await(Cowrie.deploy(gateway, config));
    pool = Database.systemPool(clients, config);
    web = WebClient.create(clients);
  }

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int sockets = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    int merchantCount = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    EventsBench bench = new EventsBench();
    try {
      bench.run(events, sockets, merchantCount);
    } finally {
      await(bench.clients.close());
      await(bench.gateway.close());
    }
  }

  private void run(int events, int sockets, int merchantCount) throws Exception {
    int port = config.http().port();
    HttpServer receiver = await(clients.createHttpServer().requestHandler(request -> {
      delivered.add(request.getHeader("webhook-id"));
      request.response().end();
    }).listen(0, "127.0.0.1"));
    setup(port, merchantCount, "http://127.0.0.1:" + receiver.actualPort() + "/hook");
    System.out.printf("setup: %d merchants, one webhook endpoint each (concurrency %d per endpoint), Kafka %s%n",
        merchantCount, config.webhook().concurrencyPerEndpoint(), config.kafka().bootstrap());

    createTopic();
    warmUp(Math.min(events, 2_000));
    double raw = rawInserts(events);
    System.out.printf("raw inserts:   %,d rows in one transaction into a scratch table: %,.0f rows/s%n", events, raw);
    relay(events, raw);
    latency(port, sockets);
  }

  /** The topic exists with its leaders elected before anything is timed. */
  private void createTopic() throws Exception {
    if (config.kafka().bootstrap().isBlank()) {
      return;
    }
    Properties props = new Properties();
    props.put("bootstrap.servers", config.kafka().bootstrap());
    try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(props)) {
      admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(config.kafka().topic(), 3, (short) 1)))
          .all().get(60, TimeUnit.SECONDS);
      waitFor(() -> {
        try {
          return admin.describeTopics(List.of(config.kafka().topic())).allTopicNames().get(10, TimeUnit.SECONDS)
              .values().stream().allMatch(t -> t.partitions().stream().allMatch(p -> p.leader() != null));
        } catch (Exception e) {
          return false;
        }
      });
    }
  }

  /** The same path once, untimed, so the JIT and the connections are warm. */
  private void warmUp(int events) {
    await(pool.withTransaction(tx -> insertAll(events, n -> Outbox.record(tx, merchants.get(n % merchants.size()),
        "test", "payment.succeeded", payment(-n - 1)).mapEmpty())));
    gateway.eventBus().send(EventAddresses.NUDGE, null);
    waitFor(() -> delivered.size() >= events);
    delivered.clear();
  }

  private void setup(int port, int count, String hookUrl) {
    String admin = "Bearer " + config.adminToken();
    for (int i = 0; i < count; i++) {
      JsonObject merchant = await(web.post(port, "127.0.0.1", "/v1/admin/merchants").putHeader("Authorization", admin)
          .sendJsonObject(new JsonObject().put("name", "Events bench " + i).put("email", "events" + i + "@example.com")))
          .bodyAsJsonObject();
      String secret = merchant.getJsonObject("api_keys").getString("secret");
      merchants.add(merchant.getString("id"));
      secrets.add(secret);
      await(web.post(port, "127.0.0.1", "/v1/webhook_endpoints").putHeader("Authorization", "Bearer " + secret)
          .sendJsonObject(new JsonObject().put("url", hookUrl).put("events", new JsonArray().add("payment.succeeded"))));
    }
  }

  private static JsonObject payment(int n) {
    return new JsonObject().put("id", "pay_bench_" + n).put("object", "payment").put("amount", 150_000 + n)
        .put("currency", "NGN").put("status", "succeeded");
  }

  /** The same INSERT the outbox runs, into a table nobody relays: what the database alone can take. */
  private double rawInserts(int events) {
    await(pool.query("CREATE TABLE IF NOT EXISTS bench_raw_events (LIKE events INCLUDING DEFAULTS)").execute());
    await(pool.query("TRUNCATE bench_raw_events").execute());
    long started = System.nanoTime();
    await(pool.withTransaction(tx -> insertAll(events, n -> tx.preparedQuery(
            "INSERT INTO bench_raw_events (id, merchant_id, mode, type, data) VALUES ($1, $2, $3, $4, $5)")
        .execute(Tuple.of(dev.cowrie.common.Ids.next("evt"), merchants.get(n % merchants.size()), "test",
            "payment.succeeded", new JsonObject().put("object", payment(n)))).mapEmpty())));
    return events / seconds(started);
  }

  /** The same rows through Outbox.record in one transaction; then the relay's pace from the commit on. */
  private void relay(int events, double raw) throws Exception {
    long insertStarted = System.nanoTime();
    Set<String> ids = ConcurrentHashMap.newKeySet();
    await(pool.withTransaction(tx -> insertAll(events, n -> Outbox.record(tx, merchants.get(n % merchants.size()),
        "test", "payment.succeeded", payment(n)).map(id -> {
          ids.add(id);
          return (Void) null;
        }))));
    long committed = System.nanoTime();
    System.out.printf("outbox:        %,d events via Outbox.record in one transaction: %,.0f rows/s%n",
        events, events / seconds(insertStarted));
    gateway.eventBus().send(EventAddresses.NUDGE, null);
    AtomicInteger kafka = new AtomicInteger();
    Thread consumer = kafka(kafka, ids);
    waitFor(() -> count("SELECT count(*) FROM events WHERE relayed_at IS NULL") == 0);
    double relayed = events / seconds(committed);
    waitFor(() -> kafka.get() >= events || config.kafka().bootstrap().isBlank());
    double toKafka = events / seconds(committed);
    waitFor(() -> delivered.size() >= events);
    double toWebhooks = events / seconds(committed);
    consumer.join(TimeUnit.SECONDS.toMillis(10));
    System.out.printf("relay:         %,.0f events/s claimed, deliveries created, marked (webhook relay; Kafka has its own) (%.2f x raw inserts)%n",
        relayed, relayed / raw);
    System.out.printf("kafka:         %,.0f events/s consumed from topic %s (%,d records)%n", toKafka,
        config.kafka().topic(), kafka.get());
    System.out.printf("webhooks:      %,.0f events/s delivered, signed, to the loopback receiver (%,d distinct webhook-ids)%n",
        toWebhooks, delivered.size());
  }

  private Thread kafka(AtomicInteger count, Set<String> measured) {
    int expected = measured.size();
    Thread thread = new Thread(() -> {
      if (config.kafka().bootstrap().isBlank()) {
        return;
      }
      Properties props = new Properties();
      props.put("bootstrap.servers", config.kafka().bootstrap());
      props.put("group.id", "events-bench-" + System.nanoTime());
      props.put("auto.offset.reset", "earliest");
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
        consumer.subscribe(List.of(config.kafka().topic()));
        long deadline = System.nanoTime() + PHASE_MAX.toNanos();
        while (count.get() < expected && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
            if (measured.contains(new JsonObject(record.value()).getString("id"))) {
              count.incrementAndGet();
            }
          }
        }
      }
    }, "bench-kafka-consumer");
    thread.start();
    return thread;
  }

  private void latency(int port, int sockets) {
    Map<String, Long> committedAt = new ConcurrentHashMap<>();
    Latencies latencies = new Latencies();
    WebSocketClient client = clients.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(sockets + 10));
    List<Future<?>> connected = new ArrayList<>();
    for (int i = 0; i < sockets; i++) {
      String secret = secrets.get(i % secrets.size());
      connected.add(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
              .setURI("/v1/events/stream").addHeader("Authorization", "Bearer " + secret))
          .onSuccess(socket -> socket.textMessageHandler(text -> {
            Long at = committedAt.get(new JsonObject(text).getString("id"));
            if (at != null) {
              latencies.record((System.nanoTime() - at) / 1000, true);
            }
          })));
    }
    await(Future.all(connected));
    int perSecond = 100;
    int seconds = 10;
    int perMerchant = sockets / merchants.size();
    long started = System.nanoTime();
    for (int n = 0; n < perSecond * seconds; n++) {
      long due = started + TimeUnit.MILLISECONDS.toNanos(n * 1000L / perSecond);
      java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime());
      String merchant = merchants.get(n % merchants.size());
      int number = n;
      await(pool.withTransaction(tx -> Outbox.record(tx, merchant, "test", "payment.succeeded", payment(number))
          .onSuccess(id -> committedAt.put(id, System.nanoTime()))));
      gateway.eventBus().send(EventAddresses.NUDGE, null);
    }
    long expected = (long) perSecond * seconds * perMerchant;
    waitFor(() -> latencies.count() >= expected);
    System.out.printf("websocket:     %,d clients; %d events/s for %d s, each to %d clients: commit->socket p50 %.1f ms, "
            + "p99 %.1f ms, max %.1f ms (%,d frames)%n", sockets, perSecond, seconds, perMerchant,
        latencies.percentileMs(50), latencies.percentileMs(99), latencies.percentileMs(100), latencies.count());
  }

  private Future<Void> insertAll(int count, java.util.function.IntFunction<Future<Void>> insert) {
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < count; from += INSERTS_PER_STATEMENT_BATCH) {
      int start = from;
      int end = Math.min(count, from + INSERTS_PER_STATEMENT_BATCH);
      chain = chain.compose(done -> {
        List<Future<Void>> batch = new ArrayList<>();
        for (int n = start; n < end; n++) {
          batch.add(insert.apply(n));
        }
        return Future.all(batch).mapEmpty();
      });
    }
    return chain;
  }

  private long count(String sql) {
    return await(pool.query(sql).execute()).iterator().next().getLong(0);
  }

  private static void waitFor(BooleanSupplier condition) {
    long deadline = System.nanoTime() + PHASE_MAX.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("bench phase did not finish within " + PHASE_MAX.toSeconds() + " s");
      }
      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
    }
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(PHASE_MAX.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("bench step failed: " + e, e);
    }
  }
}
