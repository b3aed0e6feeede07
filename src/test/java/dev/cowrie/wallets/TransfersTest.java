package dev.cowrie.wallets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.cli.PaymentLedgerChecks;
import dev.cowrie.ledger.LedgerCheck;
import dev.cowrie.security.Principal;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import dev.cowrie.testing.WalletUsers.User;
import dev.cowrie.testing.WalletUsers;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Wallet transfers over HTTP on the real database: errors of API.md, idempotency, and money under concurrency. */
class TransfersTest {
  static TestGateway gateway;
  static TestGateway.Merchant merchant;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(TransfersTest.class, Map.of(
        "COWRIE_RATE_LIMIT_PER_KEY_PER_SECOND", "10000", "COWRIE_RATE_LIMIT_PER_KEY_BURST", "10000",
        "COWRIE_RATE_LIMIT_PER_IP_AUTH_PER_SECOND", "1000", "COWRIE_RATE_LIMIT_PER_IP_AUTH_BURST", "1000"));
    merchant = gateway.createMerchant("Wallet Shop");
    gateway.enableSandbox(merchant, "wallet_secret_0123456789abcdef");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  /** Money enters a wallet through a real top-up: a sandbox payment, paid at its checkout. */
  static void fund(User user, long amount, String currency) {
    JsonObject payment = WalletUsers.topUp(gateway, user, amount, currency);
    assertEquals("wallet_topup", payment.getString("purpose"));
  }

  static Future<Response> send(User from, String to, Object amount, String currency) {
    return gateway.post("/v1/transfers").bearer(from.token()).idempotencyKey(UUID.randomUUID().toString())
        .json(new JsonObject().put("to", to).put("amount", amount).put("currency", currency).put("note", "test")).sendAsync();
  }

  static long available(User user, String currency) {
    return WalletUsers.available(gateway, user, currency);
  }

  @Test
  void errorsOfTheContract() {
    User ada = WalletUsers.create(gateway, merchant, "ada");
    User ben = WalletUsers.create(gateway, merchant, "ben");
    fund(ada, 10_000, "NGN");
    Response ok = TestGateway.await(send(ada, "BEN", 2_500, "NGN"));
    assertEquals(201, ok.status(), ok.toString());
    assertEquals("ada", ok.json().getString("from"));
    assertEquals("ben", ok.json().getString("to"));
    assertEquals(7_500, available(ada, "NGN"));
    assertEquals(2_500, available(ben, "NGN"));

    assertError(send(ada, "ben", 20_000, "NGN"), 422, "insufficient_funds");
    for (Object amount : List.of(0, -5, 12.5, "100", new BigInteger("99999999999999999999999"), Long.MAX_VALUE)) {
      assertError(send(ada, "ben", amount, "NGN"), 400, "invalid_amount");
    }
    assertError(send(ada, "ben", 100, "ngn"), 400, "invalid_currency");
    assertError(send(ada, "nobody", 100, "NGN"), 404, "unknown_recipient");
    assertError(send(ada, "ada", 100, "NGN"), 400, "self_transfer");
    assertError(send(ada, "ben", 100, "USD"), 422, "currency_mismatch");
    TestGateway.Merchant other = gateway.createMerchant("Other Wallets");
    WalletUsers.create(gateway, other, "carl");
    assertError(send(ada, "carl", 100, "NGN"), 404, "unknown_recipient");
    assertEquals(7_500, available(ada, "NGN"));

    // A declined top-up credits nothing.
    Response declined = gateway.post("/v1/wallet/topups").bearer(ada.token()).idempotencyKey("declined-topup").json(new JsonObject().put("amount", 999).put("currency", "NGN")).send();
    assertEquals(201, declined.status(), declined.toString());
    String checkout = declined.json().getJsonObject("next_action").getString("url");
    gateway.post(checkout.substring(checkout.indexOf("/sandbox/checkout/"))).raw("application/x-www-form-urlencoded", "outcome=decline").send();
    gateway.eventually(() -> gateway.query("SELECT status FROM payments WHERE id = $1", declined.json().getString("id")).iterator().next()
        .getString("status"), "failed"::equals, 10_000);
    assertEquals(7_500, available(ada, "NGN"));

    // A refused transfer went out in the same pipeline as its rows: the rollback left none of them.
    assertEquals(1, gateway.query("""
        SELECT count(*) AS n FROM transfers t JOIN journal_entries e ON e.reference = t.id JOIN postings p ON p.entry_id = e.id
        WHERE t.merchant_id = $1 AND t.sender = 'ada' AND p.amount < 0""", merchant.id()).iterator().next().getLong("n"));
    assertEquals(1, gateway.query("SELECT count(*) AS n FROM events WHERE merchant_id = $1 AND type = 'transfer.completed'"
        + " AND data->'object'->>'from' = 'ada'", merchant.id()).iterator().next().getLong("n"));

    String id = ok.json().getString("id");
    Response read = gateway.get("/v1/transfers/" + id).bearer(ben.token()).send();
    assertEquals(200, read.status());
    assertEquals(ok.json().copy().put("idempotent_replayed", null), read.json().copy().put("idempotent_replayed", null),
        "the answer built before the commit is the row as stored");
    User eve = WalletUsers.create(gateway, merchant, "eve");
    assertEquals(404, gateway.get("/v1/transfers/" + id).bearer(eve.token()).send().status());
    assertEquals(1, gateway.get("/v1/transfers?direction=sent").bearer(ada.token()).send().data().size());
    assertEquals(0, gateway.get("/v1/transfers?direction=received").bearer(ada.token()).send().data().size());
    assertEquals(1, gateway.get("/v1/transfers?direction=received").bearer(ben.token()).send().data().size());
    assertEquals(400, gateway.get("/v1/transfers?direction=sideways").bearer(ben.token()).send().status());
    assertEquals(1, gateway.query("SELECT count(*) AS n FROM events WHERE type = 'transfer.completed' AND data->'object'->>'id' = $1", id)
        .iterator().next().getLong("n"));
  }

