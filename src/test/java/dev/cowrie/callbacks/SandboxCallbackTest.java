package dev.cowrie.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Callbacks signed the way the sandbox provider signs them, computed here independently:
 * duplicates change nothing, forgeries and stale ones are refused, disagreeing amounts are flagged.
 */
class SandboxCallbackTest {
  static final String SECRET = "callback_secret_0123456789abcdef";
  static TestGateway gateway;
  static TestGateway.Merchant merchant;
  static String connectionId;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(SandboxCallbackTest.class);
    merchant = gateway.createMerchant("Callback Shop");
    connectionId = gateway.enableSandbox(merchant, SECRET).getString("id");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @AfterEach
  void ledgerStillBalances() {
    gateway.assertLedgerOk();
  }

  static String hmacHex(String key, String message) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
  }

  static Response callback(String secret, long timestamp, String body) throws Exception {
    return gateway.post("/v1/callbacks/" + connectionId)
        .header("Cowrie-Sandbox-Signature", "t=" + timestamp + ",v1=" + hmacHex(secret, timestamp + "." + body))
        .raw("application/json", body).send();
  }

  static String event(String eventId, String type, JsonObject payment, long amount) {
    return new JsonObject().put("id", eventId).put("type", type).put("created", now())
        .put("data", new JsonObject().put("id", payment.getString("provider_reference")).put("reference", payment.getString("id"))
            .put("amount", amount).put("currency", payment.getString("currency"))).encode();
  }

  static long now() {
    return System.currentTimeMillis() / 1000;
  }

  static JsonObject newPayment(long amount) {
    Response created = gateway.post("/v1/payments").bearer(merchant.secret())
        .json(new JsonObject().put("amount", amount).put("currency", "KES")).send();
    assertEquals(201, created.status(), created.toString());
    return created.json();
  }

  static JsonObject payment(String id) {
    return gateway.get("/v1/payments/" + id).bearer(merchant.secret()).send().json();
  }

  static int entries(String paymentId) {
    return gateway.query("SELECT 1 FROM journal_entries WHERE reference = $1", paymentId).size();
  }

  @Test
  void duplicateCallbackIsStoredOnceAndAppliedOnce() throws Exception {
    JsonObject payment = newPayment(7_000);
    String body = event("sbx_evt_dup_1", "payment.succeeded", payment, 7_000);
    Response first = callback(SECRET, now(), body);
    assertEquals(200, first.status(), first.toString());
    Response second = callback(SECRET, now(), body);
    assertEquals(200, second.status());
    assertEquals(true, second.json().getBoolean("duplicate"));
    assertEquals("succeeded", payment(payment.getString("id")).getString("status"));
    assertEquals(1, entries(payment.getString("id")));
    assertEquals(1, gateway.query("SELECT 1 FROM provider_events WHERE provider_event_id = 'sbx_evt_dup_1'").size());
  }

  @Test
  void forgedMissingAndStaleSignaturesAre401AndChangeNothing() throws Exception {
    JsonObject payment = newPayment(8_000);
    String body = event("sbx_evt_forged", "payment.succeeded", payment, 8_000);
    Response forged = callback("not_the_secret_0123456789", now(), body);
    assertEquals(401, forged.status());
    assertEquals("invalid_signature", forged.errorCode());
    Response stale = callback(SECRET, now() - 301, body);
    assertEquals(401, stale.status());
    Response missing = gateway.post("/v1/callbacks/" + connectionId).raw("application/json", body).send();
    assertEquals(401, missing.status());
    Response tampered = gateway.post("/v1/callbacks/" + connectionId)
        .header("Cowrie-Sandbox-Signature", "t=" + now() + ",v1=" + hmacHex(SECRET, now() + "." + body))
        .raw("application/json", body.replace("8000", "9000")).send();
    assertEquals(401, tampered.status());
    assertEquals("requires_action", payment(payment.getString("id")).getString("status"));
    assertEquals(0, gateway.query("SELECT 1 FROM provider_events WHERE provider_event_id = 'sbx_evt_forged'").size());
    assertEquals(0, entries(payment.getString("id")));
  }

  @Test
  void disagreeingAmountFlagsForReviewWithoutMovingMoney() throws Exception {
    JsonObject payment = newPayment(9_000);
    assertEquals(200, callback(SECRET, now(), event("sbx_evt_review", "payment.succeeded", payment, 1)).status());
    JsonObject after = payment(payment.getString("id"));
    assertEquals("requires_action", after.getString("status"));
    assertTrue(after.getJsonObject("review").getString("reason").contains("9000"), after.encode());
    assertEquals(0, entries(payment.getString("id")));
    assertEquals("review", gateway.query("SELECT status FROM provider_events WHERE provider_event_id = 'sbx_evt_review'")
        .iterator().next().getString("status"));
  }

  @Test
  void verifiedCallbackForUnknownReferenceIsKeptAsOrphaned() throws Exception {
    JsonObject ghost = new JsonObject().put("id", "pay_unknown").put("provider_reference", "sbx_unknown").put("currency", "KES");
    Response response = callback(SECRET, now(), event("sbx_evt_orphan", "payment.succeeded", ghost, 100));
    assertEquals(200, response.status());
    assertEquals("orphaned", gateway.query("SELECT status FROM provider_events WHERE provider_event_id = 'sbx_evt_orphan'")
        .iterator().next().getString("status"));
  }

  @Test
  void lateFailureAfterSuccessIsIgnored() throws Exception {
    JsonObject payment = newPayment(6_000);
    assertEquals(200, callback(SECRET, now(), event("sbx_evt_ok", "payment.succeeded", payment, 6_000)).status());
    assertEquals(200, callback(SECRET, now(), event("sbx_evt_late_fail", "payment.failed", payment, 6_000)).status());
    assertEquals("succeeded", payment(payment.getString("id")).getString("status"));
    assertEquals(1, entries(payment.getString("id")));
  }

  @Test
  void unknownConnectionIs404() throws Exception {
    Response response = gateway.post("/v1/callbacks/conn_doesnotexist").raw("application/json", "{}").send();
    assertEquals(404, response.status());
    assertEquals("resource_missing", response.errorCode());
  }
}
