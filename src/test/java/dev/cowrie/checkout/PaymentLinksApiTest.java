package dev.cowrie.checkout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Payment links over the API: bad input names its field, a link is the merchant's own, deactivation closes its page. */
class PaymentLinksApiTest {
  static TestGateway gateway;
  static TestGateway.Merchant merchant;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(PaymentLinksApiTest.class);
    merchant = gateway.createMerchant("Links Shop");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static TestHttp.Response create(JsonObject body) {
    return gateway.post("/v1/payment_links").bearer(merchant.secret()).json(body).send();
  }

  @Test
  void badInputIsAClearErrorNamingTheField() {
    Map<String, JsonObject> cases = Map.of(
        "amount_min", new JsonObject("{\"currency\":\"NGN\",\"amount\":1000,\"amount_min\":500,\"amount_max\":900}"),
        "amount", new JsonObject("{\"currency\":\"NGN\"}"),
        "amount_max", new JsonObject("{\"currency\":\"NGN\",\"amount_min\":500}"),
        "currency", new JsonObject("{\"currency\":\"XYZ\",\"amount\":1000}"),
        "description", new JsonObject().put("currency", "NGN").put("amount", 1000).put("description", "x".repeat(1001)),
        "return_url", new JsonObject("{\"currency\":\"NGN\",\"amount\":1000,\"return_url\":\"javascript:alert(1)\"}"),
        "active", new JsonObject("{\"currency\":\"NGN\",\"amount\":1000,\"active\":\"yes\"}"),
        "colour", new JsonObject("{\"currency\":\"NGN\",\"amount\":1000,\"colour\":\"red\"}"));
    cases.forEach((field, body) -> {
      TestHttp.Response refused = create(body);
      assertEquals(400, refused.status(), field + ": " + refused);
      assertEquals(field, refused.json().getJsonObject("error").getString("param"), field + ": " + refused);
    });
    TestHttp.Response reversed = create(new JsonObject("{\"currency\":\"NGN\",\"amount_min\":900,\"amount_max\":500}"));
    assertEquals("invalid_amount", reversed.json().getJsonObject("error").getString("code"));
    assertEquals("amount_min", reversed.json().getJsonObject("error").getString("param"));
    TestHttp.Response decimal = create(new JsonObject("{\"currency\":\"NGN\",\"amount\":10.5}"));
    assertEquals("invalid_amount", decimal.json().getJsonObject("error").getString("code"));
    TestHttp.Response huge = create(new JsonObject("{\"currency\":\"NGN\",\"amount_min\":1,\"amount_max\":100000000001}"));
    assertEquals("amount_max", huge.json().getJsonObject("error").getString("param"));
    TestHttp.Response notJson = gateway.post("/v1/payment_links").bearer(merchant.secret()).raw("application/json", "{amount").send();
    assertEquals("invalid_json", notJson.json().getJsonObject("error").getString("code"));
    assertEquals(0, gateway.get("/v1/payment_links").bearer(merchant.secret()).send().data().size(), "nothing half-written");
  }

  @Test
  void aLinkIsCreatedListedChangedDeactivatedAndPrintedAsQr() {
    TestHttp.Response created = gateway.post("/v1/payment_links").bearer(merchant.secret()).idempotencyKey("link-1")
        .json(new JsonObject().put("currency", "NGN").put("amount_min", 50_000).put("amount_max", 500_000)
            .put("description", "School fund")).send();
    assertEquals(201, created.status(), created.toString());
    JsonObject link = created.json();
    assertTrue(link.getString("id").startsWith("plink_"));
    assertTrue(link.getString("url").startsWith("http://127.0.0.1:" + gateway.port + "/l/"));
    assertEquals(true, link.getBoolean("customer_chooses_amount"));
    assertEquals(true, link.getBoolean("active"));
    TestHttp.Response replay = gateway.post("/v1/payment_links").bearer(merchant.secret()).idempotencyKey("link-1")
        .json(new JsonObject().put("currency", "NGN").put("amount_min", 50_000).put("amount_max", 500_000)
            .put("description", "School fund")).send();
    assertEquals(link.getString("id"), replay.json().getString("id"));

    String path = "/v1/payment_links/" + link.getString("id");
    assertEquals(link.getString("slug"), gateway.get(path).bearer(merchant.secret()).send().json().getString("slug"));
    assertEquals(404, gateway.get(path).bearer(gateway.createMerchant("Other Shop").secret()).send().status());
    TestHttp.Response changed = gateway.request(io.vertx.core.http.HttpMethod.PATCH, path).bearer(merchant.secret())
        .json(new JsonObject().put("description", "School fund 2026")).send();
    assertEquals("School fund 2026", changed.json().getString("description"));

    TestHttp.Response png = gateway.get(path + "/qr.png").bearer(merchant.secret()).send();
    assertEquals("image/png", png.headers().get("Content-Type"));
    assertEquals((byte) 0x89, png.body().getByte(0));
    assertTrue(gateway.get(path + "/qr.svg").bearer(merchant.secret()).send().body().toString().startsWith("<svg"));

    String slugPath = "/l/" + link.getString("slug");
    assertTrue(gateway.get(slugPath).send().body().toString().contains("Continue to payment"));
    TestHttp.Response off = gateway.post(path + "/deactivate").bearer(merchant.secret()).send();
    assertEquals(false, off.json().getBoolean("active"));
    String page = gateway.get(slugPath).send().body().toString();
    assertTrue(page.contains("no longer active") && !page.contains("Continue to payment"), page);
    assertEquals(1, gateway.get("/v1/payment_links?active=false").bearer(merchant.secret()).send().data().size());
  }
}