  static void assertError(Future<Response> sent, int status, String code) {
    Response response = TestGateway.await(sent);
    assertEquals(status, response.status(), response.toString());
    assertEquals(code, response.errorCode(), response.toString());
  }

  @Test
  void idempotencyKeyMovesMoneyOnceEvenPastTheHttpCache() {
    User dan = WalletUsers.create(gateway, merchant, "dan");
    User fay = WalletUsers.create(gateway, merchant, "fay");
    fund(dan, 1_000, "KES");
    JsonObject body = new JsonObject().put("to", "fay").put("amount", 100).put("currency", "KES");
    Response first = gateway.post("/v1/transfers").bearer(dan.token()).idempotencyKey("k-1").json(body).send();
    Response again = gateway.post("/v1/transfers").bearer(dan.token()).idempotencyKey("k-1").json(body).send();
    assertEquals(first.json().getString("id"), again.json().getString("id"));
    assertEquals("true", again.header("Idempotent-Replayed"));
    // The durable guard: the same key reaching the wallets verticle again (a flushed Redis, another
    // node) still moves money once, even when ten arrive at once.
    dev.cowrie.security.Principal sender = new dev.cowrie.security.Principal(dev.cowrie.security.Principal.Kind.WALLET_USER,
        merchant.id(), "test", dan.id(), dan.id(), "dan");
    JsonObject command = TransferCreate.of(sender, new TransferCreate.Fields("fay", 100, "KES", null, null), "k-2").toJson();
    List<Future<JsonObject>> racing = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      racing.add(dev.cowrie.common.Bus.request(gateway.vertx, WalletsAddresses.TRANSFER, command.copy(), 10_000));
    }
    TestGateway.await(Future.all(racing));
    assertEquals(1, racing.stream().map(f -> f.result().getString("id")).distinct().count());
    assertEquals(800, available(dan, "KES"));
    assertEquals(200, available(fay, "KES"));
    Response reused = gateway.post("/v1/transfers").bearer(dan.token()).idempotencyKey("k-3").json(body).send();
    assertEquals(201, reused.status());
    var differs = dev.cowrie.common.Bus.request(gateway.vertx, WalletsAddresses.TRANSFER,
        TransferCreate.of(sender, new TransferCreate.Fields("fay", 5, "KES", null, null), "k-2").toJson(), 10_000);
    assertTrue(TestGateway.await(differs.map(ok -> "no").recover(failure -> Future.succeededFuture(
        ((dev.cowrie.common.CowrieError) failure).code.wire()))).equals("idempotency_key_reused"));
  }

  @Test
  void concurrentTransfersBothWaysAndIntoAHotWalletKeepMoneyConstant() {
    User left = WalletUsers.create(gateway, merchant, "left");
    User right = WalletUsers.create(gateway, merchant, "right");
    User hot = WalletUsers.create(gateway, merchant, "hot");
    List<User> senders = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      senders.add(WalletUsers.create(gateway, merchant, "sender" + i));
    }
    fund(left, 5_000, "GHS");
    fund(right, 5_000, "GHS");
    senders.forEach(sender -> fund(sender, 1_000, "GHS"));
    long total = 10_000 + 12 * 1_000;

    Random random = new Random(7);
    List<Future<Response>> all = new ArrayList<>();
    for (int i = 0; i < 160; i++) {
      boolean leftToRight = random.nextBoolean();
      all.add(send(leftToRight ? left : right, leftToRight ? "right" : "left", 1 + random.nextInt(400), "GHS"));
    }
    for (int i = 0; i < 12 * 12; i++) {
      all.add(send(senders.get(i % 12), "hot", 1 + random.nextInt(120), "GHS"));
    }
    int succeeded = 0;
    for (Future<Response> sent : all) {
      Response response = TestGateway.await(sent);
      assertTrue(response.status() == 201 || "insufficient_funds".equals(response.errorCode()), response.toString());
      succeeded += response.status() == 201 ? 1 : 0;
    }
    Map<String, Long> ledger = new HashMap<>();
    for (Row row : gateway.query("""
        SELECT a.owner_id, sum(p.amount) AS balance FROM postings p JOIN ledger_accounts a ON a.id = p.account_id
        WHERE a.kind = 'user_wallet' AND a.currency = 'GHS' GROUP BY a.owner_id""")) {
      ledger.put(row.getString("owner_id"), row.getLong("balance"));
    }
    long sum = 0;
    List<User> everyone = new ArrayList<>(senders);
    everyone.addAll(List.of(left, right, hot));
    for (User user : everyone) {
      long balance = available(user, "GHS");
      assertTrue(balance >= 0, user.username() + " " + balance);
      assertEquals(ledger.getOrDefault(user.id(), 0L), balance, user.username());
      sum += balance;
    }
    assertEquals(total, sum, "money is neither created nor destroyed");
    assertEquals(succeeded, gateway.query("SELECT count(*) AS n FROM transfers WHERE currency = 'GHS'").iterator().next().getLong("n"));
    JsonObject check = TestGateway.await(LedgerCheck.run(gateway.sql, PaymentLedgerChecks.all()));
    assertTrue(check.getBoolean("ok"), check.encodePrettily());
  }
}
