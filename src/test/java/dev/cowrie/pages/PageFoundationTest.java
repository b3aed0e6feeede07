package dev.cowrie.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.SameSiteAttribute;
import dev.cowrie.testing.Browser;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What every page shares, seen from a real browser: security headers, the session cookie, CSRF, assets, axe. */
class PageFoundationTest {
  static TestGateway gateway;
  static Browser browser;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(PageFoundationTest.class);
    browser = Browser.launch();
  }

  @AfterAll
  static void stop() {
    browser.close();
    gateway.close();
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + gateway.port + path;
  }

  @Test
  void aPageCarriesTheSecurityHeadersAndAnHttpOnlySessionCookie() {
    try (BrowserContext person = browser.phone()) {
      Page page = person.newPage();
      Response response = page.navigate(url("/pages/signed_out?return=/checkout/x"));
      assertEquals(200, response.status());
      String csp = response.headerValue("content-security-policy");
      assertTrue(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), csp);
      assertEquals("nosniff", response.headerValue("x-content-type-options"));
      assertEquals("no-referrer", response.headerValue("referrer-policy"));
      assertEquals("You have signed out", page.locator("h1").textContent());
      assertEquals("/checkout/x", page.locator("#back").getAttribute("href"));
      // The stylesheet came from the jar and applied (no inline style is allowed by the CSP).
      assertEquals("rgb(11, 93, 75)", page.locator(".brand").evaluate("e => getComputedStyle(e).color"));
      List<Cookie> cookies = person.cookies();
      assertEquals(1, cookies.size());
      assertTrue(cookies.get(0).httpOnly, "the session cookie is HttpOnly");
      assertEquals(SameSiteAttribute.LAX, cookies.get(0).sameSite);
      assertEquals("", page.evaluate("() => document.cookie"), "no cookie is readable by scripts");
      Browser.screenshot(page, "foundation-signed-out");
      Browser.assertNoSeriousAxeViolations(page);
    }
  }

  @Test
  void aRedirectAfterSignOutNeverLeavesTheSite() {
    try (BrowserContext person = browser.phone()) {
      Page page = person.newPage();
      page.navigate(url("/pages/signed_out?return=//evil.example/x"));
      assertEquals("/", page.locator("#back").getAttribute("href"));
    }
  }

  @Test
  void aPostWithoutTheSessionsCsrfTokenIsRefusedWithAPage() {
    TestHttp.Response refused = gateway.post("/pages/sign_out")
        .raw("application/x-www-form-urlencoded", "_csrf=guess&return=/").send();
    assertEquals(403, refused.status());
    assertTrue(refused.headers().get("Content-Type").startsWith("text/html"));
    assertTrue(refused.body().toString().contains("did not come from this site"), refused.body().toString());
    assertTrue(refused.headers().get("Content-Security-Policy").contains("frame-ancestors 'none'"));
  }

  @Test
  void assetsAreServedFromTheJarWithCacheHeaders() {
    TestHttp.Response css = gateway.get("/assets/cowrie.css").send();
    assertEquals(200, css.status());
    assertTrue(css.headers().get("Content-Type").startsWith("text/css"));
    assertTrue(css.headers().get("Cache-Control").contains("max-age="), css.headers().get("Cache-Control"));
    assertEquals("nosniff", css.headers().get("X-Content-Type-Options"));
    assertEquals(404, gateway.get("/assets/../cowrie.yaml").send().status());
  }
}
