package dev.cowrie.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code cowrie admin ledger check}: 0 on a sound ledger after real payments, 1 once a balance is tampered with. */
class LedgerCheckCliTest {
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(LedgerCheckCliTest.class);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static int check(StringBuilder output) {
    PrintStream out = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
      return AdminCli.run(gateway.config, "ledger", "check");
    } finally {
      System.setOut(out);
      output.append(bytes.toString(StandardCharsets.UTF_8));
    }
  }

  @Test
  void passesOnRealMoneyAndFailsOnATamperedBalance() {
    TestGateway.Merchant merchant = gateway.createMerchant("Checked Shop");
    gateway.enableSandbox(merchant, "check_secret_0123456789abcdef");
    JsonObject payment = gateway.post("/v1/payments").bearer(merchant.secret())
        .json(new JsonObject().put("amount", 4_200).put("currency", "NGN")).send().json();
    String checkout = payment.getJsonObject("next_action").getString("url").replaceFirst("^https?://[^/]+", "");
    gateway.post(checkout).raw("application/x-www-form-urlencoded", "outcome=succeed").send();
    gateway.eventually(() -> gateway.get("/v1/payments/" + payment.getString("id")).bearer(merchant.secret()).send().json()
        .getString("status"), "succeeded"::equals, 10_000);

    StringBuilder sound = new StringBuilder();
    assertEquals(0, check(sound), sound.toString());
    assertTrue(sound.toString().contains("ledger OK"), sound.toString());

    gateway.query("""
        UPDATE ledger_balances SET balance = balance + 1 WHERE (account_id, shard) IN (
          SELECT b.account_id, b.shard FROM ledger_balances b JOIN ledger_accounts a ON a.id = b.account_id
          WHERE a.merchant_id = $1 AND a.kind = 'merchant_available' LIMIT 1)""", merchant.id());
    StringBuilder broken = new StringBuilder();
    assertEquals(1, check(broken));
    assertTrue(broken.toString().contains("FAIL  every cached balance equals the sum of its postings"), broken.toString());
    assertTrue(broken.toString().contains("ledger BROKEN"));
  }
}
