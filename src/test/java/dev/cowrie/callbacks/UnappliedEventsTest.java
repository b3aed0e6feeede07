package dev.cowrie.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A provider event stored but never applied is the state a crash between the two leaves: the
 * provider's retry applies it (instead of answering "duplicate"), and so does the sweep, unasked.
 */
class UnappliedEventsTest {
  static final String SECRET = "unapplied_secret_0123456789abcdef";
  static TestGateway gateway;
  static TestGateway.Merchant merchant;
  static String connectionId;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(UnappliedEventsTest.class, Map.of("COWRIE_CALLBACKS_SWEEP_INTERVAL_MS", "200",
        "COWRIE_CALLBACKS_SWEEP_AFTER_SECONDS", "5"));
    merchant = gateway.createMerchant("Unapplied Shop");
    connectionId = gateway.enableSandbox(merchant, SECRET).getString("id");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static JsonObject newPayment() {
    Response created = gateway.post("/v1/payments").bearer(merchant.secret())
        .json(new JsonObject().put("amount", 12_000).put("currency", "NGN")).send();
    assertEquals(201, created.status(), created.toString());
    return created.json();
  }

  static String status(String paymentId) {
    return gateway.get("/v1/payments/" + paymentId).bearer(merchant.secret()).send().json().getString("status");
  }

  /** Stores the event as the crashed request did, before applying it: status received, received {@code ageSeconds} ago. */
  static void storeUnapplied(JsonObject payment, String eventId, String body, String signature, long ageSeconds) {
    gateway.query("""
        INSERT INTO provider_events (id, connection_id, merchant_id, mode, provider, provider_event_id, event_type,
          reference, raw_body, status, headers, received_at)
        VALUES ($1, $2, $3, 'test', 'sandbox', $4, 'payment.succeeded', $5, $6, 'received', $7, now() - make_interval(secs => $8))""",
        "pev_" + eventId, connectionId, merchant.id(), eventId, payment.getString("id"), body,
        new JsonObject().put("cowrie-sandbox-signature", signature).put("content-type", "application/json"), (double) ageSeconds);
  }

  static String eventStatus(String eventId) {
    return gateway.query("SELECT status FROM provider_events WHERE provider_event_id = $1", eventId).iterator().next().getString("status");
  }

  @Test
  void theProvidersRetryAppliesAStoredButUnappliedEvent() throws Exception {
    JsonObject payment = newPayment();
    long now = SandboxCallbackTest.now();
    String body = SandboxCallbackTest.event("sbx_evt_unapplied_retry", "payment.succeeded", payment, 12_000);
    String signature = "t=" + now + ",v1=" + SandboxCallbackTest.hmacHex(SECRET, now + "." + body);
    // Fresh (age 0), so the sweep leaves it alone: only the retry can apply it here.
    storeUnapplied(payment, "sbx_evt_unapplied_retry", body, signature, 0);

    Response retry = gateway.post("/v1/callbacks/" + connectionId).header("Cowrie-Sandbox-Signature", signature)
        .raw("application/json", body).send();
    assertEquals(200, retry.status(), retry.toString());
    assertNull(retry.json().getValue("duplicate"), retry.toString());
    assertEquals("succeeded", status(payment.getString("id")));
    assertEquals("applied", eventStatus("sbx_evt_unapplied_retry"));
    assertEquals(1, gateway.query("SELECT 1 FROM journal_entries WHERE reference = $1", payment.getString("id")).size());
    gateway.assertLedgerOk();
  }

  @Test
  void theSweepAppliesAStoredButUnappliedEventWithoutAResend() throws Exception {
    JsonObject payment = newPayment();
    long then = SandboxCallbackTest.now() - 30;
    String body = SandboxCallbackTest.event("sbx_evt_unapplied_sweep", "payment.succeeded", payment, 12_000);
    String signature = "t=" + then + ",v1=" + SandboxCallbackTest.hmacHex(SECRET, then + "." + body);
    storeUnapplied(payment, "sbx_evt_unapplied_sweep", body, signature, 30);

    gateway.eventually(() -> eventStatus("sbx_evt_unapplied_sweep"), "applied"::equals, 20_000);
    assertEquals("succeeded", status(payment.getString("id")));
    assertEquals(1, gateway.query("SELECT 1 FROM journal_entries WHERE reference = $1", payment.getString("id")).size());
    gateway.assertLedgerOk();
  }
}
