package dev.cowrie.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cowrie.common.Secrets;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The conformance kit: the same scenarios, seen as a merchant sees them, against every provider.
 * A provider's subclass says how to make its provider answer an outcome, how its callbacks are
 * signed (written independently of the adapter) and what its requests must look like.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ProviderContractTest {
  protected static final long AMOUNT = 10_000;
  protected TestGateway gateway;
  protected TestGateway.Merchant merchant;
  protected JsonObject connection;

  /** The provider's name: the adapter's, and the folder under providers/. */
  protected abstract String provider();

  protected abstract String currency();

  protected abstract JsonObject credentials();

  /** Valid-looking credentials the provider refuses (401). */
  protected abstract JsonObject refusedCredentials();

  /** Where the gateway should send this provider's calls (WireMock), or null for the default. */
  protected abstract String apiBase();

  /** From now on the provider answers calls about this payment with {@code outcome} (README tokens: success, failed, pending, err500, slow, garbage, reset…), reporting {@code amount} minor units. */
  protected abstract void providerWillSay(String paymentId, String outcome, long amount);

  /** A signed callback saying the payment succeeded (or, for {@code refund}, that a refund of amount did), as the provider posts it. */
  protected abstract Signed callback(JsonObject payment, String kind, long amount, long unixSeconds);

  /** Whether the provider's callback scheme carries a timestamp (so a stale one is refused). */
  protected abstract boolean signsTimestamp();

  /** Whether {@link #providerWillSay} can inject faults (500, delays, resets, garbage). */
  protected boolean injectsFaults() {
    return true;
  }

  /** Asserts the provider-side requests made while starting {@code payment}. */
  protected abstract void assertStartRequest(JsonObject payment);

  /** Asserts the provider-side request made for a refund of {@code amount}. */
  protected abstract void assertRefundRequest(JsonObject payment, long amount);

  /** Whether the adapter keeps a customer's method for renewals (ProviderAdapter#savesMethods): the saved-method scenario runs only then. */
  protected boolean savesMethods() {
    return false;
  }

  /** The outcome token under which the provider's checkout reports a card it saved (Stripe: a session with its customer). */
  protected String savedCheckoutOutcome() {
    return "success";
  }

  /** Asserts the provider-side request that charged a saved method for {@code payment} (a renewal, without the customer). */
  protected void assertSavedMethodCharge(JsonObject payment) {}

  protected void beforeGateway() {}

  protected void afterGateway() {}

  public record Signed(byte[] body, Map<String, String> headers) {
    public Signed tampered() {
      byte[] copy = body.clone();
      int at = new String(copy, StandardCharsets.UTF_8).lastIndexOf('}') - 1;
      copy[at] = (byte) (copy[at] == ' ' ? '\n' : ' ');
      return new Signed(copy, headers);
    }
  }

  @BeforeAll
  void startGateway() {
    beforeGateway();
    gateway = TestGateway.start(getClass(), Map.of("COWRIE_PROVIDER_TIMEOUT_MS", "1500",
        "COWRIE_PROVIDER_BREAKER_FAILURES_MAX", "1000"));
    merchant = gateway.createMerchant(provider() + " shop");
    connection = connect(merchant, credentials(), 10);
    if (!provider().equals("sandbox")) {
      gateway.enableSandbox(merchant, "fallback_secret_0123456789");
    }
  }

  @AfterAll
  void stopGateway() {
    gateway.close();
    afterGateway();
  }

  @AfterEach
  void ledgerBalances() {
    gateway.assertLedgerOk();
  }

  protected JsonObject connect(TestGateway.Merchant owner, JsonObject credentials, int priority) {
    JsonObject body = new JsonObject().put("credentials", credentials).put("priority", priority);
    if (apiBase() != null) {
      body.put("api_base", apiBase());
    }
    Response saved = gateway.put("/v1/provider_connections/" + provider()).bearer(owner.secret()).json(body).send();
    assertEquals(200, saved.status(), saved.toString());
    return saved.json();
  }

  protected JsonObject create(String outcome, TestGateway.Merchant owner) {
    String key = "k_" + Secrets.randomToken(8);
    // The payment id is not known before it exists: the outcome is keyed on the idempotency key, resolved below.
    pendingOutcome = outcome;
    Response created = gateway.post("/v1/payments").bearer(owner.secret()).idempotencyKey(key).json(new JsonObject()
            .put("amount", AMOUNT).put("currency", currency())
            .put("customer", new JsonObject().put("email", "ada@example.com")).put("description", "Order 1042")
            .put("return_url", "https://shop.example/return"))
        .send();
    pendingOutcome = "success";
    assertTrue(created.status() == 201 || created.status() == 502, created.toString());
    return created.status() == 201 ? created.json() : created.json().getJsonObject("error");
  }

  /** The outcome the provider gives the next payment's start call (see {@link #providerWillSayNext}). */
  protected volatile String pendingOutcome = "success";

  protected JsonObject get(String id) {
    return gateway.get("/v1/payments/" + id).bearer(merchant.secret()).send().json();
  }

  protected Response deliver(Signed signed) {
    var request = gateway.post("/v1/callbacks/" + connection.getString("id"));
    signed.headers().forEach(request::header);
    return request.raw("application/json", Buffer.buffer(signed.body())).send();
  }

  protected JsonObject awaitStatus(String id, String status) {
    return gateway.eventually(() -> get(id), p -> status.equals(p.getString("status")), 10_000);
  }

  protected int ledgerEntries(String paymentId) {
    return gateway.query("SELECT 1 FROM journal_entries WHERE reference = $1 LIMIT 10", paymentId).size();
  }

  /** Runs the reconciler now for this provider, treating every open payment and refund as stale; answers its report. */
  protected JsonObject reconcileNow() {
    return TestGateway.await(dev.cowrie.common.Bus.<JsonObject>request(gateway.vertx,
        dev.cowrie.payments.PaymentAddresses.RECONCILE, new JsonObject().put("provider", provider()).put("stale_after_seconds", 0),
        60_000));
  }

  /** A refund of 4,000 whose creation times out (so it stays pending, with no provider id), then the provider recovers. */
  protected String refundThatTimesOut(String paymentId) {
    providerWillSay(paymentId, "slow", AMOUNT);
    Response refund = gateway.post("/v1/refunds").bearer(merchant.secret())
        .json(new JsonObject().put("payment", paymentId).put("amount", 4_000)).send();
    assertEquals("pending", refund.json().getString("status"), refund.toString());
    providerWillSay(paymentId, "success", AMOUNT);
    return refund.json().getString("id");
  }

  protected JsonObject paid() {
    JsonObject payment = create("success", merchant);
    providerWillSay(payment.getString("id"), "success", AMOUNT);
    assertEquals(200, deliver(callback(payment, "payment", AMOUNT, now())).status());
    return awaitStatus(payment.getString("id"), "succeeded");
  }

  protected static long now() {
    return System.currentTimeMillis() / 1000;
  }

  @Test
  void successStartsWithTheRightRequestAndSettlesFromTheCallback() {
    JsonObject payment = create("success", merchant);
    assertEquals("requires_action", payment.getString("status"));
    assertEquals(provider(), payment.getString("provider"));
    assertNotNull(payment.getJsonObject("next_action").getString("url"));
    assertStartRequest(payment);
    providerWillSay(payment.getString("id"), "success", AMOUNT);
    assertEquals(200, deliver(callback(payment, "payment", AMOUNT, now())).status());
    awaitStatus(payment.getString("id"), "succeeded");
    assertEquals(1, ledgerEntries(payment.getString("id")));
  }

  @Test
  void declineFailsAndMovesNoMoney() {
    JsonObject payment = create("success", merchant);
    providerWillSay(payment.getString("id"), "failed", AMOUNT);
    Response verified = gateway.post("/v1/payments/" + payment.getString("id") + "/verify").bearer(merchant.secret()).send();
    assertEquals(200, verified.status(), verified.toString());
    assertEquals("failed", verified.json().getString("status"), verified.toString());
    assertEquals(0, ledgerEntries(payment.getString("id")));
  }

  @Test
  void abandonedCheckoutStaysOpenWithoutMoney() {
    JsonObject payment = create("success", merchant);
    providerWillSay(payment.getString("id"), "pending", AMOUNT);
    Response verified = gateway.post("/v1/payments/" + payment.getString("id") + "/verify").bearer(merchant.secret()).send();
    assertEquals(200, verified.status(), verified.toString());
    assertTrue(List.of("requires_action", "processing").contains(verified.json().getString("status")), verified.toString());
    assertEquals(0, ledgerEntries(payment.getString("id")));
  }

  @Test
  void timeoutThenLateSuccessIsSettledByTheReconciler() {
    assumeTrue(injectsFaults());
    JsonObject payment = create("success", merchant);
    providerWillSay(payment.getString("id"), "slow", AMOUNT);
    Response verified = gateway.post("/v1/payments/" + payment.getString("id") + "/verify").bearer(merchant.secret()).send();
    assertEquals("provider_error", verified.errorCode(), verified.toString());
    assertEquals("requires_action", get(payment.getString("id")).getString("status"));
    assertEquals(1, gateway.query("SELECT 1 FROM payment_attempts WHERE payment_id = $1 AND operation = 'verify' AND outcome = 'unknown'",
        payment.getString("id")).size());
    providerWillSay(payment.getString("id"), "success", AMOUNT);
    JsonObject report = reconcileNow();
    assertTrue(report.getInteger("checked") >= 1, report.encode());
    awaitStatus(payment.getString("id"), "succeeded");
  }

  @Test
  void duplicateCallbackIsAppliedOnce() {
    JsonObject payment = create("success", merchant);
    providerWillSay(payment.getString("id"), "success", AMOUNT);
    Signed signed = callback(payment, "payment", AMOUNT, now());
    assertEquals(200, deliver(signed).status());
    awaitStatus(payment.getString("id"), "succeeded");
    Response again = deliver(signed);
    assertEquals(200, again.status());
    assertEquals(1, ledgerEntries(payment.getString("id")));
    assertTrue(again.json().getBoolean("duplicate", false), "stored once: " + again);
  }

  @Test
  void forgedOrUnsignedCallbackIsRefusedAndStoresNothing() {
    JsonObject payment = create("success", merchant);
    Signed signed = callback(payment, "payment", AMOUNT, now());
    Response forged = deliver(signed.tampered());
    assertEquals(401, forged.status(), forged.toString());
    assertEquals("invalid_signature", forged.errorCode());
    assertEquals(401, deliver(new Signed(signed.body(), Map.of())).status());
    assertEquals(0, gateway.query("SELECT 1 FROM provider_events WHERE connection_id = $1 AND reference = $2",
        connection.getString("id"), payment.getString("id")).size());
    assertEquals("requires_action", get(payment.getString("id")).getString("status"));
  }

  @Test
  void staleOrReplayedCallbackMovesNoMoney() {
    JsonObject payment = create("success", merchant);
    if (signsTimestamp()) {
      Response stale = deliver(callback(payment, "payment", AMOUNT, now() - 301));
      assertEquals(401, stale.status(), stale.toString());
    } else {
      // No timestamp to prove freshness: a validly signed "success" is only a hint, the provider's verify decides.
      providerWillSay(payment.getString("id"), "failed", AMOUNT);
      assertEquals(200, deliver(callback(payment, "payment", AMOUNT, now())).status());
      awaitStatus(payment.getString("id"), "failed");
    }
    assertEquals(0, ledgerEntries(payment.getString("id")));
  }

  @Test
  void partialRefundSendsTheProviderUnitAndSettles() {
    JsonObject payment = paid();
    Response refund = gateway.post("/v1/refunds").bearer(merchant.secret())
        .json(new JsonObject().put("payment", payment.getString("id")).put("amount", 3_000)).send();
    assertEquals(201, refund.status(), refund.toString());
    assertRefundRequest(payment, 3_000);
    if (refund.json().getString("status").equals("pending")) {
      assertEquals(200, deliver(callback(payment, "refund", 3_000, now())).status());
    }
    String refundId = refund.json().getString("id");
    gateway.eventually(() -> gateway.get("/v1/refunds/" + refundId).bearer(merchant.secret()).send().json(),
        r -> "succeeded".equals(r.getString("status")), 10_000);
    assertEquals("partially_refunded", get(payment.getString("id")).getString("status"));
  }

  @Test
  void serverErrorsTimeoutsAndResetsFallBackToTheNextConnection() {
    assumeTrue(injectsFaults());
    for (String fault : List.of("err500", "err429", "slow", "reset")) {
      JsonObject payment = create(fault, merchant);
      assertEquals("sandbox", payment.getString("provider"), fault + ": " + payment.encode());
      JsonObject first = payment.getJsonArray("attempts").getJsonObject(0);
      assertEquals(provider(), first.getString("provider"));
      assertEquals("retryable", first.getString("outcome"), fault);
    }
  }

  @Test
  void malformedAnswerFailsTheAttemptAndKeepsTheRawAnswer() {
    assumeTrue(injectsFaults());
    JsonObject error = create("garbage", merchant);
    assertEquals("provider_error", error.getString("code"), error.encode());
    String paymentId = error.getString("payment");
    var attempt = gateway.query("SELECT outcome, error_code, raw_response FROM payment_attempts WHERE payment_id = $1 LIMIT 1",
        paymentId).iterator().next();
    assertEquals("failed", attempt.getString("outcome"));
    assertEquals("malformed", attempt.getString("error_code"));
    assertFalse(attempt.getString("raw_response").isEmpty());
    assertEquals("failed", get(paymentId).getString("status"));
  }

  @Test
  void refusedCredentialsFlagTheConnectionAndFailThePayment() {
    assumeTrue(refusedCredentials() != null);
    TestGateway.Merchant other = gateway.createMerchant(provider() + " bad keys");
    connect(other, refusedCredentials(), 10);
    JsonObject error = create("success", other);
    assertEquals("provider_error", error.getString("code"), error.encode());
    JsonObject listed = gateway.get("/v1/provider_connections").bearer(other.secret()).send().json();
    assertTrue(listed.getJsonArray("data").getJsonObject(0).getBoolean("flagged"), listed.encode());
  }

  /** Whether the provider refuses a reused reference on start (README token {@code duplicate}) instead of an idempotency header. */
  protected boolean refusesDuplicateReferences() {
    return false;
  }

  @Test
  void startOnAReferenceTheProviderAlreadyKnowsIsVerifiedNotFailed() {
    assumeTrue(refusesDuplicateReferences());
    // As when a first start timed out after the provider took it: the retry hears "duplicate reference".
    JsonObject payment = create("duplicate", merchant);
    assertEquals(provider(), payment.getString("provider"), payment.encode());
    assertEquals("succeeded", get(payment.getString("id")).getString("status"), "the provider's verify answer decides");
    assertEquals(1, ledgerEntries(payment.getString("id")));
    assertEquals(1, gateway.query("SELECT 1 FROM payment_attempts WHERE payment_id = $1 AND operation = 'start' AND outcome = 'succeeded' LIMIT 5",
        payment.getString("id")).size());
  }

  /** Whether {@link #providerWillSay} can make the provider report another amount than the payment's. */
  protected boolean controlsReportedAmount() {
    return true;
  }

  @Test
  void amountDisagreementIsFlaggedForReviewWithoutMoney() {
    assumeTrue(controlsReportedAmount());
    JsonObject payment = create("success", merchant);
    providerWillSay(payment.getString("id"), "success", AMOUNT - 100);
    Response verified = gateway.post("/v1/payments/" + payment.getString("id") + "/verify").bearer(merchant.secret()).send();
    assertEquals(200, verified.status(), verified.toString());
    assertEquals("requires_action", verified.json().getString("status"));
    assertNotNull(verified.json().getJsonObject("review"), verified.toString());
    assertEquals(0, ledgerEntries(payment.getString("id")));
  }

  @Test
  void verifiedCallbackForAnUnknownPaymentIsKeptAsOrphaned() {
    JsonObject ghost = new JsonObject().put("id", dev.cowrie.common.Ids.next("pay")).put("provider_reference", "unknown")
        .put("amount", AMOUNT).put("currency", currency());
    Response answered = deliver(callback(ghost, "payment", AMOUNT, now()));
    assertEquals(200, answered.status(), answered.toString());
    assertEquals(1, gateway.query("SELECT 1 FROM provider_events WHERE connection_id = $1 AND status = 'orphaned' AND reference = $2",
        connection.getString("id"), ghost.getString("id")).size());
  }

  @Test
  void credentialsAreCheckedWithClearErrors() {
    Response missing = gateway.put("/v1/provider_connections/" + provider()).bearer(merchant.secret())
        .json(new JsonObject().put("credentials", new JsonObject().put("nonsense", "x"))).send();
    assertEquals(400, missing.status(), missing.toString());
    assertTrue(missing.json().getJsonObject("error").getString("param").startsWith("credentials."), missing.toString());
  }

  /** A fixture from providers/&lt;name&gt;/callbacks with its placeholders filled in. */
  private JsonObject billing(String path, JsonObject body) {
    Response response = gateway.post(path).bearer(merchant.secret()).json(body).send();
    assertTrue(response.status() == 200 || response.status() == 201, path + " " + response);
    return response.json();
  }

  private JsonObject billingGet(String path) {
    return gateway.get(path).bearer(merchant.secret()).send().json();
  }

  private void advance(String clockId, String to) {
    billing("/v1/test_clocks/" + clockId + "/advance", new JsonObject().put("to", to));
    gateway.eventually(() -> billingGet("/v1/test_clocks/" + clockId), clock -> "ready".equals(clock.getString("status")), 30_000);
  }

  @Test
  void aSubscriptionsCheckoutSavesTheMethodAndRenewalsChargeItWithoutTheCustomer() {
    assumeTrue(savesMethods());
    pendingOutcome = "success";
    String clock = billing("/v1/test_clocks", new JsonObject().put("frozen_time", "2026-03-05T10:00:00Z")).getString("id");
    String customer = billing("/v1/customers", new JsonObject().put("email", "ada@example.com").put("test_clock", clock)).getString("id");
    String price = billing("/v1/prices", new JsonObject().put("amount", AMOUNT).put("currency", currency()).put("interval", "month"))
        .getString("id");
    JsonObject subscription = billing("/v1/subscriptions", new JsonObject().put("customer", customer).put("price", price));
    JsonObject first = billingGet("/v1/invoices/" + subscription.getString("latest_invoice"));
    JsonObject checkout = get(first.getString("payment"));
    assertEquals(provider(), checkout.getString("provider"), "the first invoice is paid at this provider's checkout: " + checkout.encode());
    assertEquals(first.getString("hosted_invoice_url"), checkout.getJsonObject("next_action").getString("url"));
    providerWillSay(checkout.getString("id"), savedCheckoutOutcome(), AMOUNT);
    assertEquals(200, deliver(callback(checkout, "payment", AMOUNT, now())).status());
    gateway.eventually(() -> billingGet("/v1/invoices/" + first.getString("id")), json -> "paid".equals(json.getString("status")), 10_000);
    JsonObject saved = gateway.eventually(() -> billingGet("/v1/customers/" + customer),
        json -> json.getString("default_payment_method") != null, 10_000);
    assertEquals(provider(), saved.getJsonArray("payment_methods").getJsonObject(0).getString("provider"));

    advance(clock, "2026-04-05T11:00:00Z");
    JsonObject renewal = billingGet("/v1/invoices?subscription=" + subscription.getString("id")).getJsonArray("data").getJsonObject(0);
    assertEquals("paid", renewal.getString("status"), renewal.encode() + " " + get(renewal.getString("payment")).encode());
    JsonObject charged = get(renewal.getString("payment"));
    assertEquals("succeeded", charged.getString("status"));
    assertTrue(charged.getValue("next_action") == null, "charged without the customer: " + charged.encode());
    assertEquals(1, ledgerEntries(charged.getString("id")));
    assertSavedMethodCharge(charged);

    pendingOutcome = "failed";
    try {
      advance(clock, "2026-05-05T11:00:00Z");
    } finally {
      pendingOutcome = "success";
    }
    JsonObject declined = billingGet("/v1/invoices?subscription=" + subscription.getString("id")).getJsonArray("data").getJsonObject(0);
    assertEquals("open", declined.getString("status"), declined.encode());
    assertEquals(1, declined.getInteger("attempt_count"));
    assertEquals("failed", get(declined.getString("payment")).getString("status"));
    assertEquals("past_due", billingGet("/v1/subscriptions/" + subscription.getString("id")).getString("status"));
    assertEquals(0, ledgerEntries(declined.getString("payment")));
  }

  protected String fixture(String file, String reference, String amount, String currency) {
    try {
      return Files.readString(Path.of("providers", provider(), "callbacks", file))
          .replace("REF_PLACEHOLDER", reference).replace("AMOUNT_PLACEHOLDER", amount)
          .replace("CURRENCY_PLACEHOLDER", currency).replace("EVENTID_PLACEHOLDER", Secrets.randomToken(12));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
