package dev.cowrie.checkout;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.cowrie.providers.WireMockKit;
import dev.cowrie.testing.Browser;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hosted checkout offers each eligible connection of the merchant (sandbox and Paystack, Paystack
 * played by WireMock from providers/paystack/wiremock); choosing one starts the payment there.
 */
class CheckoutProviderChoiceTest {
  static final Pattern PAYSTACK_CHECKOUT = Pattern.compile("https://checkout\\.paystack\\.com/[a-z0-9]+");
  static TestGateway gateway;
  static Browser browser;
  static WireMockServer paystack;

  @BeforeAll
  static void start() {
    paystack = new WireMockServer(WireMockConfiguration.options().dynamicPort()
        .usingFilesUnderDirectory("providers/paystack/wiremock"));
    paystack.start();
    WireMockKit.loadSharedMappings(paystack);
    // A customer whose payment Paystack refuses to start (e.g. its currency is not enabled on the account).
    paystack.stubFor(post(urlPathEqualTo("/transaction/initialize")).withRequestBody(containing("refused@example.com"))
        .atPriority(1).willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
            .withBody("{\"status\":false,\"message\":\"Currency not supported by merchant\"}")));
    gateway = TestGateway.start(CheckoutProviderChoiceTest.class);
    browser = Browser.launch();
  }

  @AfterAll
  static void stop() {
    browser.close();
    gateway.close();
    paystack.stop();
  }

  /** A merchant with two enabled connections: the sandbox (routed first) and Paystack. */
  static TestGateway.Merchant merchantWithTwoProviders(String name) {
    TestGateway.Merchant merchant = gateway.createMerchant(name);
    connect(merchant, "sandbox", new JsonObject().put("credentials", new JsonObject().put("webhook_secret", "whsec_" + UUID.randomUUID()))
        .put("priority", 10));
    connect(merchant, "paystack", new JsonObject().put("credentials", new JsonObject().put("secret_key", "sk_test_4f1c9e0d2b7a"))
        .put("priority", 1).put("api_base", "http://127.0.0.1:" + paystack.port()));
    return merchant;
  }

  static void connect(TestGateway.Merchant merchant, String provider, JsonObject body) {
    TestHttp.Response saved = gateway.put("/v1/provider_connections/" + provider).bearer(merchant.secret()).json(body).send();
    assertEquals(200, saved.status(), saved.toString());
  }

  static JsonObject createPayment(TestGateway.Merchant merchant, String email) {
    TestHttp.Response created = gateway.post("/v1/payments").bearer(merchant.secret()).idempotencyKey(UUID.randomUUID().toString())
        .json(new JsonObject().put("amount", 480_000).put("currency", "NGN").put("description", "A gas cooker")
            .put("customer", new JsonObject().put("email", email))).send();
    assertEquals(201, created.status(), created.toString());
    assertEquals("sandbox", created.json().getString("provider"), "routed to the first connection");
    return created.json();
  }

  static JsonObject payment(TestGateway.Merchant merchant, JsonObject payment) {
    TestHttp.Response got = gateway.get("/v1/payments/" + payment.getString("id")).bearer(merchant.secret()).send();
    assertEquals(200, got.status(), got.toString());
    return got.json();
  }

  static List<JsonObject> attempts(JsonObject payment, String provider) {
    JsonArray attempts = payment.getJsonArray("attempts");
    return attempts.stream().map(JsonObject.class::cast).filter(a -> provider.equals(a.getString("provider"))).toList();
  }

  static int initializeCalls(String email) {
    return paystack.findAll(postRequestedFor(urlPathEqualTo("/transaction/initialize")).withRequestBody(containing(email))).size();
  }

  @Test
  void theCustomerChoosesPaystackAndContinuesOnItsCheckout() {
    TestGateway.Merchant merchant = merchantWithTwoProviders("Chika Appliances");
    JsonObject payment = createPayment(merchant, "chika@example.com");

    try (BrowserContext phone = browser.phone()) {
      Page page = phone.newPage();
      // Paystack's own page is not reachable from the test: the browser is answered in its place.
      page.route("https://checkout.paystack.com/**", route -> route.fulfill(new Route.FulfillOptions().setStatus(200)
          .setContentType("text/html").setBody("<!doctype html><title>Paystack checkout</title><p>Paystack</p>")));
      page.navigate(payment.getString("hosted_url"));
      PlaywrightAssertions.assertThat(page.locator("#pay-sandbox")).hasText("Pay on the test checkout (sandbox)");
      PlaywrightAssertions.assertThat(page.locator("#pay-paystack")).hasText("Pay with card or bank (Paystack)");
      PlaywrightAssertions.assertThat(page.locator("#pay-wallet")).isVisible();
      Browser.screenshot(page, "checkout-providers");
      Browser.assertNoSeriousAxeViolations(page);

      page.locator("#pay-paystack").click();
      page.waitForURL(PAYSTACK_CHECKOUT);
      String authorizationUrl = page.url();

      JsonObject routed = payment(merchant, payment);
      assertEquals("requires_action", routed.getString("status"));
      assertEquals("paystack", routed.getString("provider"));
      assertEquals(authorizationUrl, routed.getJsonObject("next_action").getString("url"), "the stubbed authorization_url");
      assertEquals("succeeded", attempts(routed, "paystack").get(0).getString("outcome"));
      assertEquals(1, initializeCalls("chika@example.com"));

      // Back on the checkout, the same choice continues to the same Paystack page without starting again.
      page.navigate(payment.getString("hosted_url"));
      page.locator("#pay-paystack").click();
      page.waitForURL(PAYSTACK_CHECKOUT);
      assertEquals(authorizationUrl, page.url());
      assertEquals(1, initializeCalls("chika@example.com"), "a connection the payment is on is not started twice");
      assertEquals(1, attempts(payment(merchant, payment), "paystack").size());

      // Switching back to the sandbox and then to Paystack again reuses each one's checkout: nothing starts again.
      String sandboxUrl = payment.getJsonObject("next_action").getString("url");
      page.navigate(payment.getString("hosted_url"));
      page.locator("#pay-sandbox").click();
      page.waitForURL(sandboxUrl);
      JsonObject back = payment(merchant, payment);
      assertEquals("sandbox", back.getString("provider"));
      assertEquals(sandboxUrl, back.getJsonObject("next_action").getString("url"));
      page.navigate(payment.getString("hosted_url"));
      page.locator("#pay-paystack").click();
      page.waitForURL(PAYSTACK_CHECKOUT);
      assertEquals(authorizationUrl, page.url());
      JsonObject again = payment(merchant, payment);
      assertEquals("paystack", again.getString("provider"));
      assertEquals(1, initializeCalls("chika@example.com"));
      assertEquals(1, attempts(again, "paystack").size());
      assertEquals(1, attempts(again, "sandbox").size());
    }
    gateway.assertLedgerOk();
  }

  @Test
  void aProviderRefusingTheChoiceLeavesThePaymentPayable() {
    TestGateway.Merchant merchant = merchantWithTwoProviders("Dayo Electronics");
    JsonObject payment = createPayment(merchant, "refused@example.com");
    String sandboxUrl = payment.getJsonObject("next_action").getString("url");

    try (BrowserContext desktop = browser.desktop()) {
      Page page = desktop.newPage();
      page.navigate(payment.getString("hosted_url"));
      page.locator("#pay-paystack").click();
      PlaywrightAssertions.assertThat(page.locator("#error")).containsText("paystack could not start this payment");
      PlaywrightAssertions.assertThat(page.locator("#state")).hasText("Ready to pay");
      PlaywrightAssertions.assertThat(page.locator("#pay-sandbox")).isVisible();
      PlaywrightAssertions.assertThat(page.locator("#pay-wallet")).isVisible();
      Browser.screenshot(page, "checkout-provider-refused");
      Browser.assertNoSeriousAxeViolations(page);

      JsonObject after = payment(merchant, payment);
      assertEquals("requires_action", after.getString("status"), "a refused choice does not fail the payment");
      assertEquals("sandbox", after.getString("provider"));
      assertEquals(sandboxUrl, after.getJsonObject("next_action").getString("url"));
      List<JsonObject> refused = attempts(after, "paystack");
      assertEquals(1, refused.size(), after.encode());
      assertEquals("failed", refused.get(0).getString("outcome"));
      assertEquals(400, refused.get(0).getInteger("http_status"));
      assertEquals("rejected", refused.get(0).getString("error_code"), refused.get(0).encode());
      assertEquals(0, gateway.get("/v1/events?type=payment.failed").bearer(merchant.secret()).send().json()
          .getJsonArray("data").size(), "no payment.failed event");

      // Another way still works: the sandbox's checkout the payment was routed to.
      page.locator("#pay-sandbox").click();
      page.waitForURL(sandboxUrl);
    }
    gateway.assertLedgerOk();
  }
}
