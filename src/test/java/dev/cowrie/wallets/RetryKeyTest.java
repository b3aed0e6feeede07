package dev.cowrie.wallets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import dev.cowrie.testing.WalletUsers;
import dev.cowrie.testing.WalletUsers.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Money moves once per intent: a person's money-moving calls need a retry key, and a retry with
 * the same key moves nothing more, also after a gateway restart and after the stored answer is
 * gone (the first attempt's node died before it could record one).
 */
class RetryKeyTest {
  static TestGateway gateway;
  static TestGateway.Merchant merchant;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(RetryKeyTest.class);
    merchant = gateway.createMerchant("Retry Shop");
    gateway.enableSandbox(merchant, "retry_secret_0123456789abcdef");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static Response transfer(User from, String key, String to, long amount) {
    var request = gateway.post("/v1/transfers").bearer(from.token());
    if (key != null) {
      request.idempotencyKey(key);
    }
    return request.json(new JsonObject().put("to", to).put("amount", amount).put("currency", "NGN")).send();
  }

  static Response pay(User from, String key, String room, String to, long amount) {
    var request = gateway.post("/v1/chat/rooms/" + room + "/messages").bearer(from.token());
    if (key != null) {
      request.idempotencyKey(key);
    }
    return request.json(new JsonObject().put("kind", "transfer").put("to", to).put("amount", amount).put("currency", "NGN")).send();
  }

  static void assertKeyRequired(Response response) {
    assertEquals(400, response.status(), response.toString());
    assertEquals("idempotency_key_required", response.errorCode());
    assertEquals("Idempotency-Key", response.json().getJsonObject("error").getString("param"));
  }

  @Test
  void moneyMovingCallsWithoutARetryKeyAreRefusedAndMoveNothing() {
    User kim = WalletUsers.create(gateway, merchant, "kim");
    User lou = WalletUsers.create(gateway, merchant, "lou");
    WalletUsers.topUp(gateway, kim, 5_000, "NGN");
    String room = room(kim, "lou");

    assertKeyRequired(transfer(kim, null, "lou", 100));
    assertKeyRequired(pay(kim, null, room, "lou", 100));
    assertKeyRequired(gateway.post("/v1/wallet/topups").bearer(kim.token())
        .json(new JsonObject().put("amount", 100).put("currency", "NGN")).send());
    assertEquals(5_000, WalletUsers.available(gateway, kim, "NGN"));
    assertEquals(0, gateway.query("SELECT 1 FROM chat_messages WHERE room_id = $1", room).size());
    // A text message moves no money and needs no key.
    assertEquals(201, gateway.post("/v1/chat/rooms/" + room + "/messages").bearer(kim.token())
        .json(new JsonObject().put("kind", "text").put("text", "hi")).send().status());
  }

  @Test
  void aRetryWithTheSameKeyMovesMoneyOnceAcrossARestart() {
    User max = WalletUsers.create(gateway, merchant, "max");
    User nia = WalletUsers.create(gateway, merchant, "nia");
    WalletUsers.topUp(gateway, max, 10_000, "NGN");
    String room = room(max, "nia");
    Response sent = transfer(max, "rent-march", "nia", 1_000);
    assertEquals(201, sent.status(), sent.toString());
    Response paid = pay(max, "lunch-friday", room, "nia", 300);
    assertEquals(201, paid.status(), paid.toString());

    gateway = gateway.restart();
    Response again = transfer(max, "rent-march", "nia", 1_000);
    assertEquals(201, again.status(), again.toString());
    assertEquals(sent.json().getString("id"), again.json().getString("id"));
    assertEquals(paid.json().getString("id"), pay(max, "lunch-friday", room, "nia", 300).json().getString("id"));

    // The first attempts' answers are lost (their node died before recording them): the retries still pay nothing more.
    forgetStoredAnswers();
    Response retried = transfer(max, "rent-march", "nia", 1_000);
    assertEquals(201, retried.status(), retried.toString());
    assertEquals(sent.json().getString("id"), retried.json().getString("id"));
    Response repaid = pay(max, "lunch-friday", room, "nia", 300);
    assertEquals(201, repaid.status(), repaid.toString());
    assertEquals(paid.json().getString("id"), repaid.json().getString("id"), "the first attempt's receipt, not a second one");

    assertEquals(8_700, WalletUsers.available(gateway, max, "NGN"));
    assertEquals(1_300, WalletUsers.available(gateway, nia, "NGN"));
    assertEquals(1, gateway.query("SELECT 1 FROM chat_messages WHERE room_id = $1", room).size());
    assertEquals(2, gateway.query("SELECT 1 FROM transfers WHERE sender_id = $1", max.id()).size());
    gateway.assertLedgerOk();
  }

  @Test
  void aRetryAfterTheTransferButBeforeItsReceiptPostsTheReceiptOnce() {
    User ola = WalletUsers.create(gateway, merchant, "ola");
    User pia = WalletUsers.create(gateway, merchant, "pia");
    WalletUsers.topUp(gateway, ola, 2_000, "NGN");
    String room = room(ola, "pia");
    Response paid = pay(ola, "taxi", room, "pia", 400);
    assertEquals(201, paid.status(), paid.toString());
    // As if the node died after the transfer committed and before the receipt was stored: the hold is back, the message gone.
    String messageId = paid.json().getString("id");
    gateway.query("""
        DELETE FROM kafka_outbox WHERE seq IN (
          SELECT seq FROM events WHERE type = 'chat.message.created' AND data->'object'->>'id' = $1)""", messageId);
    gateway.query("DELETE FROM events WHERE type = 'chat.message.created' AND data->'object'->>'id' = $1", messageId);
    gateway.query("DELETE FROM chat_messages WHERE id = $1", messageId);
    gateway.query("""
        INSERT INTO chat_pending_messages (id, room_id, merchant_id, mode, sender_id, sender_username, transfer_key)
        VALUES ($1, $2, $3, 'test', $4, 'ola', $5)""", messageId, room, merchant.id(), ola.id(), "chat:" + room + ":taxi");
    forgetStoredAnswers();

    Response retried = pay(ola, "taxi", room, "pia", 400);
    assertEquals(201, retried.status(), retried.toString());
    assertEquals(messageId, retried.json().getString("id"));
    assertEquals(paid.json().getJsonObject("transfer").getString("id"), retried.json().getJsonObject("transfer").getString("id"));
    assertEquals(1_600, WalletUsers.available(gateway, ola, "NGN"));
    assertEquals(0, gateway.query("SELECT 1 FROM chat_pending_messages WHERE id = $1", messageId).size());
    assertEquals(1, gateway.query("SELECT 1 FROM chat_messages WHERE room_id = $1", room).size());
  }

  static String room(User creator, String member) {
    Response created = gateway.post("/v1/chat/rooms").bearer(creator.token())
        .json(new JsonObject().put("name", "Retries").put("members", new JsonArray().add(member))).send();
    assertEquals(201, created.status(), created.toString());
    return created.json().getString("id");
  }

  /** Drops every stored idempotent answer, in Postgres and in Redis. */
  static void forgetStoredAnswers() {
    gateway.query("DELETE FROM idempotency_keys");
    String pattern = gateway.config.redis().keyPrefix() + "idem:*";
    Redis redis = Redis.createClient(gateway.vertx, gateway.config.redis().url());
    TestGateway.await(redis.send(Request.cmd(Command.KEYS).arg(pattern)).compose(keys -> {
      if (keys.size() == 0) {
        return Future.succeededFuture();
      }
      Request delete = Request.cmd(Command.DEL);
      keys.forEach(key -> delete.arg(key.toString()));
      return redis.send(delete);
    }).eventually(redis::close));
  }
}
