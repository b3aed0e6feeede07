package dev.cowrie.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import dev.cowrie.testing.WebhookReceiver;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Endpoint management and the SSRF guard, on a gateway configured as in production (no private targets). */
class WebhookEndpointsTest {
  static final String PUBLIC_URL = "https://93.184.215.14/hooks/cowrie";
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(WebhookEndpointsTest.class, Map.of(
        "COWRIE_WEBHOOK_ALLOW_PRIVATE", "false",
        "COWRIE_WEBHOOK_POLL_INTERVAL_MS", "50",
        "COWRIE_OUTBOX_POLL_INTERVAL_MS", "50"));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static Response create(TestGateway.Merchant merchant, Object url, Object events) {
    return gateway.post("/v1/webhook_endpoints").bearer(merchant.secret())
        .json(new JsonObject().put("url", url).put("events", events)).send();
  }

  @Test
  void createListDisableAndDelete() {
    TestGateway.Merchant merchant = gateway.createMerchant("Endpoint Owner");
    Response created = create(merchant, PUBLIC_URL, new JsonArray().add("payment.succeeded").add("refund.failed"));
    assertEquals(201, created.status(), created.toString());
    String id = created.json().getString("id");
    assertTrue(id.startsWith("we_"));
    assertTrue(created.json().getString("secret").matches("whsec_[A-Za-z0-9+/]{43}="), created.toString());
    assertEquals(List.of("payment.succeeded", "refund.failed"), created.json().getJsonArray("events").getList());
    assertTrue(created.json().getBoolean("enabled"));

    Response list = gateway.get("/v1/webhook_endpoints").bearer(merchant.secret()).send();
    assertEquals(1, list.data().size());
    assertNull(list.data().getJsonObject(0).getString("secret"));

    Response disabled = gateway.post("/v1/webhook_endpoints/" + id).bearer(merchant.secret())
        .json(new JsonObject().put("enabled", false)).send();
    assertEquals(200, disabled.status(), disabled.toString());
    assertFalse(disabled.json().getBoolean("enabled"));
    assertEquals(PUBLIC_URL, disabled.json().getString("url"));

    TestGateway.Merchant stranger = gateway.createMerchant("Stranger");
    assertEquals(404, gateway.get("/v1/webhook_endpoints/" + id).bearer(stranger.secret()).send().status());
    assertEquals(404, gateway.delete("/v1/webhook_endpoints/" + id).bearer(stranger.secret()).send().status());
    assertEquals(404, gateway.get("/v1/webhook_endpoints/" + id + "/deliveries").bearer(stranger.secret()).send().status());

    assertEquals(200, gateway.delete("/v1/webhook_endpoints/" + id).bearer(merchant.secret()).send().status());
    Response gone = gateway.get("/v1/webhook_endpoints/" + id).bearer(merchant.secret()).send();
    assertEquals(404, gone.status());
    assertEquals("resource_missing", gone.errorCode());
  }

  @Test
  void badUrlsAndUnknownEventTypesAre400WithTheReason() {
    TestGateway.Merchant merchant = gateway.createMerchant("Careless");
    JsonArray events = new JsonArray().add("payment.succeeded");
    assertBad(create(merchant, "ftp://93.184.215.14/hook", events), "url", "https://");
    assertBad(create(merchant, "javascript:alert(1)", events), "url", "https://");
    assertBad(create(merchant, "https://93.184.215.14/" + "a".repeat(2048), events), "url", "2048");
    assertBad(create(merchant, "https://user:pw@93.184.215.14/hook", events), "url", "credentials");
    for (String target : List.of("http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.1.2.3/hook",
        "http://192.168.1.20/hook", "http://172.16.0.9/hook", "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook", "http://0.0.0.0/hook", "http://100.64.0.1/hook", "http://[fd00::1]/hook")) {
      assertBad(create(merchant, target, events), "url", "non-public");
    }
    assertBad(create(merchant, PUBLIC_URL, new JsonArray().add("payment.succeeded").add("payment.exploded")), "events",
        "Unknown event type 'payment.exploded'");
    assertBad(create(merchant, PUBLIC_URL, new JsonArray()), "events", "1 to 32");
    assertBad(create(merchant, PUBLIC_URL, null), "events", "Missing");
    assertBad(create(merchant, 42, events), "url", "string");
    // Nothing was created.
    assertEquals(0, gateway.get("/v1/webhook_endpoints").bearer(merchant.secret()).send().data().size());
  }

