package dev.cowrie.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.StandardWebhooks;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import dev.cowrie.testing.WebhookReceiver;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Deliveries as a merchant's receiver sees them: signed, retried, recorded, redeliverable. */
class WebhookDeliveryTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static TestGateway gateway;
  static WebhookReceiver receiver;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(WebhookDeliveryTest.class, Map.of(
        "COWRIE_WEBHOOK_BACKOFF_MS", "10,20,40",
        "COWRIE_WEBHOOK_ATTEMPTS_MAX", "5",
        "COWRIE_WEBHOOK_POLL_INTERVAL_MS", "50",
        "COWRIE_WEBHOOK_CONCURRENCY_PER_ENDPOINT", "2",
        "COWRIE_OUTBOX_POLL_INTERVAL_MS", "50"));
    receiver = new WebhookReceiver();
  }

  @AfterAll
  static void stop() {
    receiver.close();
    gateway.close();
  }

  static JsonObject endpoint(TestGateway.Merchant merchant, String url, String... events) {
    Response created = gateway.post("/v1/webhook_endpoints").bearer(merchant.secret())
        .json(new JsonObject().put("url", url).put("events", new JsonArray(List.of(events)))).send();
    assertEquals(201, created.status(), created.toString());
    return created.json();
  }

  static JsonArray deliveries(TestGateway.Merchant merchant, String endpointId) {
    Response list = gateway.get("/v1/webhook_endpoints/" + endpointId + "/deliveries").bearer(merchant.secret()).send();
    assertEquals(200, list.status(), list.toString());
    return list.data();
  }

  /** The status of the endpoint's newest delivery, null while it has none. */
  static String status(TestGateway.Merchant merchant, String endpointId) {
    JsonArray list = deliveries(merchant, endpointId);
    return list.isEmpty() ? null : list.getJsonObject(0).getString("status");
  }

  static JsonObject payment(String id) {
    return new JsonObject().put("id", id).put("object", "payment").put("amount", 150_000).put("currency", "NGN");
  }

  @Test
  void eventsArriveSignedPerStandardWebhooks() {
    TestGateway.Merchant merchant = gateway.createMerchant("Signed Shop");
    JsonObject endpoint = endpoint(merchant, receiver.url("/signed"), "payment.succeeded");
    String secret = endpoint.getString("secret");
    assertTrue(secret.startsWith("whsec_"), secret);
    int keyBytes = java.util.Base64.getDecoder().decode(secret.substring(6)).length;
    assertTrue(keyBytes >= 24 && keyBytes <= 64, "secret has " + keyBytes + " bytes");

    String ignored = gateway.recordEvent(merchant.id(), "test", "payment.failed", payment("pay_ignored"));
    String eventId = gateway.recordEvent(merchant.id(), "test", "payment.succeeded", payment("pay_signed"));
    TestGateway.eventually("the event reaches the receiver", WAIT, () -> !receiver.receivedOn("/signed").isEmpty());

    WebhookReceiver.Received got = receiver.receivedOn("/signed").get(0);
    assertNull(StandardWebhooks.problem(secret, got.header("webhook-id"), got.header("webhook-timestamp"),
        got.header("webhook-signature"), got.body()));
    assertTrue(StandardWebhooks.problem(secret, got.header("webhook-id"), got.header("webhook-timestamp"),
        got.header("webhook-signature"), got.body() + " ") != null, "a changed body must not verify");
    assertEquals(eventId, got.header("webhook-id"));
    assertTrue(got.header("content-type").startsWith("application/json"));
    JsonObject body = new JsonObject(got.body());
    assertEquals("payment.succeeded", body.getString("type"));
    assertEquals("pay_signed", body.getJsonObject("data").getJsonObject("object").getString("id"));
    assertEquals(gateway.get("/v1/events/" + eventId).bearer(merchant.secret()).send().json(), body);
    // Only the subscribed type was delivered, and the secret is never shown again.
    assertEquals(1, receiver.receivedOn("/signed").size());
    assertTrue(receiver.received().stream().noneMatch(r -> ignored.equals(r.header("webhook-id"))));
    Response fetched = gateway.get("/v1/webhook_endpoints/" + endpoint.getString("id")).bearer(merchant.secret()).send();
    assertNull(fetched.json().getString("secret"));
    assertTrue(gateway.query("SELECT secret_enc FROM webhook_endpoints").iterator().next().getBuffer(0).toString()
        .indexOf(secret.substring(6)) < 0, "the secret is stored sealed");
  }

  @Test
  void aTestEventGoesSignedToThatEndpointOnlyAndShowsInItsLog() {
    TestGateway.Merchant merchant = gateway.createMerchant("Testing Shop");
    JsonObject tested = endpoint(merchant, receiver.url("/tested"), "*");
    JsonObject other = endpoint(merchant, receiver.url("/untouched"), "*");
    String id = tested.getString("id");

    Response sent = gateway.post("/v1/webhook_endpoints/" + id + "/test").bearer(merchant.secret()).send();
    assertEquals(200, sent.status(), sent.toString());
    assertEquals("webhook_endpoint.test", sent.json().getString("event_type"));
    String eventId = sent.json().getString("event");
    TestGateway.eventually("the test event reaches the receiver", WAIT, () -> !receiver.receivedOn("/tested").isEmpty());
    WebhookReceiver.Received got = receiver.receivedOn("/tested").get(0);
    assertNull(StandardWebhooks.problem(tested.getString("secret"), got.header("webhook-id"), got.header("webhook-timestamp"),
        got.header("webhook-signature"), got.body()));
    assertEquals(eventId, got.header("webhook-id"));
    JsonObject body = new JsonObject(got.body());
    assertEquals("webhook_endpoint.test", body.getString("type"));
    assertEquals(id, body.getJsonObject("data").getJsonObject("object").getString("id"));

    TestGateway.eventually("its delivery is logged with the answer", WAIT, () -> "delivered".equals(status(merchant, id)));
    JsonObject delivery = deliveries(merchant, id).getJsonObject(0);
    assertEquals(eventId, delivery.getString("event"));
    assertEquals(200, delivery.getInteger("last_status_code"));
    assertEquals(1, delivery.getJsonArray("attempts").size());
    assertTrue(delivery.getJsonArray("attempts").getJsonObject(0).getInteger("latency_ms") >= 0);
    // Not a business event: no other endpoint got it, and the events list does not know it.
    assertTrue(deliveries(merchant, other.getString("id")).isEmpty());
    assertTrue(receiver.receivedOn("/untouched").isEmpty());
    assertEquals(404, gateway.get("/v1/events/" + eventId).bearer(merchant.secret()).send().status());

    TestGateway.Merchant stranger = gateway.createMerchant("Stranger Shop");
    Response refused = gateway.post("/v1/webhook_endpoints/" + id + "/test").bearer(stranger.secret()).send();
    assertEquals(404, refused.status(), refused.toString());
    assertEquals(1, deliveries(merchant, id).size(), "a stranger's call queued nothing");
  }

  @Test
  void failingThreeTimesThenSucceedingIsDeliveredOnTheFourthAttempt() {
    TestGateway.Merchant merchant = gateway.createMerchant("Flaky Shop");
    AtomicInteger calls = new AtomicInteger();
    receiver.answer((request, got) -> {
      if (got.path().equals("/flaky") && calls.incrementAndGet() <= 3) {
        request.response().setStatusCode(500).end("{\"error\":\"try later\"}");
      } else {
        request.response().end("thanks");
      }
    });
    JsonObject endpoint = endpoint(merchant, receiver.url("/flaky"), "*");
    String eventId = gateway.recordEvent(merchant.id(), "test", "refund.succeeded", payment("re_flaky"));

    TestGateway.eventually("delivered after retries", WAIT, () ->
        "delivered".equals(status(merchant, endpoint.getString("id"))));
    JsonObject delivery = deliveries(merchant, endpoint.getString("id")).getJsonObject(0);
    assertEquals(eventId, delivery.getString("event"));
    assertEquals(4, delivery.getInteger("attempt_count"));
    JsonArray attempts = delivery.getJsonArray("attempts"); // newest first
    assertEquals(4, attempts.size());
    assertEquals(List.of(200, 500, 500, 500), attempts.stream().map(a -> ((JsonObject) a).getInteger("status_code")).toList());
    assertEquals("{\"error\":\"try later\"}", attempts.getJsonObject(1).getString("response_body"));
    assertTrue(attempts.getJsonObject(0).getInteger("latency_ms") >= 0);
    // The same webhook-id every time, so the receiver can de-duplicate.
    assertTrue(receiver.receivedOn("/flaky").stream().allMatch(r -> eventId.equals(r.header("webhook-id"))));
    assertEquals(4, receiver.receivedOn("/flaky").size());
  }

  @Test
  void redirectIsAFailureAndDeadDeliveriesCanBeRedelivered() {
    TestGateway.Merchant merchant = gateway.createMerchant("Moved Shop");
    receiver.answer((request, got) -> {
      if (got.path().equals("/moved")) {
        request.response().setStatusCode(302).putHeader("Location", receiver.url("/elsewhere")).end();
      } else {
        request.response().setStatusCode(200).end("x".repeat(5000));
      }
    });
    JsonObject endpoint = endpoint(merchant, receiver.url("/moved"), "payment.succeeded");
    String endpointId = endpoint.getString("id");
    String eventId = gateway.recordEvent(merchant.id(), "test", "payment.succeeded", payment("pay_moved"));

    TestGateway.eventually("dead after 5 attempts", WAIT, () ->
        "dead".equals(status(merchant, endpointId)));
    JsonObject dead = deliveries(merchant, endpointId).getJsonObject(0);
    assertEquals(5, dead.getInteger("attempt_count"));
    assertEquals(302, dead.getInteger("last_status_code"));
    assertTrue(dead.getString("last_error").contains("redirect"), dead.encode());
    assertTrue(receiver.receivedOn("/elsewhere").isEmpty(), "redirects are never followed");

    // Fixed on the merchant's side; redelivered by hand.
    Response moved = gateway.post("/v1/webhook_endpoints/" + endpointId).bearer(merchant.secret())
        .json(new JsonObject().put("url", receiver.url("/big"))).send();
    assertEquals(200, moved.status(), moved.toString());
    Response redeliver = gateway.post("/v1/events/" + eventId + "/redeliver").bearer(merchant.secret()).send();
    assertEquals(200, redeliver.status(), redeliver.toString());
    assertEquals(1, redeliver.json().getInteger("deliveries"));
    TestGateway.eventually("redelivered", WAIT, () ->
        "delivered".equals(status(merchant, endpointId)));
    String kept = deliveries(merchant, endpointId).getJsonObject(0).getJsonArray("attempts").getJsonObject(0)
        .getString("response_body");
    assertEquals(1024, kept.length(), "the first KiB of the answer is kept");
  }

  @Test
  void aSlowEndpointGetsAtMostItsConcurrencyAndDoesNotHoldUpOthers() {
    TestGateway.Merchant slow = gateway.createMerchant("Slow Shop");
    TestGateway.Merchant quick = gateway.createMerchant("Quick Shop");
    List<io.vertx.core.http.HttpServerRequest> held = new CopyOnWriteArrayList<>();
    receiver.answer((request, got) -> {
      if (got.path().equals("/slow")) {
        held.add(request); // answered later
      } else {
        request.response().end("ok");
      }
    });
    endpoint(slow, receiver.url("/slow"), "payment.succeeded");
    endpoint(quick, receiver.url("/quick"), "payment.succeeded");
    List<String> slowEvents = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      slowEvents.add(gateway.recordEvent(slow.id(), "test", "payment.succeeded", payment("pay_slow_" + i)));
    }
    gateway.recordEvent(quick.id(), "test", "payment.succeeded", payment("pay_quick"));

    TestGateway.eventually("the quick merchant is served while the slow one hangs", WAIT,
        () -> receiver.receivedOn("/quick").size() == 1);
    TestGateway.eventually("the slow endpoint holds its two slots", WAIT, () -> held.size() == 2);
    assertEquals(2, receiver.receivedOn("/slow").size(), "no more than concurrency_per_endpoint at once");
    // Release the slow requests one round at a time until all six arrived.
    TestGateway.eventually("all slow events delivered", WAIT, () -> {
      List<io.vertx.core.http.HttpServerRequest> round = List.copyOf(held);
      held.removeAll(round);
      round.forEach(request -> receiver.vertx().runOnContext(v -> request.response().end("ok")));
      return receiver.receivedOn("/slow").stream().map(r -> r.header("webhook-id")).distinct().count() == 6;
    });
    receiver.answer((request, got) -> request.response().end("ok"));
    held.forEach(request -> receiver.vertx().runOnContext(v -> request.response().end("ok")));
  }
}
