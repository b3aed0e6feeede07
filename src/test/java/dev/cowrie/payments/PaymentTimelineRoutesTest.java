package dev.cowrie.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import dev.cowrie.testing.WebhookReceiver;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a payment's timeline reads: its events and its refunds' (GET /v1/payments/{id}/events), the
 * provider callbacks applied to it (…/provider_events) and each event's webhook deliveries
 * (GET /v1/events/{id}/deliveries); all only the owner's.
 */
class PaymentTimelineRoutesTest {
  static TestGateway gateway;
  static TestGateway.Merchant merchant;
  static WebhookReceiver receiver;
  static String endpointId;
  static String paymentId;
  static String refundId;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(PaymentTimelineRoutesTest.class);
    receiver = new WebhookReceiver();
    merchant = gateway.createMerchant("Timeline Shop");
    gateway.enableSandbox(merchant, "timeline_secret_0123456789abcdef");
    Response endpoint = gateway.post("/v1/webhook_endpoints").bearer(merchant.secret()).json(new JsonObject()
        .put("url", receiver.url("/hooks/timeline")).put("events", new JsonArray().add("payment.succeeded"))).send();
    assertEquals(201, endpoint.status(), endpoint.toString());
    endpointId = endpoint.json().getString("id");
    paymentId = paid(40_000);
    Response refund = gateway.post("/v1/refunds").bearer(merchant.secret()).header("Idempotency-Key", "timeline-refund")
        .json(new JsonObject().put("payment", paymentId).put("amount", 10_000)).send();
    assertEquals(201, refund.status(), refund.toString());
    refundId = refund.json().getString("id");
  }

  @AfterAll
  static void stop() {
    gateway.close();
    receiver.close();
  }

  @Test
  void aPaymentsEventsAreItsStatusChangesAndItsRefundsOldestFirst() {
    JsonArray events = gateway.eventually(() -> list("/v1/payments/" + paymentId + "/events"),
        list -> types(list).contains("refund.succeeded"), 10_000);
    List<String> types = types(events);
    assertEquals("payment.created", types.get(0), types.toString());
    assertTrue(types.indexOf("payment.succeeded") > 0 && types.indexOf("payment.succeeded") < types.indexOf("refund.succeeded"),
        types.toString());
    for (Object each : events) {
      JsonObject object = ((JsonObject) each).getJsonObject("data").getJsonObject("object");
      assertTrue(paymentId.equals(object.getString("id")) || paymentId.equals(object.getString("payment")), each.toString());
    }
    assertTrue(events.stream().map(JsonObject.class::cast).anyMatch(event -> refundId.equals(
        event.getJsonObject("data").getJsonObject("object").getString("id"))), "the refund's own event");
    String other = paid(1_000);
    assertTrue(types(list("/v1/payments/" + other + "/events")).contains("payment.succeeded"));
    assertTrue(list("/v1/payments/" + other + "/events").stream().map(JsonObject.class::cast)
        .noneMatch(event -> event.getJsonObject("data").getJsonObject("object").getString("id").equals(paymentId)),
        "another payment's events are not this one's");
  }

  @Test
  void theProvidersCallbacksAreOnThePaymentWithWhatWasDoneWithThem() {
    // The sandbox calls back for processing, success and the refund, like a provider would.
    JsonArray callbacks = gateway.eventually(() -> list("/v1/payments/" + paymentId + "/provider_events"),
        list -> types(list).contains("refund.succeeded"), 10_000);
    assertEquals(List.of("payment.processing", "payment.succeeded", "refund.succeeded"), types(callbacks), callbacks.encodePrettily());
    for (Object each : callbacks) {
      JsonObject callback = (JsonObject) each;
      assertEquals("sandbox", callback.getString("provider"));
      assertNotNull(callback.getString("applied_at"), callback.encode());
      if (callback.getString("type").startsWith("payment.")) {
        assertEquals("applied", callback.getString("status"), callback.encode());
      } else if (!"applied".equals(callback.getString("status"))) {
        // The refund's own answer may settle it first; its callback then finds no pending refund, and says so.
        assertEquals("ignored", callback.getString("status"), callback.encode());
        assertEquals("no pending refund matches", callback.getString("note"), callback.encode());
      }
    }
    String other = paid(2_000);
    // A callback is linked to its payment once applied, a moment after the payment's status changed.
    JsonArray others = gateway.eventually(() -> list("/v1/payments/" + other + "/provider_events"),
        list -> types(list).contains("payment.succeeded"), 10_000);
    assertEquals(List.of("payment.processing", "payment.succeeded"), types(others), "each payment has only its own callbacks");
  }

  @Test
  void anEventsDeliveriesNameTheirEndpointAndAnswer() {
    JsonObject succeeded = list("/v1/payments/" + paymentId + "/events").stream().map(JsonObject.class::cast)
        .filter(event -> event.getString("type").equals("payment.succeeded")).findFirst().orElseThrow();
    JsonArray deliveries = gateway.eventually(() -> list("/v1/events/" + succeeded.getString("id") + "/deliveries"),
        list -> !list.isEmpty() && "delivered".equals(list.getJsonObject(0).getString("status")), 15_000);
    JsonObject delivery = deliveries.getJsonObject(0);
    assertEquals(endpointId, delivery.getString("endpoint"));
    assertEquals(200, delivery.getInteger("last_status_code"));
    assertTrue(delivery.getJsonArray("attempts").getJsonObject(0).getInteger("latency_ms") >= 0);
    JsonObject created = list("/v1/payments/" + paymentId + "/events").getJsonObject(0);
    assertTrue(list("/v1/events/" + created.getString("id") + "/deliveries").isEmpty(), "payment.created is not subscribed");
  }

  @Test
  void anotherMerchantGetsNotFoundEverywhere() {
    TestGateway.Merchant other = gateway.createMerchant("Nosy Shop");
    String eventId = list("/v1/payments/" + paymentId + "/events").getJsonObject(0).getString("id");
    for (String path : List.of("/v1/payments/" + paymentId + "/events", "/v1/payments/" + paymentId + "/provider_events",
        "/v1/events/" + eventId + "/deliveries", "/v1/payments/pay_nope/events", "/v1/events/evt_nope/deliveries")) {
      Response refused = gateway.get(path).bearer(other.secret()).send();
      assertEquals(404, refused.status(), path + " " + refused);
      assertEquals("resource_missing", refused.json().getJsonObject("error").getString("code"));
    }
  }

  private static JsonArray list(String path) {
    Response list = gateway.get(path).bearer(merchant.secret()).send();
    assertEquals(200, list.status(), list.toString());
    return list.data();
  }

  private static List<String> types(JsonArray events) {
    return events.stream().map(JsonObject.class::cast).map(event -> event.getString("type")).toList();
  }

  private static String paid(long amount) {
    Response created = gateway.post("/v1/payments").bearer(merchant.secret()).json(new JsonObject()
        .put("amount", amount).put("currency", "NGN").put("customer", new JsonObject().put("email", "ada@example.com"))).send();
    assertEquals(201, created.status(), created.toString());
    String id = created.json().getString("id");
    gateway.payOnSandbox(merchant, id);
    return id;
  }
}
