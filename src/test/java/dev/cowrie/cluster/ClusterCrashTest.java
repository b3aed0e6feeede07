package dev.cowrie.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.cli.PaymentLedgerChecks;
import dev.cowrie.ledger.LedgerCheck;
import dev.cowrie.testing.GatewayCluster;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import dev.cowrie.testing.WebhookReceiver;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Three gateway processes under payment load, one killed with SIGKILL in the middle of it: every
 * payment a client was told about (201) is stored, every event the survivors hold reaches the
 * merchant's webhook (at least once, counted by its webhook-id), and the ledger still balances.
 */
class ClusterCrashTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final int CLIENTS = 6;
  static final long LOAD_MS = 6_000;
  static final long KILL_AFTER_MS = 2_000;
  static final int KILLED = 2;

  /** What the load saw: the payments each node acknowledged, and the requests that got no answer. */
  record Load(Map<String, JsonObject> acknowledged, Map<Integer, AtomicInteger> acknowledgedBy, AtomicInteger unanswered) {}

  @Test
  void aNodeKilledUnderLoadLosesNoAcknowledgedPaymentNorEvent() {
    // Deliveries leased by the killed node are retaken once their lease (the call's timeout) runs out.
    try (GatewayCluster cluster = GatewayCluster.start(ClusterCrashTest.class, 3, 1, Map.of(
            "COWRIE_OUTBOX_BATCH_SIZE", "25", "COWRIE_OUTBOX_POLL_INTERVAL_MS", "100",
            "COWRIE_WEBHOOK_POLL_INTERVAL_MS", "100", "COWRIE_WEBHOOK_TIMEOUT_MS", "2000"));
         WebhookReceiver receiver = new WebhookReceiver()) {
      TestGateway.Merchant merchant = cluster.createMerchant(1, "Crash Shop");
      Response connected = cluster.put(1, "/v1/provider_connections/sandbox").bearer(merchant.secret())
          .json(new JsonObject().put("credentials", new JsonObject().put("webhook_secret", "crash_secret_0123456789abcdef")))
          .send();
      assertEquals(200, connected.status(), connected.toString());
      Response endpoint = cluster.post(1, "/v1/webhook_endpoints").bearer(merchant.secret())
          .json(new JsonObject().put("url", receiver.url("/hook"))
              .put("events", new JsonArray().add("payment.created").add("payment.succeeded")))
          .send();
      assertEquals(201, endpoint.status(), endpoint.toString());

      Load load = new Load(new ConcurrentHashMap<>(), Map.of(1, new AtomicInteger(), 2, new AtomicInteger(),
          3, new AtomicInteger()), new AtomicInteger());
      long until = System.currentTimeMillis() + LOAD_MS;
      cluster.vertx.setTimer(KILL_AFTER_MS, fired -> cluster.vertx.executeBlocking(() -> {
        cluster.kill(KILLED);
        return null;
      }));
      List<Future<Void>> clients = IntStream.range(0, CLIENTS)
          .mapToObj(client -> createUntil(cluster, merchant, load, client, 0, until)).toList();
      TestGateway.await(Future.all(clients));

      assertTrue(load.acknowledgedBy().get(KILLED).get() > 0, "node " + KILLED + " served payments before it died");
      assertTrue(load.unanswered().get() > 0, "requests to the killed node went unanswered (it died under load)");
      assertTrue(load.acknowledged().size() >= 20, "enough load to mean something: " + load.acknowledged().size());
      System.out.printf("ClusterCrashTest: %d payments acknowledged (node 1: %d, node 2 before its kill: %d, node 3: %d),"
              + " %d requests unanswered%n", load.acknowledged().size(), load.acknowledgedBy().get(1).get(),
          load.acknowledgedBy().get(2).get(), load.acknowledgedBy().get(3).get(), load.unanswered().get());

      Set<String> stored = column(cluster, "SELECT id FROM payments WHERE id = ANY($1)",
          Tuple.tuple().addArrayOfString(load.acknowledged().keySet().toArray(String[]::new)));
      assertEquals(load.acknowledged().keySet(), stored, "every acknowledged payment is stored");

      // A few acknowledged payments are paid through a survivor, so the ledger has money to check.
      List<String> paid = load.acknowledged().keySet().stream().sorted().limit(3).toList();
      for (String id : paid) {
        String url = load.acknowledged().get(id).getJsonObject("next_action").getString("url");
        Response checkout = cluster.post(3, url.substring(url.indexOf("/sandbox/checkout/")))
            .raw("application/x-www-form-urlencoded", "outcome=succeed").send();
        assertEquals(200, checkout.status(), checkout.toString());
      }
      TestGateway.eventually("the paid payments read succeeded on node 3", WAIT, () -> paid.stream().allMatch(id ->
          "succeeded".equals(cluster.get(3, "/v1/payments/" + id).bearer(merchant.secret()).send().json().getString("status"))));

      TestGateway.eventually("every stored event of the subscribed types reached the webhook", WAIT, () -> {
        Set<String> events = column(cluster, "SELECT id FROM events WHERE merchant_id = $1 AND type = ANY($2)",
            Tuple.of(merchant.id()).addArrayOfString(new String[] {"payment.created", "payment.succeeded"}));
        Set<String> heard = receiver.receivedOn("/hook").stream().map(got -> got.header("webhook-id"))
            .collect(Collectors.toSet());
        return !events.isEmpty() && heard.containsAll(events);
      });
      Map<String, List<String>> createdEvents = createdEventsOf(cluster, load.acknowledged().keySet());
      load.acknowledged().keySet().forEach(id ->
          assertEquals(1, createdEvents.getOrDefault(id, List.of()).size(), "one payment.created for " + id));
      assertTrue(receiver.receivedOn("/hook").stream().map(got -> got.header("webhook-id"))
          .collect(Collectors.toSet()).containsAll(createdEvents.values().stream().flatMap(List::stream).toList()),
          "each acknowledged payment's payment.created was delivered");

      long deliveries = receiver.receivedOn("/hook").size();
      long distinct = receiver.receivedOn("/hook").stream().map(got -> got.header("webhook-id")).distinct().count();
      System.out.printf("ClusterCrashTest: %d events delivered, %d calls (%d again with the same webhook-id)%n",
          distinct, deliveries, deliveries - distinct);

      JsonObject ledger = TestGateway.await(LedgerCheck.run(cluster.sql, PaymentLedgerChecks.all()));
      assertTrue(ledger.getBoolean("ok"), ledger.encodePrettily());
    }
  }

  /** One client: creates payments on nodes 1, 2, 3 in turn until {@code until}; a node that does not answer is skipped. */
  static Future<Void> createUntil(GatewayCluster cluster, TestGateway.Merchant merchant, Load load, int client, int n,
      long until) {
    if (System.currentTimeMillis() >= until) {
      return Future.succeededFuture();
    }
    int node = n % 3 + 1;
    String key = "crash-" + client + "-" + n;
    return cluster.post(node, "/v1/payments").bearer(merchant.secret()).idempotencyKey(key)
        .json(new JsonObject().put("amount", 10_000 + n).put("currency", "NGN").put("provider", "sandbox").put("reference", key))
        .sendAsync()
        .transform(answered -> {
          if (answered.succeeded() && answered.result().status() == 201) {
            JsonObject payment = answered.result().json();
            load.acknowledged().put(payment.getString("id"), payment);
            load.acknowledgedBy().get(node).incrementAndGet();
          } else if (answered.failed()) {
            load.unanswered().incrementAndGet();
          }
          return createUntil(cluster, merchant, load, client, n + 1, until);
        });
  }

  static Set<String> column(GatewayCluster cluster, String query, Tuple arguments) {
    Iterable<Row> rows = TestGateway.await(cluster.sql.preparedQuery(query).execute(arguments));
    return StreamSupport.stream(rows.spliterator(), false).map(row -> row.getString(0)).collect(Collectors.toCollection(HashSet::new));
  }

  /** The payment.created event ids of {@code paymentIds}, by payment, in one query. */
  static Map<String, List<String>> createdEventsOf(GatewayCluster cluster, Set<String> paymentIds) {
    Iterable<Row> rows = TestGateway.await(cluster.sql.preparedQuery("""
            SELECT data->'object'->>'id' AS payment, id FROM events
            WHERE type = 'payment.created' AND data->'object'->>'id' = ANY($1)""")
        .execute(Tuple.tuple().addArrayOfString(paymentIds.toArray(String[]::new))));
    return StreamSupport.stream(rows.spliterator(), false).collect(Collectors.groupingBy(row -> row.getString("payment"),
        Collectors.mapping(row -> row.getString("id"), Collectors.toList())));
  }
}
