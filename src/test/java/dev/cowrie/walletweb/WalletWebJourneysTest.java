package dev.cowrie.walletweb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.cowrie.testing.Browser;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import dev.cowrie.testing.WalletUsers;
import dev.cowrie.testing.WalletUsers.User;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 journeys 4 and 5 in a real browser: a payment request's page (signature valid, a
 * tampered link invalid, paying from the wallet moves the tally live) and the wallet web (two
 * people in two browsers chat and pay a request inside the chat, both see it live).
 */
class WalletWebJourneysTest {
  static final LocatorAssertions.ContainsTextOptions LIVE = new LocatorAssertions.ContainsTextOptions().setTimeout(20_000);
  static TestGateway gateway;
  static Browser browser;
  static TestGateway.Merchant merchant;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(WalletWebJourneysTest.class, Map.of(
        "COWRIE_RATE_LIMIT_PER_IP_AUTH_PER_SECOND", "100", "COWRIE_RATE_LIMIT_PER_IP_AUTH_BURST", "100"));
    browser = Browser.launch();
    merchant = gateway.createMerchant("People's Wallet");
    gateway.enableSandbox(merchant, "walletweb_secret_0123456789abcdef");
  }

  @AfterAll
  static void stop() {
    browser.close();
    gateway.close();
  }

  static String url(String path) {
    return "http://127.0.0.1:" + gateway.port + path;
  }

  static void setPin(User user, String pin, long limit) {
    Response set = gateway.request(io.vertx.core.http.HttpMethod.PATCH, "/v1/me").bearer(user.token())
        .json(new JsonObject().put("pin", pin).put("pin_limit", limit)).send();
    assertEquals(200, set.status(), set.toString());
  }

  @Test
  void theRequestPageShowsTheSignatureRefusesATamperedLinkAndAWalletPaymentMovesTheTallyLive() {
    User kemi = WalletUsers.create(gateway, merchant, "kemi.web");
    User tunde = WalletUsers.create(gateway, merchant, "tunde.web");
    WalletUsers.topUp(gateway, tunde, 5_000, "NGN");
    setPin(tunde, "4321", 1_000);
    Response created = gateway.post("/v1/payment_requests").bearer(kemi.token()).json(new JsonObject().put("amount", 2_500)
        .put("currency", "NGN").put("description", "Jollof for the team").put("accepts", new JsonArray()
            .add(new JsonObject().put("method", "BTC").put("address", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")))).send();
    assertEquals(201, created.status(), created.toString());
    String payUrl = created.json().getString("pay_url");
    String path = payUrl.substring(payUrl.indexOf("/pay/"));
    String id = created.json().getString("id");

    try (BrowserContext desktop = browser.desktop(); BrowserContext phone = browser.phone()) {
      Page watching = desktop.newPage(); // kemi's own screen, left open
      watching.navigate(url(path));
      PlaywrightAssertions.assertThat(watching.locator("#tally")).containsText("0.00");

      Page page = phone.newPage();
      page.navigate(url(path));
      PlaywrightAssertions.assertThat(page.locator("#signature")).containsText("Signature valid");
      assertEquals("kemi.web", page.locator("#payee").textContent());
      PlaywrightAssertions.assertThat(page.locator("#amount")).containsText("25.00");
      PlaywrightAssertions.assertThat(page.locator("#amount")).containsText("NGN");
      PlaywrightAssertions.assertThat(page.locator(".accept code")).hasText("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4");
      assertTrue((Boolean) page.locator(".accept img").evaluate("img => img.complete && img.naturalWidth > 0"), "the address QR loaded");
      Browser.screenshot(page, "request-page");
      Browser.assertNoSeriousAxeViolations(page);

      // "I have paid" by another method: a signed claim for the payee, the tally does not move.
      page.fill("#claim-name", "Bisi");
      page.fill("#claim-amount", "5.00");
      page.fill("#claim-proof", "btc tx 4f3a");
      page.click("#claim");
      PlaywrightAssertions.assertThat(page.locator("#notice")).containsText("Your claim was sent to kemi.web");
      assertTrue(page.locator("#confirmation").inputValue().length() > 40, "the signed confirmation message is shown");
      PlaywrightAssertions.assertThat(page.locator("#tally")).containsText("0.00");

      // Sign in on the page, then pay above the PIN limit: first without the PIN, then with it.
      page.fill("#username", "tunde.web");
      page.fill("#password", WalletUsers.PASSWORD);
      page.click("#sign-in");
      PlaywrightAssertions.assertThat(page.locator("#payer")).hasText("tunde.web");
      page.fill("#pay-amount", "15.00");
      page.click("#pay");
      PlaywrightAssertions.assertThat(page.locator("#error")).hasAttribute("data-code", "pin_required");
      page.fill("#pay-amount", "15.00");
      page.fill("#pay-pin", "4321");
      page.click("#pay");
      PlaywrightAssertions.assertThat(page.locator("#notice")).containsText("Paid");
      PlaywrightAssertions.assertThat(page.locator("#tally")).containsText("15.00");
      PlaywrightAssertions.assertThat(watching.locator("#tally")).containsText("15.00", LIVE);
      Browser.screenshot(page, "request-page-paid");
      Browser.assertNoSeriousAxeViolations(page);
      Browser.screenshot(watching, "request-page-desktop");
    }
    JsonObject request = gateway.get("/v1/payment_requests/" + id).bearer(kemi.token()).send().json();
    assertEquals(1_500L, request.getLong("paid_amount"));
    assertEquals("partially_paid", request.getString("status"));
    assertEquals(3_500L, WalletUsers.available(gateway, tunde, "NGN"));
    assertEquals(1_500L, WalletUsers.available(gateway, kemi, "NGN"));

    String message = created.json().getString("encoded_message");
    char flip = message.charAt(20) == 'A' ? 'B' : 'A';
    String tampered = "/pay/" + message.substring(0, 20) + flip + message.substring(21);
    try (BrowserContext phone = browser.phone()) {
      Page page = phone.newPage();
      page.navigate(url(tampered));
      PlaywrightAssertions.assertThat(page.locator("h1")).hasText("This payment request is not valid");
      PlaywrightAssertions.assertThat(page.locator("#signature")).containsText("Signature invalid");
      assertEquals(0, page.locator("form").count(), "no way to pay a tampered request");
      assertEquals(0, page.locator("#amount").count());
      Browser.screenshot(page, "request-page-tampered");
      Browser.assertNoSeriousAxeViolations(page);
    }
    assertEquals(200, gateway.get(path).send().status(), "API clients still get JSON at the pay URL");
    assertTrue(gateway.get(path).send().json().getBoolean("valid"));
    gateway.assertLedgerOk();
  }

  @Test
  void twoPeopleChatAndPayARequestInsideTheChatAndBothSeeItLive() {
    String wallet = url("/wallet?app=" + merchant.publishable());
    try (BrowserContext adasPhone = browser.phone(); BrowserContext bensPhone = browser.phone()) {
      Page ada = adasPhone.newPage();
      ada.navigate(wallet);
      Browser.assertNoSeriousAxeViolations(ada);
      Browser.screenshot(ada, "wallet-sign-in");
      ada.fill("#username", "ada.web");
      ada.fill("#password", WalletUsers.PASSWORD);
      ada.click("#sign-up");
      PlaywrightAssertions.assertThat(ada.locator("#me")).hasText("ada.web");

      // Top up through the provider's checkout, back to the wallet with the money.
      ada.fill("#topup-amount", "50.00");
      ada.click("#topup");
      ada.click("#pay-sandbox"); // Cowrie's hosted checkout: a top-up is paid with a provider, never from the wallet itself
      ada.click("#pay"); // the sandbox provider's checkout page
      ada.navigate(url("/wallet"));
      waitForBalance(ada, "50.00");

      Page ben = bensPhone.newPage();
      ben.navigate(wallet);
      ben.fill("#username", "ben.web");
      ben.fill("#password", WalletUsers.PASSWORD);
      ben.click("#sign-up");
      PlaywrightAssertions.assertThat(ben.locator("#me")).hasText("ben.web");

      ada.fill("#room-name", "Suya night");
      ada.fill("#room-members", "ben.web");
      ada.click("#new-room");
      PlaywrightAssertions.assertThat(ada.locator("#title")).hasText("Suya night");
      PlaywrightAssertions.assertThat(ada.locator("#connection")).hasText("Live", new LocatorAssertions.HasTextOptions().setTimeout(20_000));

      ben.navigate(url("/wallet"));
      ben.click("#rooms a");
      PlaywrightAssertions.assertThat(ben.locator("#connection")).hasText("Live", new LocatorAssertions.HasTextOptions().setTimeout(20_000));
      PlaywrightAssertions.assertThat(ada.locator("[data-user='ben.web'] .state")).hasText("online",
          new LocatorAssertions.HasTextOptions().setTimeout(20_000));

      ada.fill("#text", "Suya tonight? I owe you for last time");
      ada.press("#text", "Enter");
      PlaywrightAssertions.assertThat(ben.locator("#messages")).containsText("Suya tonight?", LIVE);

      ben.click("#ask summary");
      ben.fill("#ask-amount", "12.50");
      ben.fill("#ask-description", "last time's suya");
      ben.click("#ask-send");
      Locator payButton = ada.locator("#messages button.pay");
      PlaywrightAssertions.assertThat(payButton).containsText("12.50", LIVE);
      payButton.click();
      ada.click("#pay-confirm");
      PlaywrightAssertions.assertThat(ada.locator("#messages")).containsText("ada.web paid", LIVE);
      PlaywrightAssertions.assertThat(ben.locator("#messages")).containsText("ada.web paid", LIVE);
      PlaywrightAssertions.assertThat(ben.locator("#messages .message.transfer").last()).containsText(Pattern.compile("12\\.50.*of.*12\\.50.*\\(paid\\)"));
      PlaywrightAssertions.assertThat(payButton).hasCount(0); // paid in full: nothing left to pay
      Browser.screenshot(ada, "wallet-chat-payer");
      Browser.screenshot(ben, "wallet-chat-payee");
      Browser.assertNoSeriousAxeViolations(ada);

      ben.navigate(url("/wallet"));
      PlaywrightAssertions.assertThat(ben.locator("#balances")).containsText("12.50");
      PlaywrightAssertions.assertThat(ben.locator("#history")).containsText("ada.web");
      PlaywrightAssertions.assertThat(ben.locator("#asked-by-you")).containsText("paid");
      gateway.eventually(() -> {
        ben.reload();
        return ben.locator("#rooms").textContent();
      }, rooms -> !rooms.contains("unread"), 20_000);
      Browser.screenshot(ben, "wallet-home");
      Browser.assertNoSeriousAxeViolations(ben);
    }
    gateway.assertLedgerOk();
  }

  /** The top-up's money lands once the provider's callback is in: reload until the balance shows it. */
  static void waitForBalance(Page page, String amount) {
    gateway.eventually(() -> {
      page.reload();
      return page.locator("#balances").textContent();
    }, text -> text.contains(amount), 20_000);
  }
}
