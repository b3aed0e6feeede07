package dev.cowrie.wallets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import dev.cowrie.testing.WalletUsers;
import dev.cowrie.testing.WalletUsers.User;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET/PATCH /v1/me and the payment PIN: needed above pin_limit, five wrong tries lock paying. */
class MeAndPinTest {
  static TestGateway gateway;
  static TestGateway.Merchant merchant;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(MeAndPinTest.class);
    merchant = gateway.createMerchant("Pins");
    gateway.enableSandbox(merchant, "pin_secret_0123456789abcdef");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static Response patchMe(User user, JsonObject body) {
    return gateway.request(HttpMethod.PATCH, "/v1/me").bearer(user.token()).json(body).send();
  }

  static Response send(User from, String to, long amount, String pin) {
    JsonObject body = new JsonObject().put("to", to).put("amount", amount).put("currency", "NGN");
    if (pin != null) {
      body.put("pin", pin);
    }
    return gateway.post("/v1/transfers").bearer(from.token()).idempotencyKey(UUID.randomUUID().toString()).json(body).send();
  }

  @Test
  void meShowsProfileWalletAndLimitsAndTheFirstPinNeedsNothingMore() {
    User ada = WalletUsers.create(gateway, merchant, "ada.me");
    WalletUsers.topUp(gateway, ada, 10_000, "NGN");
    Response me = gateway.get("/v1/me").bearer(ada.token()).send();
    assertEquals(200, me.status(), me.toString());
    assertEquals("ada.me", me.json().getString("username"));
    assertFalse(me.json().getBoolean("pin_set"));
    assertEquals(0L, me.json().getJsonObject("limits").getLong("pin_limit"));
    assertEquals(10_000L, me.json().getJsonObject("wallet").getJsonArray("balances").getJsonObject(0).getLong("available"));

    assertEquals("pin", patchMe(ada, new JsonObject().put("pin", "12a4")).json().getJsonObject("error").getString("param"));
    assertEquals(400, patchMe(ada, new JsonObject().put("pin", "123")).status());
    assertEquals(400, patchMe(ada, new JsonObject().put("pin_limit", -1)).status());
    Response set = patchMe(ada, new JsonObject().put("pin", "4321").put("pin_limit", 1_000));
    assertEquals(200, set.status(), set.toString());
    assertTrue(set.json().getBoolean("pin_set"));
    assertEquals(1_000L, set.json().getJsonObject("limits").getLong("pin_limit"));
    assertFalse(gateway.query("SELECT pin_hash FROM users WHERE id = $1", ada.id()).iterator().next()
        .getString("pin_hash").contains("4321"), "the PIN is stored hashed");

    Response raise = patchMe(ada, new JsonObject().put("pin_limit", 1_000_000));
    assertEquals(403, raise.status(), raise.toString());
    assertEquals("pin_required", raise.errorCode(), "changing the limit once a PIN is set needs the current PIN");
    Response raised = patchMe(ada, new JsonObject().put("pin_limit", 2_000).put("current_pin", "4321"));
    assertEquals(2_000L, raised.json().getJsonObject("limits").getLong("pin_limit"), raised.toString());
  }