  static void assertBad(Response response, String param, String reason) {
    assertEquals(400, response.status(), response.toString());
    JsonObject error = response.json().getJsonObject("error");
    assertEquals(param, error.getString("param"), response.toString());
    assertTrue(error.getString("message").contains(reason), response.toString());
  }

  @Test
  void aUrlThatTurnsPrivateAfterCreationIsRefusedAtDeliveryTime() {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      TestGateway.Merchant merchant = gateway.createMerchant("Rebinder");
      Response created = create(merchant, PUBLIC_URL, new JsonArray().add("payment.succeeded"));
      String id = created.json().getString("id");
      // As if the host's DNS now pointed inside our network.
      gateway.query("UPDATE webhook_endpoints SET url = $1 WHERE id = $2", receiver.url("/internal"), id);
      gateway.recordEvent(merchant.id(), "test", "payment.succeeded", new JsonObject().put("id", "pay_x"));

      TestGateway.eventually("the attempt is refused", Duration.ofSeconds(20), () -> {
        JsonArray list = gateway.get("/v1/webhook_endpoints/" + id + "/deliveries").bearer(merchant.secret()).send().data();
        return !list.isEmpty() && list.getJsonObject(0).getInteger("attempt_count") >= 1;
      });
      JsonObject delivery = gateway.get("/v1/webhook_endpoints/" + id + "/deliveries").bearer(merchant.secret()).send()
          .data().getJsonObject(0);
      assertTrue(delivery.getString("last_error").startsWith("refused"), delivery.encode());
      assertTrue(receiver.received().isEmpty(), "nothing reached the private address");
    }
  }

  /** A NUL character in an id or a cursor is bad input (400), not an internal error from the database. */
  @Test
  void nulCharactersInIdsAreBadInputNotInternalErrors() {
    TestGateway.Merchant merchant = gateway.createMerchant("Nul Bytes");
    for (String path : java.util.List.of("/v1/webhook_endpoints/%00", "/v1/webhook_endpoints/%00/deliveries", "/v1/events/%00",
        "/v1/events?starting_after=%00")) {
      Response response = gateway.get(path).bearer(merchant.secret()).send();
      assertEquals(400, response.status(), path + " " + response);
      assertEquals("parameter_invalid", response.errorCode(), response.toString());
    }
    Response redeliver = gateway.post("/v1/events/%00/redeliver").bearer(merchant.secret()).send();
    assertEquals(400, redeliver.status(), redeliver.toString());
    Response described = gateway.post("/v1/webhook_endpoints").bearer(merchant.secret()).json(new JsonObject()
        .put("url", PUBLIC_URL).put("events", new JsonArray().add("*")).put("description", "a\u0000b")).send();
    assertEquals(400, described.status(), described.toString());
    assertEquals(0, gateway.query("SELECT 1 FROM webhook_endpoints WHERE merchant_id = $1 LIMIT 1", merchant.id()).size());
  }

  @Test
  void aMerchantHasAtMostSixteenEndpointsPerMode() {
    TestGateway.Merchant merchant = gateway.createMerchant("Many Endpoints");
    java.util.List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 16; i++) {
      Response created = create(merchant, PUBLIC_URL + "/hook-" + i, new io.vertx.core.json.JsonArray().add("payment.succeeded"));
      assertEquals(201, created.status(), created.toString());
      ids.add(created.json().getString("id"));
    }
    Response seventeenth = create(merchant, PUBLIC_URL + "/hook-16", new io.vertx.core.json.JsonArray().add("payment.succeeded"));
    assertEquals(409, seventeenth.status(), seventeenth.toString());
    assertEquals("invalid_state", seventeenth.errorCode());
    assertEquals(16, gateway.query("SELECT 1 FROM webhook_endpoints WHERE merchant_id = $1", merchant.id()).size());
    assertEquals(200, gateway.delete("/v1/webhook_endpoints/" + ids.get(0)).bearer(merchant.secret()).send().status());
    assertEquals(201, create(merchant, PUBLIC_URL + "/hook-16", new io.vertx.core.json.JsonArray().add("payment.succeeded")).status());
  }
}
