package dev.cowrie.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.cli.PaymentLedgerChecks;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ledger under concurrent entries, on the real database: no deadlock, no lost update, no negative balance. */
class LedgerConcurrencyTest {
  static TestGateway gateway;
  static String merchant;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(LedgerConcurrencyTest.class);
    merchant = gateway.createMerchant("Ledger Shop").id();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static Ledger.AccountRef wallet(String user) {
    return new Ledger.AccountRef(merchant, "test", "user_wallet", user, "NGN");
  }

  private static Ledger.AccountRef clearing() {
    return new Ledger.AccountRef(merchant, "test", "provider_clearing", "sandbox", "NGN");
  }

  private static Future<String> move(Ledger.AccountRef from, Ledger.AccountRef to, long amount, String reference) {
    return gateway.sql.withTransaction(tx -> Ledger.post(tx, merchant, "test", "test_transfer", reference,
        List.of(new Ledger.Leg(from, -amount), new Ledger.Leg(to, amount))));
  }

  @Test
  void concurrentTransfersInBothDirectionsKeepMoneyConstantAndNeverGoNegative() {
    TestGateway.await(move(clearing(), wallet("alice"), 10_000, "fund-alice"));
    TestGateway.await(move(clearing(), wallet("bob"), 10_000, "fund-bob"));
    Random random = new Random(42);
    AtomicInteger refused = new AtomicInteger();
    List<Future<String>> transfers = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      boolean aliceToBob = random.nextBoolean();
      long amount = 1 + random.nextInt(900);
      transfers.add(move(aliceToBob ? wallet("alice") : wallet("bob"), aliceToBob ? wallet("bob") : wallet("alice"),
          amount, "t-" + i).recover(failure -> {
            if (failure instanceof CowrieError error && error.code == ErrorCode.INSUFFICIENT_FUNDS) {
              refused.incrementAndGet();
              return Future.succeededFuture("refused");
            }
            return Future.failedFuture(failure);
          }));
    }
    TestGateway.await(Future.all(transfers));
    long alice = TestGateway.await(Ledger.balance(gateway.sql, wallet("alice")));
    long bob = TestGateway.await(Ledger.balance(gateway.sql, wallet("bob")));
    assertEquals(20_000, alice + bob, "money is neither created nor lost");
    assertTrue(alice >= 0 && bob >= 0);
    assertLedgerOk();
  }

  @Test
  void hotWalletReceivingFromManySendersLosesNoCredit() {
    List<Future<String>> credits = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String sender = "sender-" + i;
      credits.add(move(clearing(), wallet(sender), 500, "fund-" + sender)
          .compose(ignored -> move(wallet(sender), wallet("hot"), 500, "to-hot-" + sender)));
    }
    TestGateway.await(Future.all(credits));
    assertEquals(100_000, TestGateway.await(Ledger.balance(gateway.sql, wallet("hot"))));
    assertLedgerOk();
  }

  @Test
  void anEntryIsPostedOncePerReferenceAndOverdraftIsRefused() {
    String first = TestGateway.await(move(clearing(), wallet("carol"), 700, "once"));
    String again = TestGateway.await(move(clearing(), wallet("carol"), 700, "once"));
    assertEquals(first, again);
    assertEquals(700, TestGateway.await(Ledger.balance(gateway.sql, wallet("carol"))));
    Throwable overdraft = move(wallet("carol"), wallet("dave"), 701, "overdraft")
        .toCompletionStage().toCompletableFuture().handle((ok, failure) -> failure).join();
    Throwable cause = overdraft instanceof java.util.concurrent.CompletionException ? overdraft.getCause() : overdraft;
    assertTrue(cause instanceof CowrieError error && error.code == ErrorCode.INSUFFICIENT_FUNDS, String.valueOf(overdraft));
    assertEquals(700, TestGateway.await(Ledger.balance(gateway.sql, wallet("carol"))));
    assertLedgerOk();
  }

  static void assertLedgerOk() {
    JsonObject report = TestGateway.await(LedgerCheck.run(gateway.sql, PaymentLedgerChecks.all()));
    assertTrue(report.getBoolean("ok"), report.encodePrettily());
  }
}
