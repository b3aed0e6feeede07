package dev.cowrie.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.common.Ids;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * GET /v1/payments filters: each narrows the list to exactly the payments it names, they combine,
 * cursor pagination keeps the filter, and a bad value answers 400 parameter_invalid naming it.
 */
class PaymentFiltersTest {
  static TestGateway gateway;
  static TestGateway.Merchant merchant;
  static String ngnSmall;
  static String ngnLarge;
  static String ghs;
  static String kes;
  static String oldPaystack;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(PaymentFiltersTest.class);
    merchant = gateway.createMerchant("Filter Shop");
    gateway.enableSandbox(merchant, "filters_secret_0123456789abcdef");
    ngnSmall = create(1_000, "NGN", "ada@example.com", "order-1");
    ngnLarge = create(900_000, "NGN", "Bola@Example.com", "order-2");
    ghs = create(5_000, "GHS", "ada@example.com", "order-3");
    kes = create(7_000, "KES", "chi@example.com", "order-4");
    // A payment taken through Paystack ten days ago: arranged in the table, since only its provider and age matter here.
    oldPaystack = Ids.next("pay");
    gateway.query("""
        INSERT INTO payments (id, merchant_id, mode, amount, currency, status, provider, reference, customer, created_at, updated_at)
        VALUES ($1, $2, 'test', 3000, 'NGN', 'failed', 'paystack', 'order-0', '{"email":"old@example.com"}'::jsonb,
          now() - interval '10 days', now() - interval '10 days')""", oldPaystack, merchant.id());
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void withoutFiltersEveryPaymentIsListed() {
    assertEquals(Set.of(ngnSmall, ngnLarge, ghs, kes, oldPaystack), ids(""));
  }

  @Test
  void eachFilterNarrowsTheList() {
    assertEquals(Set.of(oldPaystack), ids("provider=paystack"));
    assertEquals(Set.of(ngnSmall, ngnLarge, ghs, kes), ids("provider=sandbox"));
    assertEquals(Set.of(ngnSmall, ngnLarge, oldPaystack), ids("currency=NGN"));
    assertEquals(Set.of(ghs), ids("currency=GHS"));
    assertEquals(Set.of(oldPaystack), ids("status=failed"));
    assertEquals(Set.of(kes), ids("reference=order-4"));
    assertEquals(Set.of(ngnSmall, ghs), ids("customer_email=ADA@example.com"));
    assertEquals(Set.of(ngnLarge), ids("customer_email=bola@example.com"));
    assertEquals(Set.of(ghs, kes, oldPaystack), ids("amount_min=3000&amount_max=7000"));
    assertEquals(Set.of(ngnLarge), ids("amount_min=7001"));
    assertEquals(Set.of(ngnSmall), ids("amount_max=2999"));
  }

  @Test
  void theCreatedRangeIncludesSinceAndExcludesUntil() {
    String fiveDaysAgo = encode(java.time.Instant.now().minus(java.time.Duration.ofDays(5)).toString());
    assertEquals(Set.of(oldPaystack), ids("until=" + fiveDaysAgo));
    assertEquals(Set.of(ngnSmall, ngnLarge, ghs, kes), ids("since=" + fiveDaysAgo));
    JsonObject paystack = gateway.get("/v1/payments/" + oldPaystack).bearer(merchant.secret()).send().json();
    String created = paystack.getString("created_at");
    assertEquals(Set.of(oldPaystack), ids("since=" + encode(created) + "&until=" + fiveDaysAgo));
    assertEquals(Set.of(), ids("until=" + encode(created)));
  }

  @Test
  void searchFindsByIdReferenceOrEmail() {
    assertEquals(Set.of(ghs), ids("search=" + ghs));
    assertEquals(Set.of(ngnLarge), ids("search=order-2"));
    assertEquals(Set.of(ngnSmall, ghs), ids("search=Ada@Example.com"));
    assertEquals(Set.of(), ids("search=nothing-like-this"));
    assertEquals(Set.of(ghs), ids("search=ada@example.com&currency=GHS"));
  }

  @Test
  void paginationKeepsTheFilter() {
    List<String> seen = new ArrayList<>();
    String query = "/v1/payments?limit=1&provider=sandbox&amount_min=2000";
    Response page = gateway.get(query).bearer(merchant.secret()).send();
    while (true) {
      assertEquals(200, page.status(), page.toString());
      assertEquals(1, page.data().size(), page.toString());
      seen.add(page.data().getJsonObject(0).getString("id"));
      if (!page.json().getBoolean("has_more")) {
        break;
      }
      page = gateway.get(query + "&starting_after=" + seen.get(seen.size() - 1)).bearer(merchant.secret()).send();
    }
    assertEquals(List.of(kes, ghs, ngnLarge), seen, "newest first, only what the filter admits, each once");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "provider=nope|provider", "currency=ngn|currency", "currency=XYZ|currency", "since=yesterday|since",
      "until=2026-13-01T00:00:00Z|until", "since=2026-11-30T00:00:00Z&until=2026-11-29T00:00:00Z|until",
      "amount_min=0|amount_min", "amount_max=12.5|amount_max", "amount_min=10&amount_max=9|amount_max",
      "customer_email=not-an-email|customer_email", "status=paid|status", "limit=0|limit"})
  void aBadValueIsRefusedNamingItsParameter(String query, String param) {
    Response refused = gateway.get("/v1/payments?" + query).bearer(merchant.secret()).send();
    assertEquals(400, refused.status(), refused.toString());
    JsonObject error = refused.json().getJsonObject("error");
    assertEquals("parameter_invalid", error.getString("code"), refused.toString());
    assertEquals(param, error.getString("param"), refused.toString());
    assertFalse(error.getString("message").isBlank());
  }

  @Test
  void anotherMerchantsFilterFindsNoneOfThese() {
    TestGateway.Merchant other = gateway.createMerchant("Other Filter Shop");
    Response list = gateway.get("/v1/payments?search=" + ghs).bearer(other.secret()).send();
    assertEquals(200, list.status(), list.toString());
    assertTrue(list.data().isEmpty(), list.toString());
  }

  private static Set<String> ids(String query) {
    Response list = gateway.get("/v1/payments?limit=100&" + query).bearer(merchant.secret()).send();
    assertEquals(200, list.status(), list.toString());
    return list.data().stream().map(JsonObject.class::cast).map(p -> p.getString("id")).collect(Collectors.toSet());
  }

  private static String create(long amount, String currency, String email, String reference) {
    Response created = gateway.post("/v1/payments").bearer(merchant.secret()).json(new JsonObject().put("amount", amount)
        .put("currency", currency).put("reference", reference).put("customer", new JsonObject().put("email", email))).send();
    assertEquals(201, created.status(), created.toString());
    return created.json().getString("id");
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