  @Test
  void transfersAboveTheLimitNeedThePinAndFiveWrongPinsLockPaying() {
    User ben = WalletUsers.create(gateway, merchant, "ben.pin");
    WalletUsers.create(gateway, merchant, "cara.pin");
    WalletUsers.topUp(gateway, ben, 50_000, "NGN");
    assertEquals(200, patchMe(ben, new JsonObject().put("pin", "246810").put("pin_limit", 1_000)).status());

    assertEquals(201, send(ben, "cara.pin", 1_000, null).status(), "at the limit no PIN is needed");
    Response needsPin = send(ben, "cara.pin", 1_001, null);
    assertEquals(403, needsPin.status(), needsPin.toString());
    assertEquals("pin_required", needsPin.errorCode());
    assertEquals(201, send(ben, "cara.pin", 5_000, "246810").status());
    assertEquals(44_000L, WalletUsers.available(gateway, ben, "NGN"));

    for (int attempt = 1; attempt <= 4; attempt++) {
      Response wrong = send(ben, "cara.pin", 5_000, "000000");
      assertEquals("invalid_pin", wrong.errorCode(), wrong.toString());
    }
    Response fifth = send(ben, "cara.pin", 5_000, "000000");
    assertEquals("pin_locked", fifth.errorCode(), fifth.toString());
    Response rightButLocked = send(ben, "cara.pin", 5_000, "246810");
    assertEquals("pin_locked", rightButLocked.errorCode(), "the right PIN is refused while paying is locked");
    assertEquals(44_000L, WalletUsers.available(gateway, ben, "NGN"), "no refused transfer moved money");
    assertTrue(gateway.get("/v1/me").bearer(ben.token()).send().json().getBoolean("paying_locked"));
    assertEquals(1, gateway.query("SELECT count(*) FROM audit_log WHERE action = 'pin.locked' AND target = $1", ben.id())
        .iterator().next().getLong(0));
    assertEquals(4, gateway.query("SELECT count(*) FROM audit_log WHERE action = 'pin.failed' AND target = $1", ben.id())
        .iterator().next().getLong(0));
  }

  @Test
  void aPinSetAfterPayingWithoutOneIsNeededAtTheVeryNextTransfer() {
    // The gateway remembers each user's paying rule; a change must reach the next payment, not a later one.
    User fay = WalletUsers.create(gateway, merchant, "fay.pin");
    WalletUsers.create(gateway, merchant, "gus.pin");
    WalletUsers.topUp(gateway, fay, 20_000, "NGN");
    assertEquals(201, send(fay, "gus.pin", 3_000, null).status(), "no PIN set: nothing is needed");
    assertEquals(200, patchMe(fay, new JsonObject().put("pin", "8642").put("pin_limit", 2_000)).status());
    Response refused = send(fay, "gus.pin", 3_000, null);
    assertEquals("pin_required", refused.errorCode(), refused.toString());
    assertEquals(200, patchMe(fay, new JsonObject().put("pin_limit", 5_000).put("current_pin", "8642")).status());
    assertEquals(201, send(fay, "gus.pin", 3_000, null).status(), "the raised limit holds at once");
    assertEquals(200, patchMe(fay, new JsonObject().put("pin_limit", 0).put("current_pin", "8642")).status());
    assertEquals("pin_required", send(fay, "gus.pin", 1, null).errorCode(), "the lowered limit holds at once");
    assertEquals(14_000L, WalletUsers.available(gateway, fay, "NGN"));
  }

  @Test
  void aChatTransferAboveTheLimitNeedsThePinToo() {
    User dee = WalletUsers.create(gateway, merchant, "dee.pin");
    WalletUsers.create(gateway, merchant, "eve.pin");
    WalletUsers.topUp(gateway, dee, 9_000, "NGN");
    assertEquals(200, patchMe(dee, new JsonObject().put("pin", "1357")).status());
    Response room = gateway.post("/v1/chat/rooms").bearer(dee.token())
        .json(new JsonObject().put("name", "pins").put("members", new io.vertx.core.json.JsonArray().add("eve.pin"))).send();
    String roomId = room.json().getString("id");
    JsonObject pay = new JsonObject().put("kind", "transfer").put("to", "eve.pin").put("amount", 500).put("currency", "NGN");
    Response refused = gateway.post("/v1/chat/rooms/" + roomId + "/messages").bearer(dee.token())
        .idempotencyKey(UUID.randomUUID().toString()).json(pay).send();
    assertEquals("pin_required", refused.errorCode(), refused.toString());
    Response paid = gateway.post("/v1/chat/rooms/" + roomId + "/messages").bearer(dee.token())
        .idempotencyKey(UUID.randomUUID().toString()).json(pay.copy().put("pin", "1357")).send();
    assertEquals(201, paid.status(), paid.toString());
    assertEquals(8_500L, WalletUsers.available(gateway, dee, "NGN"));
  }
}
