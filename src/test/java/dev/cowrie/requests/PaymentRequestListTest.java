package dev.cowrie.requests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import dev.cowrie.testing.WalletUsers;
import dev.cowrie.testing.WalletUsers.User;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET /v1/payment_requests: scoped to the caller, filtered by status (expired included), paged by cursor. */
class PaymentRequestListTest {
  static TestGateway gateway;
  static TestGateway.Merchant merchant;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(PaymentRequestListTest.class);
    merchant = gateway.createMerchant("Request lists");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static String create(String credential, long amount) {
    Response created = gateway.post("/v1/payment_requests").bearer(credential)
        .json(new JsonObject().put("amount", amount).put("currency", "USD").put("description", "list " + amount)).send();
    assertEquals(201, created.status(), created.toString());
    return created.json().getString("id");
  }

  static List<String> ids(JsonArray data) {
    return data.stream().map(item -> ((JsonObject) item).getString("id")).toList();
  }

  @Test
  void listsFiltersAndPages() {
    String first = create(merchant.secret(), 100);
    String second = create(merchant.secret(), 200);
    String third = create(merchant.secret(), 300);
    User ada = WalletUsers.create(gateway, merchant, "ada.lists");
    String adas = create(ada.token(), 400);

    Response mine = gateway.get("/v1/payment_requests").bearer(ada.token()).send();
    assertEquals(200, mine.status(), mine.toString());
    assertEquals(List.of(adas), ids(mine.data()), "a wallet user lists the requests it asked for");

    Response page1 = gateway.get("/v1/payment_requests?limit=2").bearer(merchant.secret()).send();
    assertEquals(List.of(adas, third), ids(page1.data()));
    assertTrue(page1.json().getBoolean("has_more"));
    Response page2 = gateway.get("/v1/payment_requests?limit=2&starting_after=" + third).bearer(merchant.secret()).send();
    assertEquals(List.of(second, first), ids(page2.data()));
    assertFalse(page2.json().getBoolean("has_more"));

    gateway.query("UPDATE payment_requests SET expires_at = now() - interval '1 minute' WHERE id = $1", second);
    Response expired = gateway.get("/v1/payment_requests?status=expired").bearer(merchant.secret()).send();
    assertEquals(List.of(second), ids(expired.data()));
    assertEquals("expired", expired.data().getJsonObject(0).getString("status"));
    Response open = gateway.get("/v1/payment_requests?status=open").bearer(merchant.secret()).send();
    assertEquals(List.of(adas, third, first), ids(open.data()));

    Response bogus = gateway.get("/v1/payment_requests?status=late").bearer(merchant.secret()).send();
    assertEquals(400, bogus.status());
    assertEquals("status", bogus.json().getJsonObject("error").getString("param"));
    TestGateway.Merchant other = gateway.createMerchant("Someone else");
    assertEquals(List.of(), ids(gateway.get("/v1/payment_requests").bearer(other.secret()).send().data()));
  }

  @Test
  void aRequestExpiresWhenTheGatewaysClockPassesItsExpiry() {
    TestGateway.Merchant shop = gateway.createMerchant("Expiring requests"); // its own, so the lists above stay as they are
    Instant expiresAt = gateway.clock.instant().plus(Duration.ofMinutes(3)).truncatedTo(ChronoUnit.SECONDS);
    Response created = gateway.post("/v1/payment_requests").bearer(shop.secret()).json(new JsonObject()
        .put("amount", 500).put("currency", "USD").put("expires_at", expiresAt.toString())).send();
    assertEquals(201, created.status(), created.toString());
    String id = created.json().getString("id");
    assertEquals("open", gateway.get("/v1/payment_requests/" + id).bearer(shop.secret()).send().json().getString("status"));

    gateway.clock.advance(Duration.ofMinutes(4)); // nothing waits: the gateway's clock moves past the expiry
    try {
      assertEquals("expired", gateway.get("/v1/payment_requests/" + id).bearer(shop.secret()).send().json().getString("status"));
      assertTrue(ids(gateway.get("/v1/payment_requests?status=expired").bearer(shop.secret()).send().data()).contains(id));
      Response late = gateway.post("/v1/payment_requests/" + id + "/sent").bearer(shop.secret())
          .json(new JsonObject().put("paid_amount", 500)).send();
      assertEquals("invalid_state", late.errorCode(), late.toString());
    } finally {
      gateway.clock.advance(Duration.ofMinutes(-4));
    }
  }
}
