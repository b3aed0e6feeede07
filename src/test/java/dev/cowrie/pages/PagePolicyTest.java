package dev.cowrie.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp;
import dev.cowrie.testing.WalletUsers;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The page policy over plain HTTP: CSRF bound to the session, a new session at sign-in, sign-in rate-limited, Secure cookies on https. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the rate-limit test empties the client IP's bucket: it runs last
class PagePolicyTest {
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
  static TestGateway gateway;
  static TestGateway.Merchant merchant;
  static String walletPath;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(PagePolicyTest.class, Map.of("COWRIE_RATE_LIMIT_PER_IP_AUTH_BURST", "5",
        "COWRIE_RATE_LIMIT_PER_IP_AUTH_PER_SECOND", "1"));
    merchant = gateway.createMerchant("Policy Shop");
    gateway.enableSandbox(merchant, "whsec_page_policy_test");
    WalletUsers.create(gateway, merchant, "policy_user");
    JsonObject payment = gateway.post("/v1/payments").bearer(merchant.secret()).idempotencyKey(UUID.randomUUID().toString())
        .json(new JsonObject().put("amount", 1000).put("currency", "NGN")).send().json();
    walletPath = payment.getString("hosted_url").replaceFirst("^http://[^/]+", "") + "/wallet";
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  /** A browser's first visit: its session cookie and the CSRF token the page's forms carry. */
  record Visit(String cookie, String csrf) {}

  static Visit visit() {
    TestHttp.Response page = gateway.get(walletPath).send();
    assertEquals(200, page.status(), page.toString());
    Matcher csrf = CSRF.matcher(page.body().toString());
    assertTrue(csrf.find(), "the form carries a CSRF token");
    return new Visit(cookie(page), csrf.group(1));
  }

  static String cookie(TestHttp.Response response) {
    List<String> cookies = response.headers().getAll("Set-Cookie");
    assertEquals(1, cookies.size(), cookies.toString());
    return cookies.get(0).split(";")[0];
  }

  static TestHttp.Response signIn(Visit visit, String csrf, String password) {
    return gateway.post(walletPath.replace("/wallet", "/wallet/sign_in")).header("Cookie", visit.cookie())
        .raw("application/x-www-form-urlencoded", "_csrf=" + csrf + "&username=policy_user&password=" + password.replace(" ", "+"))
        .send();
  }

  @Test
  @Order(1)
  void theCookieIsHttpOnlyLaxAndNotSecureOnPlainHttp() {
    TestHttp.Response page = gateway.get(walletPath).send();
    String header = page.headers().get("Set-Cookie");
    assertTrue(header.startsWith("cowrie_page=") && header.contains("HttpOnly") && header.contains("SameSite=Lax"), header);
    assertTrue(!header.contains("Secure"), header);
  }

  @Test
  @Order(3)
  void behindAnHttpsPublicUrlTheCookieIsSecureAndHostBound() {
    try (TestGateway https = TestGateway.start(PagePolicyTest.class, Map.of("COWRIE_PUBLIC_URL", "https://pay.example"))) {
      String header = https.get("/pages/signed_out").send().headers().get("Set-Cookie");
      assertTrue(header.startsWith("__Host-cowrie_page=") && header.contains("Secure") && header.contains("HttpOnly")
          && header.contains("Path=/"), header);
    }
  }

  @Test
  @Order(2)
  void aCsrfTokenOfAnotherSessionIsRefusedAndSigningInStartsANewSession() {
    Visit mine = visit();
    Visit theirs = visit();
    TestHttp.Response forged = signIn(mine, theirs.csrf(), WalletUsers.PASSWORD);
    assertEquals(403, forged.status(), forged.toString());

    TestHttp.Response signedIn = signIn(mine, mine.csrf(), WalletUsers.PASSWORD);
    assertEquals(303, signedIn.status(), signedIn.toString());
    assertEquals(walletPath, signedIn.headers().get("Location"));
    String after = cookie(signedIn);
    assertNotEquals(mine.cookie(), after, "a sign-in gets a new session id (no fixation)");
    TestHttp.Response confirm = gateway.get(walletPath).header("Cookie", after).send();
    assertTrue(confirm.body().toString().contains("Signed in as <strong>policy_user</strong>"), confirm.toString());
    TestHttp.Response old = gateway.get(walletPath).header("Cookie", mine.cookie()).send();
    assertTrue(!old.body().toString().contains("Signed in as"), "the pre-sign-in session is gone");
  }

  @Test
  @Order(4)
  void signInAttemptsAreRateLimitedPerClientIp() {
    Visit visit = visit();
    int limited = 0;
    TestHttp.Response last = null;
    for (int i = 0; i < 12; i++) {
      last = signIn(visit, visit.csrf(), "wrong password " + i);
      if (last.status() == 429) {
        limited++;
      } else {
        assertEquals(401, last.status(), last.toString());
        assertTrue(last.body().toString().contains("Wrong username or password"), last.toString());
      }
    }
    assertTrue(limited > 0, "twelve quick sign-ins with a burst of 5 must be limited");
    assertEquals(429, last.status());
    assertTrue(Integer.parseInt(last.headers().get("Retry-After")) >= 1);
    assertTrue(last.headers().get("Content-Type").startsWith("text/html"));
  }
}
