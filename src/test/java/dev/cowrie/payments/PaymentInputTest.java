package dev.cowrie.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input to payments: each a clear error object naming the field, nothing written. */
class PaymentInputTest {
  static TestGateway gateway;
  static TestGateway.Merchant merchant;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(PaymentInputTest.class);
    merchant = gateway.createMerchant("Input Shop");
    gateway.enableSandbox(merchant, "input_secret_0123456789abcdef");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static int paymentCount() {
    return gateway.query("SELECT 1 FROM payments").size();
  }

  static Response create(String rawJson) {
    return gateway.post("/v1/payments").bearer(merchant.secret()).raw("application/json", rawJson).send();
  }

  static void assertError(Response response, int status, String code, String param) {
    assertEquals(status, response.status(), response.toString());
    JsonObject error = response.json().getJsonObject("error");
    assertEquals(code, error.getString("code"), response.toString());
    assertEquals(param, error.getString("param"), response.toString());
    assertFalse(response.body().toString().contains("Exception"), "no stack trace: " + response);
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.5", "\"1000\"", "-5", "0", "1e3", "99999999999999999999", "true", "null", "{}"})
  void badAmountsAre400InvalidAmount(String amount) {
    int before = paymentCount();
    assertError(create("{\"amount\":" + amount + ",\"currency\":\"NGN\"}"), 400, "invalid_amount", "amount");
    assertEquals(before, paymentCount());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"XYZ\"", "\"ngn\"", "\"\"", "12", "\"NGNN\"", "\"XAU\""})
  void badCurrenciesAre400InvalidCurrency(String currency) {
    assertError(create("{\"amount\":100,\"currency\":" + currency + "}"), 400, "invalid_currency", "currency");
  }

  @Test
  void nulCharactersAreRefusedNamingTheField() {
    int before = paymentCount();
    assertError(create("{\"amount\":100,\"currency\":\"NGN\",\"description\":\"a\\u0000b\"}"), 400, "parameter_invalid", "description");
    assertError(create("{\"amount\":100,\"currency\":\"NGN\",\"metadata\":{\"k\":\"\\u0000\"}}"), 400, "parameter_invalid", "metadata.k");
    assertEquals(before, paymentCount());
  }

  @Test
  void unknownProviderIs400() {
    assertError(create("{\"amount\":100,\"currency\":\"NGN\",\"provider\":\"paypal\"}"), 400, "parameter_invalid", "provider");
  }

  @Test
  void providerThatDoesNotTakeTheCurrencyIs422() {
    TestGateway.Merchant naira = gateway.createMerchant("Naira Only");
    Response saved = gateway.put("/v1/provider_connections/sandbox").bearer(naira.secret())
        .json(new JsonObject().put("currencies", new io.vertx.core.json.JsonArray().add("NGN"))).send();
    assertEquals(200, saved.status(), saved.toString());
    int before = paymentCount();
    Response usd = gateway.post("/v1/payments").bearer(naira.secret())
        .json(new JsonObject().put("amount", 100).put("currency", "USD").put("provider", "sandbox")).send();
    assertError(usd, 422, "currency_not_supported", "currency");
    assertEquals(before, paymentCount());
  }

  @Test
  void merchantWithoutConnectionGetsAClearError() {
    TestGateway.Merchant bare = gateway.createMerchant("No Providers");
    Response response = gateway.post("/v1/payments").bearer(bare.secret())
        .json(new JsonObject().put("amount", 100).put("currency", "NGN")).send();
    assertError(response, 422, "no_eligible_provider", "provider");
  }

  @Test
  void unknownFieldsAndMalformedBodiesAreNamed() {
    assertError(create("{\"amount\":100,\"currency\":\"NGN\",\"amonut\":1}"), 400, "parameter_invalid", "amonut");
    Response malformed = create("{\"amount\":100,");
    assertEquals(400, malformed.status());
    assertEquals("invalid_json", malformed.errorCode());
    assertError(create("{\"amount\":100,\"currency\":\"NGN\",\"customer\":{\"email\":\"nope\"}}"), 400, "parameter_invalid", "email");
    assertError(create("{\"amount\":100,\"currency\":\"NGN\",\"return_url\":\"javascript:alert(1)\"}"), 400, "parameter_invalid", "return_url");
  }

  @Test
  void anotherMerchantsPaymentIs404() {
    Response mine = gateway.post("/v1/payments").bearer(merchant.secret())
        .json(new JsonObject().put("amount", 100).put("currency", "NGN")).send();
    TestGateway.Merchant other = gateway.createMerchant("Snooper");
    String id = mine.json().getString("id");
    assertError(gateway.get("/v1/payments/" + id).bearer(other.secret()).send(), 404, "resource_missing", "id");
    assertError(gateway.post("/v1/payments/" + id + "/cancel").bearer(other.secret()).send(), 404, "resource_missing", "id");
    Response refund = gateway.post("/v1/refunds").bearer(other.secret()).json(new JsonObject().put("payment", id)).send();
    assertEquals(404, refund.status());
  }

  @Test
  void liveKeysDoNotSeeTestPayments() {
    Response mine = gateway.post("/v1/payments").bearer(merchant.secret())
        .json(new JsonObject().put("amount", 100).put("currency", "NGN")).send();
    gateway.verifyKyc(merchant);
    Response live = gateway.post("/v1/admin/merchants/" + merchant.id() + "/api_keys").bearer(gateway.adminToken)
        .json(new JsonObject().put("mode", "live")).send();
    String liveKey = live.json().getString("key");
    assertEquals(404, gateway.get("/v1/payments/" + mine.json().getString("id")).bearer(liveKey).send().status());
    assertEquals(0, gateway.get("/v1/payments").bearer(liveKey).send().data().size());
  }
}
