package dev.cowrie.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import dev.cowrie.cli.AdminCli;
import dev.cowrie.testing.Browser;
import dev.cowrie.testing.TeamMembers;
import dev.cowrie.testing.TeamMembers.Member;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp;
import dev.cowrie.testing.TotpCodes;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The merchant dashboard in a real browser against a real gateway: sign in with two-factor, see a
 * payment the API made arrive live on Home, refund part of it, be refused as a viewer by the API itself, pass KYC with
 * the operator's CLI and create a live key. Every page is checked with axe; screenshots go to
 * target/screenshots/.
 */
class DashboardJourneysTest {
  static TestGateway gateway;
  static Browser browser;
  static TestGateway.Merchant merchant;
  static Member owner;
  static byte[] ownerSecret;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(DashboardJourneysTest.class);
    browser = Browser.launch();
    merchant = gateway.createMerchant("Ada Stores");
    gateway.enableSandbox(merchant, "journey_secret_0123456789abcdef");
    owner = TeamMembers.invite(gateway, merchant, "ada.owner", "owner");
    TestHttp.Response setUp = gateway.post("/v1/auth/totp").bearer(owner.token()).send();
    ownerSecret = TotpCodes.fromBase32(setUp.json().getString("secret"));
    TestHttp.Response on = gateway.post("/v1/auth/totp/enable").bearer(owner.token())
        .json(new JsonObject().put("code", TotpCodes.code(ownerSecret, gateway.clock, 0))).send();
    assertEquals(200, on.status(), on.toString());
  }

  @AfterAll
  static void stop() {
    browser.close();
    gateway.close();
  }

  static String url(String path) {
    return "http://127.0.0.1:" + gateway.port + path;
  }

  /** Signs the owner in as a person does: password first, then the code the form asks for. */
  static void signInOwner(Page page, String mode) {
    gateway.clock.advance(Duration.ofSeconds(30)); // each sign-in takes the next code (a code is good once)
    page.navigate(url("/dashboard/login" + ("live".equals(mode) ? "?mode=live" : "")));
    page.fill("#username", "ada.owner");
    page.fill("#password", TeamMembers.PASSWORD);
    page.click("#sign-in");
    assertTrue(page.locator("#totp-error").textContent().contains("code"), page.content());
    page.fill("#password", TeamMembers.PASSWORD);
    page.fill("#totp_code", TotpCodes.code(ownerSecret, gateway.clock, 0));
    page.click("#sign-in");
    page.waitForURL(url("/dashboard"));
  }

  static void signIn(Page page, String username) {
    page.navigate(url("/dashboard/login"));
    page.fill("#username", username);
    page.fill("#password", TeamMembers.PASSWORD);
    page.click("#sign-in");
    page.waitForURL(url("/dashboard"));
  }

  static void check(Page page, String screenshot) {
    Browser.assertNoSeriousAxeViolations(page);
    Browser.screenshot(page, screenshot);
  }

  /** A 50.00 NGN sandbox payment made through the API and paid on the sandbox checkout. */
  static String paidPayment(String reference) {
    TestHttp.Response created = gateway.post("/v1/payments").bearer(merchant.secret()).json(new JsonObject()
        .put("amount", 5000).put("currency", "NGN").put("reference", reference)
        .put("customer", new JsonObject().put("email", "chidi@example.com"))).send();
    assertEquals(201, created.status(), created.toString());
    String id = created.json().getString("id");
    String checkout = created.json().getJsonObject("next_action").getString("url");
    gateway.post(checkout.substring(checkout.indexOf("/sandbox/checkout/"))).raw("application/x-www-form-urlencoded", "outcome=succeed").send();
    gateway.eventually(() -> gateway.get("/v1/payments/" + id).bearer(merchant.secret()).send().json(),
        json -> "succeeded".equals(json.getString("status")), 10_000);
    return id;
  }

  @Test
  void ownerSignsInWithTwoFactorSeesAnApiPaymentAndRefundsPartOfIt() {
    try (BrowserContext context = browser.desktop()) {
      Page page = context.newPage();
      page.navigate(url("/dashboard/payments"));
      assertTrue(page.url().contains("/dashboard/login"), "signed-out people are sent to sign in: " + page.url());
      check(page, "dashboard-login");
      signInOwner(page, "test");
      assertTrue(page.locator("#test-banner").isVisible());
      assertEquals("Test mode", page.locator("#mode .badge").textContent());

      page.waitForFunction("() => document.getElementById('feed-status').textContent.startsWith('Connected')");
      String id = paidPayment("order-1042");
      // Live, without a reload: the event stream's socket (opened with a single-use ticket) brings it.
      page.locator("#feed li[data-type='payment.succeeded']").first().waitFor();
      assertTrue(page.locator("#feed").textContent().contains(id), page.locator("#feed").textContent());
      Browser.screenshot(page, "dashboard-home-live");
      page.navigate(url("/dashboard"));
      assertTrue(page.locator("#payments-table tr[data-id='" + id + "']").isVisible(), "the API's payment is on Home");
      assertTrue(page.locator("#available").textContent().contains("NGN"), page.locator("#available").textContent());
      check(page, "dashboard-home");

      page.navigate(url("/dashboard/payments?reference=order-1042"));
      assertEquals(1, page.locator("#payments-table tbody tr").count());
      check(page, "dashboard-payments");
      page.click("#payments-table a[href='/dashboard/payments/" + id + "']");
      page.fill("#amount", "12.50");
      page.fill("#reason", "One item returned");
      page.click("#refund");
      page.waitForURL(url("/dashboard/payments/" + id + "?done=refunded"));
      assertEquals("Refund requested.", page.locator("#notice").textContent());
      gateway.eventually(() -> gateway.get("/v1/payments/" + id).bearer(merchant.secret()).send().json(),
          json -> json.getLong("amount_refunded") == 1250L, 10_000);
      page.reload();
      assertTrue(page.locator("#refunded").textContent().contains("12.50"), page.locator("#refunded").textContent());
      // The ledger entries behind it: the payment's success and the refund, each balanced.
      String ledger = page.locator("#ledger-entries").textContent();
      assertTrue(ledger.contains("payment_succeeded") && ledger.contains("merchant_available"), ledger);
      assertTrue(ledger.contains("refund") && ledger.contains("12.50"), ledger);
      check(page, "dashboard-payment-refunded");

      page.setViewportSize(768, 1000);
      page.navigate(url("/dashboard/audit"));
      assertTrue(page.locator("#audit").textContent().contains("POST /dashboard/payments/:id/refund")
          || page.locator("#audit").textContent().contains("/refund"), "the refund is in the audit log");
      check(page, "dashboard-audit-768");
      gateway.assertLedgerOk();
    }
  }

  @Test
  void aViewerCannotRefundAndTheApiIsWhatRefuses() {
    String id = paidPayment("order-viewer");
    Member viewer = TeamMembers.invite(gateway, merchant, "vic.viewer", "viewer");
    try (BrowserContext context = browser.desktop()) {
      Page page = context.newPage();
      signIn(page, "vic.viewer");
      page.navigate(url("/dashboard/payments/" + id));
      assertEquals(0, page.locator("#refund").count(), "no refund form for a viewer");
      check(page, "dashboard-payment-viewer");
      // The form is only hidden: a hand-made POST with the viewer's own session and CSRF token is refused all the same.
      String csrf = page.locator("input[name=_csrf]").first().getAttribute("value");
      var forged = page.request().post(url("/dashboard/payments/" + id + "/refund"), RequestOptions.create()
          .setForm(FormData.create().set("_csrf", csrf).set("_submit", "forged-refund-1").set("amount", "10")));
      assertTrue(forged.text().contains("role or above"), forged.text());
    }
    TestHttp.Response api = gateway.post("/v1/refunds").bearer(viewer.token()).json(new JsonObject().put("payment", id)).send();
    assertEquals(403, api.status(), api.toString());
    assertEquals(0L, gateway.get("/v1/payments/" + id).bearer(merchant.secret()).send().json().getLong("amount_refunded"));
  }

  @Test
  void ownerPassesKycWithTheOperatorsCliThenCreatesALiveKey() {
    try (BrowserContext context = browser.desktop()) {
      Page page = context.newPage();
      signInOwner(page, "test");
      page.navigate(url("/dashboard/profile"));
      assertEquals("unverified", page.locator("#kyc-status").textContent());
      page.fill("#legal_name", "Ada Stores Limited");
      page.fill("#country", "Nigeria");
      page.click("#save-profile");
      assertTrue(page.locator("#country-error").textContent().contains("two-letter"), "the API's error sits by its field");
      assertEquals("Ada Stores Limited", page.locator("#legal_name").inputValue(), "what was typed is kept");
      page.fill("#country", "NG");
      page.fill("#registration_number", "RC 1042");
      page.fill("#address", "1 Marina, Lagos");
      page.fill("#support_email", "help@ada.example");
      page.click("#save-profile");
      assertEquals("Saved.", page.locator("#notice").textContent());
      page.setInputFiles("#file", new FilePayload("notes.png", "image/png", "not really a picture".getBytes()));
      page.click("#upload");
      assertTrue(page.locator("#file-error").textContent().contains("PDF, PNG or JPEG"), "checked by its bytes");
      page.setInputFiles("#file", new FilePayload("certificate.png", "image/png", TestGateway.TINY_PNG.getBytes()));
      page.click("#upload");
      assertEquals("Document uploaded.", page.locator("#notice").textContent());
      page.click("#submit-kyc");
      assertEquals("submitted", page.locator("#kyc-status").textContent());
      check(page, "dashboard-profile-submitted");

      assertEquals(0, AdminCli.run(gateway.config, "kyc", "approve", merchant.id()));

      signInOwner(page, "live");
      assertEquals("Live mode", page.locator("#mode .badge").textContent());
      assertEquals(0, page.locator("#test-banner").count());
      page.navigate(url("/dashboard/developers"));
      page.click("#create-key");
      String key = page.locator("#new-key").textContent();
      assertTrue(key.startsWith("sk_live_"), key);
      assertEquals(200, gateway.get("/v1/api_keys").bearer(key).send().status(), "the live key works");
      check(page, "dashboard-developers-live-key");
      page.navigate(url("/dashboard/team"));
      check(page, "dashboard-team");
    }
  }

  @Test
  void aDeveloperAddsAWebhookEndpointAndWatchesItsDeliveriesAndRedelivers() {
    TeamMembers.invite(gateway, merchant, "dev.hooks", "developer");
    try (BrowserContext context = browser.desktop(); var receiver = new dev.cowrie.testing.WebhookReceiver()) {
      Page page = context.newPage();
      signIn(page, "dev.hooks");
      page.navigate(url("/dashboard/developers"));
      page.click("#webhooks-link");
      page.fill("#url", "not a url");
      page.click("#add-endpoint");
      assertTrue(page.locator("#url-error").isVisible(), "the API's error sits by the URL field");
      page.fill("#url", receiver.url("/hooks/ada"));
      page.click("#add-endpoint");
      assertTrue(page.locator("#new-secret").textContent().startsWith("whsec_"), "the signing secret, shown once");
      check(page, "dashboard-webhooks");

      String id = paidPayment("order-hooks");
      gateway.eventually("the receiver got payment.succeeded", Duration.ofSeconds(15), () -> receiver.receivedOn("/hooks/ada").stream()
          .anyMatch(got -> got.body().contains("payment.succeeded") && got.body().contains(id)));
      page.click("#endpoints a");
      page.waitForSelector("#deliveries tr[data-event-type='payment.succeeded']");
      gateway.eventually(() -> {
        page.reload();
        return page.locator("#deliveries tr[data-event-type='payment.succeeded'] .pill").first().textContent();
      }, status -> status.equals("succeeded") || status.equals("delivered"), 15_000);
      int before = receiver.receivedOn("/hooks/ada").size();
      page.locator("#deliveries tr[data-event-type='payment.succeeded'] button").first().click();
      assertTrue(page.locator("#notice").textContent().startsWith("Sent again"));
      gateway.eventually("the redelivery arrived", Duration.ofSeconds(15), () -> receiver.receivedOn("/hooks/ada").size() > before);

      page.click("#send-test");
      assertTrue(page.locator("#notice").textContent().startsWith("Test event evt_"), page.locator("#notice").textContent());
      gateway.eventually("the test event arrived, signed", Duration.ofSeconds(15), () -> receiver.receivedOn("/hooks/ada").stream()
          .anyMatch(got -> got.body().contains("\"webhook_endpoint.test\"") && got.headers().get("webhook-signature") != null));
      String log = page.url().substring(0, page.url().length() - "/test".length()); // a reload would send another
      gateway.eventually(() -> {
        page.navigate(log);
        return page.locator("#deliveries tr[data-event-type='webhook_endpoint.test'] .pill").first().textContent();
      }, status -> status.equals("delivered"), 15_000);
      assertTrue(page.locator("#deliveries tr[data-event-type='webhook_endpoint.test']").first().textContent().contains("200"),
          "the log shows the endpoint's answer");
      assertEquals(1, page.locator("#deliveries tr[data-event-type='webhook_endpoint.test']").count(), "one test event, one delivery");
      check(page, "dashboard-webhook-deliveries");
    }
  }

  /**
   * Providers: a developer connects Paystack (played by WireMock) with its own form, sees it
   * healthy after a payment, then Paystack answers 500 to two payments and the page turns red with
   * the failed calls and the last error; a viewer sees the same page without the forms.
   */
  @Test
  void aDeveloperConnectsPaystackAndSeesItsHealthTurnRedWhenItFails() {
    com.github.tomakehurst.wiremock.WireMockServer paystack = new com.github.tomakehurst.wiremock.WireMockServer(
        com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().dynamicPort());
    paystack.start();
    TestGateway.Merchant shop = gateway.createMerchant("Paystack Shop");
    TeamMembers.invite(gateway, shop, "dev.providers", "developer");
    TeamMembers.invite(gateway, shop, "viewer.providers", "viewer");
    try (BrowserContext context = browser.desktop()) {
      paystack.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post("/transaction/initialize")
          .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("""
              {"status": true, "message": "Authorization URL created", "data": {"authorization_url":
              "https://checkout.paystack.com/{{jsonPath request.body '$.reference'}}", "access_code": "ac",
              "reference": "{{jsonPath request.body '$.reference'}}"}}""").withTransformers("response-template")));
      Page page = context.newPage();
      signIn(page, "dev.providers");
      page.click("nav a[href='/dashboard/providers']");
      assertTrue(page.locator("#no-connections").isVisible());
      page.locator("#connect-paystack summary").click();
      assertTrue(page.locator("#paystack-secret_key-help").textContent().contains("sk_test_"), "the form names Paystack's own key");
      page.fill("#paystack-secret_key", "sk_live_notallowedhere");
      page.click("#connect-paystack-button");
      assertTrue(page.locator("#providers-error").textContent().contains("live-mode"), page.locator("#providers-error").textContent());
      page.fill("#paystack-secret_key", "sk_test_4f1c9e0d2b7a");
      page.fill("#paystack-api_base", "http://127.0.0.1:" + paystack.port());
      page.click("#connect-paystack-button");
      assertEquals("Paystack connected.", page.locator("#notice").textContent());
      assertTrue(page.locator("#callback-paystack").textContent().contains("/v1/callbacks/conn_"), "the callback URL to paste");
      assertEquals("no calls", page.locator("#rate-paystack").textContent());

      assertEquals(201, paystackPayment(shop, "order-ok").status());
      page.navigate(url("/dashboard/providers")); // not a reload: that would post the form again
      assertEquals("healthy", page.locator("#health-paystack").textContent());
      assertEquals("100% of 1 calls", page.locator("#rate-paystack").textContent());
      assertEquals("none", page.locator("#last-error-paystack").textContent().trim());
      check(page, "dashboard-providers-healthy");

      paystack.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post("/transaction/initialize").atPriority(1)
          .willReturn(com.github.tomakehurst.wiremock.client.WireMock.serverError().withBody("{\"status\":false}")));
      for (String reference : new String[] {"order-down-1", "order-down-2"}) {
        TestHttp.Response failed = paystackPayment(shop, reference);
        assertTrue(failed.status() >= 400, "no provider took it: " + failed);
      }
      page.navigate(url("/dashboard/providers")); // not a reload: that would post the form again
      assertEquals("failing", page.locator("#health-paystack").textContent());
      assertEquals("failing", page.locator("#connection-paystack").getAttribute("data-state"));
      assertEquals("33% of 3 calls", page.locator("#rate-paystack").textContent());
      assertEquals("closed", page.locator("#breaker-paystack").textContent(), "two failures stay below breaker_failures_max (5)");
      assertTrue(page.locator("#last-error-paystack").textContent().contains("HTTP 500"), page.locator("#last-error-paystack").textContent());
      check(page, "dashboard-providers-failing");

      page.fill("#priority-paystack", "5");
      page.locator("#connection-paystack input[name='enabled']").uncheck();
      page.click("#save-paystack");
      assertEquals("Saved paystack: disabled, priority 5.", page.locator("#notice").textContent());
      TestHttp.Response listed = gateway.get("/v1/provider_connections").bearer(shop.secret()).send();
      JsonObject connection = listed.data().getJsonObject(0);
      assertEquals(false, connection.getBoolean("enabled"));
      assertEquals(5, connection.getInteger("priority"));
      assertEquals("http://127.0.0.1:" + paystack.port(), connection.getString("api_base"), "the API base is kept");
      assertEquals("[\"secret_key\"]", connection.getJsonArray("credentials_set").encode(), "the key is kept");
    } finally {
      paystack.stop();
    }
    try (BrowserContext context = browser.desktop()) {
      Page page = context.newPage();
      signIn(page, "viewer.providers");
      page.navigate(url("/dashboard/providers"));
      assertEquals("failing", page.locator("#health-paystack").textContent(), "a viewer reads the health");
      assertEquals(0, page.locator("#save-paystack").count(), "but gets no form to change it");
      assertEquals(0, page.locator("#connect-paystack").count());
      Page direct = context.newPage();
      direct.navigate(url("/dashboard/providers"));
      String csrf = direct.locator("input[name='_csrf']").first().getAttribute("value");
      var refused = direct.request().post(url("/dashboard/providers/paystack/settings"), RequestOptions.create()
          .setForm(FormData.create().set("_csrf", csrf).set("enabled", "true").set("priority", "9")));
      assertTrue(refused.text().contains("developer"), "the API's role rule refuses the viewer");
      assertEquals(5, gateway.get("/v1/provider_connections").bearer(shop.secret()).send().data().getJsonObject(0).getInteger("priority"));
    }
  }

  static TestHttp.Response paystackPayment(TestGateway.Merchant shop, String reference) {
    return gateway.post("/v1/payments").bearer(shop.secret()).json(new JsonObject()
        .put("amount", 5000).put("currency", "NGN").put("reference", reference).put("provider", "paystack")
        .put("customer", new JsonObject().put("email", "chidi@example.com"))).send();
  }
}
