package dev.cowrie.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.cowrie.testing.Browser;
import dev.cowrie.testing.TeamMembers;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp;
import dev.cowrie.testing.WebhookReceiver;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's ways to find things, in a real browser: the Payments filters and search (kept in
 * the URL, honoured by the CSV), a payment's timeline (provider calls and callbacks, status changes,
 * webhook deliveries) and the events explorer. Every page is checked with axe.
 */
class DashboardExplorerJourneysTest {
  static TestGateway gateway;
  static Browser browser;
  static WebhookReceiver receiver;
  static TestGateway.Merchant merchant;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(DashboardExplorerJourneysTest.class);
    browser = Browser.launch();
    receiver = new WebhookReceiver();
    merchant = gateway.createMerchant("Explorer Stores");
    gateway.enableSandbox(merchant, "explorer_secret_0123456789abcdef");
    TeamMembers.invite(gateway, merchant, "eve.developer", "developer");
  }

  @AfterAll
  static void stop() {
    browser.close();
    gateway.close();
    receiver.close();
  }

  static String url(String path) {
    return "http://127.0.0.1:" + gateway.port + path;
  }

  static Page signedIn(BrowserContext context) {
    Page page = context.newPage();
    page.navigate(url("/dashboard/login"));
    page.fill("#username", "eve.developer");
    page.fill("#password", TeamMembers.PASSWORD);
    page.click("#sign-in");
    page.waitForURL(url("/dashboard"));
    return page;
  }

  @Test
  void filtersAndSearchNarrowThePaymentsAndTheCsvFollows() {
    String small = payment(5_000, "NGN", "chidi@example.com", "order-small");
    String large = payment(90_000, "NGN", "bola@example.com", "order-large");
    String cedis = payment(7_000, "GHS", "chidi@example.com", "order-cedis");
    try (BrowserContext context = browser.desktop()) {
      Page page = signedIn(context);
      page.navigate(url("/dashboard/payments"));
      assertTrue(rows(page).containsAll(List.of(small, large, cedis)), rows(page).toString());

      page.fill("#f-currency", "NGN");
      page.fill("#f-amount_min", "500");
      page.fill("#f-amount_max", "1,000");
      page.click("#payment-filters button[type=submit]");
      page.waitForURL("**/dashboard/payments?*");
      assertEquals(List.of(large), rows(page), "NGN 500.00 to 1,000.00 is the large one only");
      assertTrue(page.url().contains("currency=NGN") && page.url().contains("amount_min=500"), "the filters stay in the URL: " + page.url());
      assertEquals("NGN", page.locator("#f-currency").inputValue(), "and in the form");

      page.navigate(url("/dashboard/payments"));
      page.fill("#f-search", "chidi@example.com");
      page.selectOption("#f-provider", "sandbox");
      page.click("#payment-filters button[type=submit]");
      page.waitForURL("**/dashboard/payments?*");
      assertEquals(List.of(cedis, small), rows(page), "search by email, newest first");
      Browser.assertNoSeriousAxeViolations(page);
      Browser.screenshot(page, "dashboard-payments-filters");
      String csv = page.request().get(url(page.locator("#export-csv").getAttribute("href"))).text();
      assertEquals(3, csv.strip().split("\r\n").length, "a header and the two filtered payments: " + csv);
      assertTrue(csv.contains(small) && csv.contains(cedis) && !csv.contains(large), csv);

      page.navigate(url("/dashboard/payments?amount_min=10"));
      assertTrue(page.locator("#f-amount_min-error").textContent().contains("currency"), "the error sits by its field");
      page.navigate(url("/dashboard/payments?currency=naira"));
      assertTrue(page.locator("#f-currency-error").textContent().contains("ISO 4217"), "the API's own message");
      Browser.assertNoSeriousAxeViolations(page);
    }
  }

  @Test
  void aPaymentsTimelineShowsItsProviderCallsCallbacksStatusChangesAndWebhooks() {
    TestHttp.Response endpoint = gateway.post("/v1/webhook_endpoints").bearer(merchant.secret()).json(new JsonObject()
        .put("url", receiver.url("/hooks/explorer")).put("events", new JsonArray().add("payment.succeeded"))).send();
    assertEquals(201, endpoint.status(), endpoint.toString());
    String endpointId = endpoint.json().getString("id");
    String id = payment(25_000, "NGN", "ada@example.com", "order-timeline");
    gateway.payOnSandbox(merchant, id);
    try (BrowserContext context = browser.desktop()) {
      Page page = signedIn(context);
      gateway.eventually(() -> {
        page.navigate(url("/dashboard/payments/" + id));
        return page.locator("#timeline li[data-kind=webhook]").allTextContents().toString();
      }, text -> text.contains("delivered"), 15_000);
      String timeline = page.locator("#timeline").textContent();
      assertTrue(page.locator("#timeline li[data-kind=attempt]").first().textContent().contains("ms"), timeline);
      assertTrue(page.locator("#timeline li[data-kind=provider_event]").allTextContents().toString().contains("sandbox sent payment.succeeded"),
          timeline);
      List<String> statuses = page.locator("#timeline li[data-kind=status] strong").allTextContents();
      assertTrue(statuses.indexOf("payment.created") == 0 && statuses.contains("payment.succeeded"), statuses.toString());
      String webhook = page.locator("#timeline li[data-kind=webhook]").first().textContent();
      assertTrue(webhook.contains(endpointId) && webhook.contains("HTTP 200"), webhook);
      Browser.assertNoSeriousAxeViolations(page);
      Browser.screenshot(page, "dashboard-payment-timeline");
      page.locator("#timeline li[data-kind=webhook] a").first().click();
      page.waitForURL(url("/dashboard/developers/webhooks/" + endpointId));
      assertTrue(page.locator("#deliveries").textContent().contains("payment.succeeded"), "the link opens the delivery log");
    }
  }

  @Test
  void theEventsExplorerFiltersByTypePagesAndShowsAnEventWithItsDeliveries() {
    for (int i = 0; i < 27; i++) {
      gateway.recordEvent(merchant.id(), "test", "transfer.completed", new JsonObject().put("id", "tr_explorer_" + i)
          .put("object", "transfer").put("amount", 100 + i).put("currency", "NGN"));
    }
    String id = payment(3_000, "NGN", "ada@example.com", "order-explorer");
    try (BrowserContext context = browser.desktop()) {
      Page page = signedIn(context);
      page.navigate(url("/dashboard/developers"));
      page.click("#events-link");
      page.selectOption("#f-type", "transfer.completed");
      page.click("form[aria-label='Filter events'] button[type=submit]");
      page.waitForURL("**/dashboard/developers/events?type=transfer.completed");
      assertEquals(25, page.locator("#events tbody tr").count());
      assertEquals(25, page.locator("#events tbody tr[data-type='transfer.completed']").count(), "only that type");
      Browser.assertNoSeriousAxeViolations(page);
      Browser.screenshot(page, "dashboard-events");
      page.click("#next-page");
      assertEquals(2, page.locator("#events tbody tr").count(), "the older two, on the next page");
      assertTrue(page.url().contains("type=transfer.completed"), "the filter stays on the next page: " + page.url());

      page.navigate(url("/dashboard/developers/events?type=payment.created"));
      page.locator("#events tbody tr").first().locator("a").click();
      assertEquals("payment.created", page.locator("#event-type").textContent());
      assertTrue(page.locator("#payload").textContent().contains("\"id\" : \"" + id + "\""), page.locator("#payload").textContent());
      assertTrue(page.locator("#no-deliveries").isVisible(), "no endpoint subscribes to payment.created");
      Browser.assertNoSeriousAxeViolations(page);
      page.click("#object-link");
      page.waitForURL(url("/dashboard/payments/" + id));
    }
  }

  private static List<String> rows(Page page) {
    return page.locator("#payments-table tbody tr").all().stream().map(row -> row.getAttribute("data-id")).toList();
  }

  private static String payment(long amount, String currency, String email, String reference) {
    TestHttp.Response created = gateway.post("/v1/payments").bearer(merchant.secret()).json(new JsonObject()
        .put("amount", amount).put("currency", currency).put("reference", reference)
        .put("customer", new JsonObject().put("email", email))).send();
    assertEquals(201, created.status(), created.toString());
    return created.json().getString("id");
  }
}
