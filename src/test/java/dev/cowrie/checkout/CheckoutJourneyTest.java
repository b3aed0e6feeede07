package dev.cowrie.checkout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.cowrie.testing.Browser;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp;
import dev.cowrie.testing.WalletUsers;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A person pays a merchant's payment on Cowrie Checkout, in a real browser, and the merchant sees it. */
class CheckoutJourneyTest {
  static final Duration WAIT = Duration.ofSeconds(15);
  static TestGateway gateway;
  static Browser browser;
  static WebSocketClient sockets;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(CheckoutJourneyTest.class);
    browser = Browser.launch();
    sockets = gateway.vertx.createWebSocketClient();
  }

  @AfterAll
  static void stop() {
    browser.close();
    TestGateway.await(sockets.close());
    gateway.close();
  }

  static JsonObject createPayment(TestGateway.Merchant merchant, long amount, String description) {
    TestHttp.Response created = gateway.post("/v1/payments").bearer(merchant.secret()).idempotencyKey(UUID.randomUUID().toString())
        .json(new JsonObject().put("amount", amount).put("currency", "NGN").put("description", description)
            .put("reference", "order-" + amount)).send();
    assertEquals(201, created.status(), created.toString());
    return created.json();
  }

  /** A wallet user of the merchant with money and a PIN asked above 1,000.00 NGN. */
  static WalletUsers.User payer(TestGateway.Merchant merchant, String username) {
    WalletUsers.User user = WalletUsers.create(gateway, merchant, username);
    WalletUsers.topUp(gateway, user, 1_000_000, "NGN");
    TestHttp.Response pin = gateway.request(io.vertx.core.http.HttpMethod.PATCH, "/v1/me").bearer(user.token())
        .json(new JsonObject().put("pin", "4321").put("pin_limit", 100_000)).send();
    assertEquals(200, pin.status(), pin.toString());
    return user;
  }

  static List<JsonObject> stream(String secret) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.port)
        .setURI("/v1/events/stream").addHeader("Authorization", "Bearer " + secret);
    WebSocket socket = TestGateway.await(sockets.connect(options));
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    socket.textMessageHandler(text -> events.add(new JsonObject(text)));
    return events;
  }

  /** Signs in on the wallet step and confirms with the PIN; answers on the checkout page again. */
  static void payWithWallet(Page page, String username, String pin, String shotPrefix) {
    page.locator("#pay-wallet").click();
    Browser.screenshot(page, shotPrefix + "-wallet-sign-in");
    Browser.assertNoSeriousAxeViolations(page);
    page.getByLabel("Username", new Page.GetByLabelOptions().setExact(true)).fill(username);
    page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill(WalletUsers.PASSWORD);
    page.locator("#sign-in").click();
    PlaywrightAssertions.assertThat(page.locator("#balance")).hasText("₦10,000.00 NGN");
    Browser.screenshot(page, shotPrefix + "-wallet-confirm");
    Browser.assertNoSeriousAxeViolations(page);
    page.getByLabel("Your payment PIN").fill(pin);
    page.locator("#confirm").click();
  }

  @Test
  void aCustomerPaysFromTheirWalletWithThePinAndTheMerchantSeesIt() {
    TestGateway.Merchant merchant = gateway.createMerchant("Ada Shop");
    gateway.enableSandbox(merchant, "whsec_checkout_journey_one");
    WalletUsers.User ada = payer(merchant, "ada_pays");
    List<JsonObject> events = stream(merchant.secret());
    JsonObject payment = createPayment(merchant, 250_000, "Two bags of rice");
    String hostedUrl = payment.getString("hosted_url");
    assertTrue(hostedUrl.startsWith("http://127.0.0.1:" + gateway.port + "/checkout/"), hostedUrl);

    try (BrowserContext phone = browser.phone()) {
      Page page = phone.newPage();
      page.navigate(hostedUrl);
      PlaywrightAssertions.assertThat(page.locator("#merchant")).hasText("Ada Shop");
      PlaywrightAssertions.assertThat(page.locator("#amount")).hasText("₦2,500.00 NGN");
      PlaywrightAssertions.assertThat(page.locator("#description")).hasText("Two bags of rice");
      PlaywrightAssertions.assertThat(page.locator("#pay-sandbox")).isVisible();
      Browser.screenshot(page, "checkout-open");
      Browser.assertNoSeriousAxeViolations(page);

      payWithWallet(page, "ada_pays", "4321", "checkout");
      PlaywrightAssertions.assertThat(page.locator("#state")).hasText("Paid. Thank you!");
      assertEquals(0, page.locator("#pay-wallet").count(), "a paid payment offers no Pay button");
      Browser.screenshot(page, "checkout-succeeded");
      Browser.assertNoSeriousAxeViolations(page);
    }

    JsonObject paid = gateway.get("/v1/payments/" + payment.getString("id")).bearer(merchant.secret()).send().json();
    assertEquals("succeeded", paid.getString("status"));
    assertEquals("wallet", paid.getString("provider"));
    assertEquals(750_000, WalletUsers.available(gateway, ada, "NGN"));
    TestGateway.eventually("the merchant's stream got payment.succeeded", WAIT, () -> events.stream().anyMatch(event ->
        "payment.succeeded".equals(event.getString("type"))
            && payment.getString("id").equals(event.getJsonObject("data").getJsonObject("object").getString("id"))));
    JsonObject balance = gateway.get("/v1/balance").bearer(merchant.secret()).send().json();
    assertEquals(250_000L, balance.getJsonArray("available").getJsonObject(0).getLong("amount"));
    gateway.assertLedgerOk();

    // A refund goes back to the wallet it came from.
    TestHttp.Response refund = gateway.post("/v1/refunds").bearer(merchant.secret())
        .json(new JsonObject().put("payment", payment.getString("id")).put("amount", 50_000)).send();
    assertEquals(201, refund.status(), refund.toString());
    assertEquals("succeeded", refund.json().getString("status"));
    assertEquals(800_000, WalletUsers.available(gateway, ada, "NGN"));
    gateway.assertLedgerOk();
  }

  @Test
  void theDesktopPageUpdatesItselfWhenThePaymentIsMadeOnAPhone() {
    TestGateway.Merchant merchant = gateway.createMerchant("Bola Market");
    gateway.enableSandbox(merchant, "whsec_checkout_journey_two");
    payer(merchant, "bola_phone");
    JsonObject payment = createPayment(merchant, 150_000, "A blender");
    try (BrowserContext desktop = browser.desktop(); BrowserContext phone = browser.phone()) {
      Page onDesktop = desktop.newPage();
      onDesktop.navigate(payment.getString("hosted_url"));
      PlaywrightAssertions.assertThat(onDesktop.locator("#state")).hasText("Ready to pay");
      PlaywrightAssertions.assertThat(onDesktop.locator(".qr img")).isVisible();
      Browser.screenshot(onDesktop, "checkout-desktop-open");

      Page onPhone = phone.newPage();
      onPhone.navigate(payment.getString("hosted_url"));
      payWithWallet(onPhone, "bola_phone", "4321", "checkout-phone");
      PlaywrightAssertions.assertThat(onPhone.locator("#state")).hasText("Paid. Thank you!");

      // Nobody touches the desktop page: it follows the payment by itself.
      PlaywrightAssertions.assertThat(onDesktop.locator("#state")).hasText("Paid. Thank you!",
          new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(WAIT.toMillis()));
      assertEquals(0, onDesktop.locator("#pay-wallet").count());
      Browser.screenshot(onDesktop, "checkout-desktop-paid");
    }
  }

  @Test
  void aPaymentLinkWithAnAmountTheCustomerChoosesIsPaidOnTheSandbox() {
    TestGateway.Merchant merchant = gateway.createMerchant("School Fund");
    gateway.enableSandbox(merchant, "whsec_checkout_journey_three");
    JsonObject link = gateway.post("/v1/payment_links").bearer(merchant.secret())
        .json(new JsonObject().put("currency", "NGN").put("amount_min", 100_000).put("amount_max", 5_000_000)
            .put("description", "Donation to the school fund")).send().json();
    try (BrowserContext phone = browser.phone()) {
      Page page = phone.newPage();
      page.navigate(link.getString("url"));
      PlaywrightAssertions.assertThat(page.locator("#title")).hasText("Donation to the school fund");
      Browser.screenshot(page, "link-open");
      Browser.assertNoSeriousAxeViolations(page);
      page.getByLabel("Amount in NGN").fill("20");
      page.locator("#continue").click();
      PlaywrightAssertions.assertThat(page.locator("#error")).containsText("from 1000.00 NGN to 50000.00 NGN");
      Browser.assertNoSeriousAxeViolations(page);

      page.getByLabel("Amount in NGN").fill("1,250.50");
      page.locator("#continue").click();
      PlaywrightAssertions.assertThat(page.locator("#amount")).hasText("₦1,250.50 NGN");
      String checkoutUrl = page.url();
      assertTrue(checkoutUrl.contains("/checkout/"), checkoutUrl);
      Browser.screenshot(page, "link-checkout");

      page.locator("#pay-sandbox").click();
      page.locator("#pay").click();
      PlaywrightAssertions.assertThat(page.locator("#status")).hasText("Payment submitted.");
      page.navigate(checkoutUrl);
      PlaywrightAssertions.assertThat(page.locator("#state")).hasText("Paid. Thank you!",
          new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(WAIT.toMillis()));
      Browser.screenshot(page, "link-paid");
    }
    JsonObject payment = gateway.get("/v1/payments?reference=" + link.getString("id")).bearer(merchant.secret()).send()
        .data().getJsonObject(0);
    assertEquals("succeeded", payment.getString("status"));
    assertEquals(125_050L, payment.getLong("amount"));
    assertEquals("sandbox", payment.getString("provider"));
    assertEquals(link.getString("id"), payment.getJsonObject("metadata").getString("payment_link"));
    gateway.assertLedgerOk();
  }

  @Test
  void canceledAndExpiredCheckoutsOfferNoPayButtonAndNoCheckoutCanBeFramed() {
    TestGateway.Merchant merchant = gateway.createMerchant("Closed Shop");
    gateway.enableSandbox(merchant, "whsec_checkout_journey_six");
    JsonObject canceled = createPayment(merchant, 90_000, "Canceled order");
    assertEquals(200, gateway.post("/v1/payments/" + canceled.getString("id") + "/cancel").bearer(merchant.secret()).send().status());
    JsonObject stale = createPayment(merchant, 80_000, "Forgotten order");
    try (BrowserContext phone = browser.phone()) {
      Page page = phone.newPage();
      page.navigate(canceled.getString("hosted_url"));
      PlaywrightAssertions.assertThat(page.locator("#state")).hasText("This payment was canceled");
      assertEquals(0, page.locator(".methods").count(), "no way to pay a canceled payment");
      Browser.screenshot(page, "checkout-canceled");
      Browser.assertNoSeriousAxeViolations(page);

      gateway.clock.advance(Duration.ofHours(25));
      try {
        page.navigate(stale.getString("hosted_url"));
        PlaywrightAssertions.assertThat(page.locator("#state")).hasText("This checkout has expired");
        assertEquals(0, page.locator(".methods").count(), "no way to pay an expired checkout");
        Browser.screenshot(page, "checkout-expired");
        Browser.assertNoSeriousAxeViolations(page);
      } finally {
        gateway.clock.advance(Duration.ofHours(-25));
      }
    }

    JsonObject open = createPayment(merchant, 70_000, "Framed order");
    try (BrowserContext desktop = browser.desktop()) {
      Page attacker = desktop.newPage();
      // Another origin (about:blank) frames the checkout: CSP frame-ancestors 'none' makes the browser refuse it.
      attacker.setContent("<h1>Win a prize</h1><iframe id=\"framed\" src=\"" + open.getString("hosted_url") + "\"></iframe>");
      assertEquals(2, attacker.frames().size());
      assertEquals(0, attacker.frames().get(1).locator("#merchant").count(), "the framed checkout did not render");
      assertEquals(0, attacker.frameLocator("#framed").locator("#pay-wallet").count());
      Page direct = desktop.newPage();
      direct.navigate(open.getString("hosted_url"));
      PlaywrightAssertions.assertThat(direct.locator("#merchant")).hasText("Closed Shop");
    }
  }
}
