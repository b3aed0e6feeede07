package dev.cowrie.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.cowrie.providers.Signatures;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code cowrie admin reconcile} and {@code cowrie admin callbacks orphaned}, against Paystack played by WireMock. */
class ReconcileCommandTest {
  static final String KEY = "sk_test_cli0123456789";
  static WireMockServer wiremock;
  static TestGateway gateway;
  static TestGateway.Merchant merchant;
  static JsonObject connection;

  @BeforeAll
  static void start() {
    wiremock = new WireMockServer(WireMockConfiguration.options().dynamicPort().usingFilesUnderDirectory("providers/paystack/wiremock"));
    wiremock.start();
    gateway = TestGateway.start(ReconcileCommandTest.class);
    merchant = gateway.createMerchant("Cli Shop");
    connection = gateway.put("/v1/provider_connections/paystack").bearer(merchant.secret()).json(new JsonObject()
        .put("credentials", new JsonObject().put("secret_key", KEY)).put("api_base", "http://127.0.0.1:" + wiremock.port())).send().json();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    wiremock.stop();
  }

  @Test
  void reconcileSettlesAStuckPaymentFromTheProvidersAnswer() {
    Response created = gateway.post("/v1/payments").bearer(merchant.secret()).json(new JsonObject().put("amount", 10_000)
        .put("currency", "NGN").put("customer", new JsonObject().put("email", "ada@example.com"))).send();
    assertEquals(201, created.status(), created.toString());
    String id = created.json().getString("id");
    try (CliContext context = new CliContext(gateway.config)) {
      JsonObject report = ReconcileCommand.reconcile(context, "paystack", OffsetDateTime.now().minusHours(1));
      assertTrue(report.getInteger("checked") >= 1, report.encode());
      assertTrue(report.getLong("settled") >= 1, report.encode());
    }
    assertEquals("succeeded", gateway.get("/v1/payments/" + id).bearer(merchant.secret()).send().json().getString("status"));
    gateway.assertLedgerOk();
  }

  @Test
  void orphanedCallbacksAreListed() {
    String body = "{\"event\":\"charge.success\",\"data\":{\"status\":\"success\",\"reference\":\"pay-nobody0000000000000000000\","
        + "\"amount\":500,\"currency\":\"NGN\"}}";
    byte[] bytes = Signatures.utf8(body);
    Response answered = gateway.post("/v1/callbacks/" + connection.getString("id"))
        .header("x-paystack-signature", Signatures.hex(Signatures.hmac("HmacSHA512", KEY, bytes)))
        .raw("application/json", io.vertx.core.buffer.Buffer.buffer(bytes)).send();
    assertEquals(200, answered.status(), answered.toString());
    try (CliContext context = new CliContext(gateway.config)) {
      JsonObject listed = CallbackCommands.orphaned(context, "paystack", 10);
      assertEquals("pay_nobody0000000000000000000", listed.getJsonArray("data").getJsonObject(0).getString("reference"));
    }
  }

  @Test
  void sinceTakesRfc3339OrADuration() {
    Instant now = Instant.parse("2026-11-20T12:00:00Z");
    assertEquals(OffsetDateTime.parse("2026-11-20T10:00:00Z"), ReconcileCommand.since("2h", now));
    assertEquals(OffsetDateTime.parse("2026-11-13T12:00:00Z"), ReconcileCommand.since("7d", now));
    assertEquals(OffsetDateTime.parse("2026-11-20T09:30:00+01:00"), ReconcileCommand.since("2026-11-20T09:30:00+01:00", now));
    assertThrows(CliContext.CliFailure.class, () -> ReconcileCommand.since("yesterday", now));
  }

  @Test
  void commandLinesRunThroughPicocli() {
    assertEquals(0, AdminCli.run(gateway.config, "reconcile", "--provider", "paystack", "--since", "1h"));
    assertEquals(0, AdminCli.run(gateway.config, "callbacks", "orphaned", "--provider", "paystack", "--json"));
    assertEquals(1, AdminCli.run(gateway.config, "reconcile", "--provider", "nosuch"));
  }
}
