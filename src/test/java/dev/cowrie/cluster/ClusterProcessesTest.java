package dev.cowrie.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.events.Outbox;
import dev.cowrie.testing.GatewayCluster;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import dev.cowrie.testing.WebhookReceiver;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three gateway processes on loopback, one database schema and one Redis prefix: what happens on
 * one node is seen on the others (events, revocations), and shared work is done once.
 */
class ClusterProcessesTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final int WEBHOOK_CALLS_PER_ENDPOINT = 2;
  static GatewayCluster cluster;
  static WebSocketClient sockets;

  @BeforeAll
  static void start() {
    // Callbacks land on node 2; relays claim small batches and poll often, so all three share the outbox.
    cluster = GatewayCluster.start(ClusterProcessesTest.class, 3, 2, Map.of(
        "COWRIE_OUTBOX_BATCH_SIZE", "25", "COWRIE_OUTBOX_POLL_INTERVAL_MS", "100",
        "COWRIE_WEBHOOK_POLL_INTERVAL_MS", "100",
        "COWRIE_WEBHOOK_CONCURRENCY_PER_ENDPOINT", String.valueOf(WEBHOOK_CALLS_PER_ENDPOINT)));
    sockets = cluster.vertx.createWebSocketClient();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      TestGateway.await(sockets.close());
      cluster.close();
    }
  }

  record Stream(WebSocket socket, List<JsonObject> events, List<Short> closedWith) {}

  static Stream stream(int node, String key) {
    WebSocket socket = TestGateway.await(sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(cluster.port(node)).setURI("/v1/events/stream").addHeader("Authorization", "Bearer " + key)));
    Stream stream = new Stream(socket, new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
    socket.textMessageHandler(text -> stream.events().add(new JsonObject(text)));
    socket.closeHandler(closed -> stream.closedWith().add(socket.closeStatusCode()));
    return stream;
  }

  @Test
  void aPaymentMadeOnNode1AndPaidThroughNode2IsStreamedOnNode3() {
    TestGateway.Merchant merchant = cluster.createMerchant(1, "Cluster Shop");
    Response connected = cluster.put(1, "/v1/provider_connections/sandbox").bearer(merchant.secret())
        .json(new JsonObject().put("credentials", new JsonObject().put("webhook_secret", "cluster_secret_0123456789abcdef")))
        .send();
    assertEquals(200, connected.status(), connected.toString());
    Stream onNode3 = stream(3, merchant.secret());

    Response created = cluster.post(1, "/v1/payments").bearer(merchant.secret()).idempotencyKey("cluster-order-1")
        .json(new JsonObject().put("amount", 250_000).put("currency", "NGN").put("provider", "sandbox")
            .put("customer", new JsonObject().put("email", "ada@example.com"))).send();
    assertEquals(201, created.status(), created.toString());
    String paymentId = created.json().getString("id");
    String url = created.json().getJsonObject("next_action").getString("url");
    assertTrue(url.startsWith("http://127.0.0.1:" + cluster.port(2) + "/"), "public URL is node 2's: " + url);
    Response paid = cluster.post(1, url.substring(url.indexOf("/sandbox/checkout/")))
        .raw("application/x-www-form-urlencoded", "outcome=succeed").send();
    assertEquals(200, paid.status(), paid.toString());

    TestGateway.eventually("node 3's socket hears payment.succeeded for " + paymentId, WAIT, () -> onNode3.events().stream()
        .anyMatch(event -> "payment.succeeded".equals(event.getString("type"))
            && paymentId.equals(event.getJsonObject("data").getJsonObject("object").getString("id"))));
    assertEquals(List.of(), onNode3.closedWith());
  }

  @Test
  void aPinSetOnNode1IsNeededOnNode3AsSoonAsNode3HearsOfIt() {
    // Each node remembers a user's paying rule; a change published by one node must reach the others.
    TestGateway.Merchant merchant = cluster.createMerchant(1, "Pin Shop");
    assertEquals(200, cluster.put(1, "/v1/provider_connections/sandbox").bearer(merchant.secret())
        .json(new JsonObject().put("credentials", new JsonObject().put("webhook_secret", "cluster_pins_0123456789abcdef")))
        .send().status());
    String pia = walletUser(1, merchant, "pia.cluster");
    walletUser(1, merchant, "quin.cluster");
    Response topUp = cluster.post(3, "/v1/wallet/topups").bearer(pia).idempotencyKey("pia-topup-1")
        .json(new JsonObject().put("amount", 100_000).put("currency", "NGN")).send();
    assertEquals(201, topUp.status(), topUp.toString());
    String checkout = topUp.json().getJsonObject("next_action").getString("url");
    assertEquals(200, cluster.post(2, checkout.substring(checkout.indexOf("/sandbox/checkout/")))
        .raw("application/x-www-form-urlencoded", "outcome=succeed").send().status());
    TestGateway.eventually("pia's top-up lands", WAIT, () -> available(3, pia) == 100_000);
    // Node 3's auth instances learn (and remember) that pia pays without a PIN.
    for (int i = 0; i < 4; i++) {
      assertEquals(201, transfer(3, pia, 1_000).status());
    }

    Response set = cluster.request(1, io.vertx.core.http.HttpMethod.PATCH, "/v1/me").bearer(pia)
        .json(new JsonObject().put("pin", "9731").put("pin_limit", 500)).send();
    assertEquals(200, set.status(), set.toString());
    long[] paidMeanwhile = {0};
    TestGateway.eventually("node 3 asks pia for her PIN", Duration.ofSeconds(5), () -> {
      Response attempt = transfer(3, pia, 1_000);
      if (attempt.status() == 201) {
        paidMeanwhile[0]++;
        return false;
      }
      assertEquals("pin_required", attempt.errorCode(), attempt.toString());
      return true;
    });
    for (int i = 0; i < 4; i++) {
      assertEquals("pin_required", transfer(3, pia, 1_000).errorCode(), "every auth instance on node 3 forgot the old rule");
    }
    assertEquals(100_000 - (4 + paidMeanwhile[0]) * 1_000, available(3, pia));
  }

  static String walletUser(int node, TestGateway.Merchant merchant, String username) {
    JsonObject credentials = new JsonObject().put("username", username).put("password", "cluster password 1");
    Response created = cluster.post(node, "/v1/users").bearer(merchant.publishable()).json(credentials).send();
    assertEquals(201, created.status(), created.toString());
    Response token = cluster.post(node, "/v1/auth/token").json(credentials.copy().put("publishable_key", merchant.publishable())).send();
    assertEquals(200, token.status(), token.toString());
    return token.json().getString("access_token");
  }

  static Response transfer(int node, String token, long amount) {
    return cluster.post(node, "/v1/transfers").bearer(token).idempotencyKey(java.util.UUID.randomUUID().toString())
        .json(new JsonObject().put("to", "quin.cluster").put("amount", amount).put("currency", "NGN")).send();
  }

  static long available(int node, String token) {
    JsonArray balances = cluster.get(node, "/v1/wallet").bearer(token).send().json().getJsonArray("balances");
    return balances.isEmpty() ? 0 : balances.getJsonObject(0).getLong("available");
  }

  @Test
  void aKeyRevokedOnNode2ClosesItsSocketOnNode3() {
    TestGateway.Merchant merchant = cluster.createMerchant(1, "Revoking Shop");
    Response extra = cluster.post(1, "/v1/api_keys").bearer(merchant.secret()).json(new JsonObject().put("type", "secret")).send();
    assertEquals(201, extra.status(), extra.toString());
    Stream onNode3 = stream(3, extra.json().getString("key"));
    Stream otherKeyOnNode3 = stream(3, merchant.secret());

    long revokedAt = System.nanoTime();
    Response revoked = cluster.post(2, "/v1/api_keys/" + extra.json().getString("id") + "/revoke").bearer(merchant.secret()).send();
    assertEquals(200, revoked.status(), revoked.toString());

    TestGateway.eventually("node 3 closes the revoked key's socket", WAIT, () -> !onNode3.closedWith().isEmpty());
    // Reported, not asserted (timed assertions flake on a shared machine): the bound is a second.
    System.out.printf("ClusterProcessesTest: a key revoked on node 2 closed its socket on node 3 within %d ms%n",
        (System.nanoTime() - revokedAt) / 1_000_000);
    assertEquals((short) 4001, onNode3.closedWith().get(0));
    assertEquals(List.of(), otherKeyOnNode3.closedWith(), "a socket of a key still valid stays open");
  }

  @Test
  void eventsRelayedByThreeNodesReachTheWebhookOnceEachWithinTheEndpointsLimit() {
    int count = 1_000;
    TestGateway.Merchant merchant = cluster.createMerchant(1, "Webhook Shop");
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      // A slow endpoint: each answer takes 20 ms, so calls from several nodes would overlap.
      receiver.answer((request, got) -> receiver.vertx().setTimer(20, fired -> request.response().end("ok")));
      Response endpoint = cluster.post(2, "/v1/webhook_endpoints").bearer(merchant.secret())
          .json(new JsonObject().put("url", receiver.url("/hook")).put("events", new JsonArray().add("payment.created")))
          .send();
      assertEquals(201, endpoint.status(), endpoint.toString());

      List<String> recorded = TestGateway.await(cluster.sql.withTransaction(tx -> Future.all(
              IntStream.range(0, count).mapToObj(i -> Outbox.record(tx, merchant.id(), "test", "payment.created",
                  new JsonObject().put("id", "pay_cluster_" + i).put("object", "payment"))).toList()))
          .map(all -> all.<String>list()));

      TestGateway.eventually(count + " deliveries recorded as delivered", Duration.ofSeconds(90), () ->
          TestGateway.await(cluster.sql.query("SELECT count(*) FROM webhook_deliveries WHERE status = 'delivered'")
              .execute()).iterator().next().getLong(0) == count);
      Map<String, Long> callsPerEvent = receiver.receivedOn("/hook").stream()
          .collect(Collectors.groupingBy(got -> got.header("webhook-id"), Collectors.counting()));
      assertEquals(recorded.stream().collect(Collectors.toMap(Function.identity(), id -> 1L)), callsPerEvent,
          "each event delivered exactly once");
      assertTrue(receiver.concurrentMax() <= WEBHOOK_CALLS_PER_ENDPOINT,
          "calls open at once across the three nodes: " + receiver.concurrentMax());
    }
  }
}
