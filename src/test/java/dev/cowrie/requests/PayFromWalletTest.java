package dev.cowrie.requests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import dev.cowrie.testing.WalletUsers;
import dev.cowrie.testing.WalletUsers.User;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A pay link's holder sees who asks and the live tally; a wallet user pays it from their wallet once per retry key. */
class PayFromWalletTest {
  static TestGateway gateway;
  static TestGateway.Merchant merchant;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(PayFromWalletTest.class);
    merchant = gateway.createMerchant("Pay Links");
    gateway.enableSandbox(merchant, "paylinks_secret_0123456789abcdef");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static Response pay(User payer, String requestId, long amount, String key) {
    return gateway.post("/v1/payment_requests/" + requestId + "/pay").bearer(payer.token()).idempotencyKey(key)
        .json(new JsonObject().put("amount", amount)).send();
  }

  @Test
  void aWalletUserPaysARequestOnceAndTheLinkShowsTheTally() {
    User asker = WalletUsers.create(gateway, merchant, "kemi.asks");
    User payer = WalletUsers.create(gateway, merchant, "tunde.pays");
    WalletUsers.topUp(gateway, payer, 3_000, "NGN");
    Response created = gateway.post("/v1/payment_requests").bearer(asker.token())
        .json(new JsonObject().put("amount", 2_500).put("currency", "NGN").put("description", "rent share")).send();
    assertEquals(201, created.status(), created.toString());
    String id = created.json().getString("id");
    String payUrl = created.json().getString("pay_url");
    String path = payUrl.substring(payUrl.indexOf("/pay/"));

    Response link = gateway.get(path).header("Accept", "application/json").send();
    assertEquals(200, link.status(), link.toString());
    assertTrue(link.json().getBoolean("valid"));
    assertEquals("kemi.asks", link.json().getJsonObject("payment_request").getString("payee"));
    assertEquals(0L, link.json().getJsonObject("payment_request").getLong("paid_amount"));

    Response keyless = gateway.post("/v1/payment_requests/" + id + "/pay").bearer(payer.token())
        .json(new JsonObject().put("amount", 1_000)).send();
    assertEquals("idempotency_key_required", keyless.errorCode(), keyless.toString());
    String key = UUID.randomUUID().toString();
    Response paid = pay(payer, id, 1_000, key);
    assertEquals(201, paid.status(), paid.toString());
    assertEquals("kemi.asks", paid.json().getJsonObject("transfer").getString("to"));
    assertEquals(1_000L, paid.json().getJsonObject("payment_request").getLong("paid_amount"));
    Response again = pay(payer, id, 1_000, key);
    assertEquals(201, again.status(), again.toString());
    assertEquals(paid.json().getJsonObject("transfer").getString("id"), again.json().getJsonObject("transfer").getString("id"));
    assertEquals(2_000L, WalletUsers.available(gateway, payer, "NGN"), "a retry pays once");
    assertEquals(1_000L, gateway.get(path).send().json().getJsonObject("payment_request").getLong("paid_amount"),
        "the link's tally grew");

    Response over = pay(payer, id, 2_000, UUID.randomUUID().toString());
    assertEquals("amount_exceeds_request", over.errorCode(), over.toString());
    Response own = pay(asker, id, 100, UUID.randomUUID().toString());
    assertEquals("self_transfer", own.errorCode(), own.toString());
    Response poor = pay(WalletUsers.create(gateway, merchant, "empty.wallet"), id, 100, UUID.randomUUID().toString());
    assertEquals("currency_mismatch", poor.errorCode(), "an empty wallet: " + poor);
    assertEquals(0L, gateway.query("SELECT count(*) FROM payment_request_holds").iterator().next().getLong(0),
        "refused payments leave no hold");

    Response qr = gateway.get(path + "/qr.png").send();
    assertEquals(200, qr.status());
    assertEquals("image/png", qr.header("Content-Type"));
    gateway.assertLedgerOk();
  }

  @Test
  void aTamperedLinkIsInvalidAndShowsNoRequest() {
    User asker = WalletUsers.create(gateway, merchant, "lola.asks");
    Response created = gateway.post("/v1/payment_requests").bearer(asker.token())
        .json(new JsonObject().put("amount", 700).put("currency", "NGN")).send();
    String message = created.json().getString("encoded_message");
    char last = message.charAt(message.length() - 5);
    String tampered = message.substring(0, message.length() - 5) + (last == 'A' ? 'B' : 'A') + message.substring(message.length() - 4);
    Response link = gateway.get("/pay/" + tampered).send();
    assertEquals(200, link.status(), link.toString());
    assertFalse(link.json().getBoolean("valid"));
    assertNull(link.json().getValue("payment_request"));
    assertEquals(404, gateway.get("/pay/" + tampered + "/qr.png").send().status());
  }
}
