package dev.cowrie.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A payment from start to finish on the sandbox provider, then refunds, as a merchant sees it. */
class PaymentFlowTest {
  static TestGateway gateway;
  static TestGateway.Merchant merchant;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(PaymentFlowTest.class);
    merchant = gateway.createMerchant("Flow Shop");
    gateway.enableSandbox(merchant, "flow_secret_0123456789abcdef");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @AfterEach
  void ledgerStillBalances() {
    gateway.assertLedgerOk();
  }

  static JsonObject createPayment(long amount, String currency) {
    Response created = gateway.post("/v1/payments").bearer(merchant.secret()).json(new JsonObject()
        .put("amount", amount).put("currency", currency).put("customer", new JsonObject().put("email", "ada@example.com"))
        .put("description", "Order 1042").put("reference", "order-1042").put("metadata", new JsonObject().put("order", "1042")))
        .send();
    assertEquals(201, created.status(), created.toString());
    return created.json();
  }

  static JsonObject pay(JsonObject payment, String outcome) {
    String url = payment.getJsonObject("next_action").getString("url");
    String path = url.substring(url.indexOf("/sandbox/checkout/"));
    Response page = gateway.get(path).send();
    assertEquals(200, page.status());
    Response submitted = gateway.post(path).raw("application/x-www-form-urlencoded", "outcome=" + outcome).send();
    assertEquals(200, submitted.status(), submitted.toString());
    String expected = outcome.equals("succeed") ? "succeeded" : "failed";
    return gateway.eventually(() -> gateway.get("/v1/payments/" + payment.getString("id")).bearer(merchant.secret()).send().json(),
        json -> expected.equals(json.getString("status")), 10_000);
  }

  static long available(String currency) {
    JsonArray available = gateway.get("/v1/balance").bearer(merchant.secret()).send().json().getJsonArray("available");
    return available.stream().map(JsonObject.class::cast).filter(b -> b.getString("currency").equals(currency))
        .mapToLong(b -> b.getLong("amount")).sum();
  }

  @Test
  void fullFlowCreateCheckoutCallbackSucceededBalance() {
    long before = available("NGN");
    JsonObject payment = createPayment(250_000, "NGN");
    assertTrue(payment.getString("id").startsWith("pay_"));
    assertEquals("requires_action", payment.getString("status"));
    assertEquals("sandbox", payment.getString("provider"));
    assertEquals("redirect", payment.getJsonObject("next_action").getString("type"));
    assertTrue(payment.getJsonObject("next_action").getString("url").contains("/sandbox/checkout/"));
    assertEquals(1, payment.getJsonArray("attempts").size());
    assertEquals("succeeded", payment.getJsonArray("attempts").getJsonObject(0).getString("outcome"));
    assertEquals("order-1042", payment.getString("reference"));
    assertEquals("1042", payment.getJsonObject("metadata").getString("order"));

    Response page = gateway.get(payment.getJsonObject("next_action").getString("url").replaceFirst("^https?://[^/]+", "")).send();
    assertTrue(page.body().toString().contains("2500.00 NGN"), page.body().toString());

    JsonObject paid = pay(payment, "succeed");
    assertEquals(250_000, paid.getLong("amount"));
    assertEquals(before + 250_000, available("NGN"));
    var events = gateway.query("SELECT type FROM events WHERE data->'object'->>'id' = $1 ORDER BY seq", payment.getString("id"));
    java.util.List<String> types = new java.util.ArrayList<>();
    events.forEach(row -> types.add(row.getString("type")));
    assertEquals(java.util.List.of("payment.created", "payment.processing", "payment.succeeded"), types);
  }

  @Test
  void declinedPaymentFailsAndMovesNoMoney() {
    long before = available("NGN");
    JsonObject payment = createPayment(5_000, "NGN");
    pay(payment, "decline");
    assertEquals(before, available("NGN"));
    assertEquals(0, gateway.query("SELECT 1 FROM journal_entries WHERE reference = $1", payment.getString("id")).size());
  }

  @Test
  void refundsPartialFullAndExcess() {
    JsonObject payment = pay(createPayment(10_000, "NGN"), "succeed");
    String id = payment.getString("id");
    long before = available("NGN");

    Response partial = gateway.post("/v1/refunds").bearer(merchant.secret()).json(new JsonObject().put("payment", id).put("amount", 3_000)).send();
    assertEquals(201, partial.status(), partial.toString());
    assertTrue(partial.json().getString("id").startsWith("re_"));
    assertEquals("succeeded", partial.json().getString("status"));
    JsonObject after = gateway.get("/v1/payments/" + id).bearer(merchant.secret()).send().json();
    assertEquals("partially_refunded", after.getString("status"));
    assertEquals(3_000, after.getLong("amount_refunded"));
    assertEquals(before - 3_000, available("NGN"));

    Response excess = gateway.post("/v1/refunds").bearer(merchant.secret()).json(new JsonObject().put("payment", id).put("amount", 7_001)).send();
    assertEquals(422, excess.status());
    assertEquals("refund_exceeds_payment", excess.errorCode());

    Response rest = gateway.post("/v1/refunds").bearer(merchant.secret()).json(new JsonObject().put("payment", id)).send();
    assertEquals(201, rest.status(), rest.toString());
    assertEquals(7_000, rest.json().getLong("amount"));
    assertEquals("refunded", gateway.get("/v1/payments/" + id).bearer(merchant.secret()).send().json().getString("status"));
    assertEquals(before - 10_000, available("NGN"));

    Response again = gateway.post("/v1/refunds").bearer(merchant.secret()).json(new JsonObject().put("payment", id).put("amount", 1)).send();
    assertEquals(409, again.status());
    assertEquals(rest.json().getString("id"), gateway.get("/v1/refunds/" + rest.json().getString("id")).bearer(merchant.secret()).send().json().getString("id"));
  }

  @Test
  void concurrentRefundsNeverExceedThePayment() {
    String id = pay(createPayment(10_000, "NGN"), "succeed").getString("id");
    java.util.List<io.vertx.core.Future<dev.cowrie.testing.TestHttp.Response>> requests = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      requests.add(gateway.post("/v1/refunds").bearer(merchant.secret()).json(new JsonObject().put("payment", id).put("amount", 3_000)).sendAsync());
    }
    TestGateway.await(io.vertx.core.Future.all(requests));
    long succeeded = requests.stream().filter(r -> r.result().status() == 201).count();
    assertEquals(3, succeeded, "three refunds of 3000 fit in 10000");
    assertTrue(requests.stream().allMatch(r -> r.result().status() == 201 || r.result().status() == 422));
    JsonObject payment = gateway.get("/v1/payments/" + id).bearer(merchant.secret()).send().json();
    assertEquals(9_000, payment.getLong("amount_refunded"));
  }

  @Test
  void cancelOnlyBeforeThePaymentMoves() {
    JsonObject open = createPayment(1_000, "NGN");
    Response canceled = gateway.post("/v1/payments/" + open.getString("id") + "/cancel").bearer(merchant.secret()).send();
    assertEquals(200, canceled.status());
    assertEquals("canceled", canceled.json().getString("status"));

    JsonObject paid = pay(createPayment(1_000, "NGN"), "succeed");
    Response refused = gateway.post("/v1/payments/" + paid.getString("id") + "/cancel").bearer(merchant.secret()).send();
    assertEquals(409, refused.status());
    assertEquals("invalid_state", refused.errorCode());
    assertEquals("succeeded", refused.json().getJsonObject("error").getString("status"));
  }

  @Test
  void illegalTransitionsAreRefusedByTheDatabase() {
    JsonObject paid = pay(createPayment(1_000, "NGN"), "succeed");
    Throwable refused = gateway.sql.preparedQuery("UPDATE payments SET status = 'requires_action' WHERE id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(paid.getString("id")))
        .toCompletionStage().toCompletableFuture().handle((ok, failure) -> failure).join();
    assertNotNull(refused);
    assertTrue(String.valueOf(refused.getMessage()).contains("illegal payment transition"), String.valueOf(refused));
  }

  @Test
  void listsPageNewestFirstAndFilterByStatus() {
    for (int i = 0; i < 3; i++) {
      createPayment(100 + i, "GHS");
    }
    Response first = gateway.get("/v1/payments?limit=2&status=requires_action").bearer(merchant.secret()).send();
    assertEquals(200, first.status());
    assertEquals("list", first.json().getString("object"));
    assertEquals(2, first.data().size());
    assertTrue(first.json().getBoolean("has_more"));
    String last = first.data().getJsonObject(1).getString("id");
    Response second = gateway.get("/v1/payments?limit=2&status=requires_action&starting_after=" + last).bearer(merchant.secret()).send();
    assertTrue(second.data().stream().map(JsonObject.class::cast).allMatch(p -> p.getString("id").compareTo(last) < 0));
    Response bad = gateway.get("/v1/payments?limit=500").bearer(merchant.secret()).send();
    assertEquals(400, bad.status());
    assertEquals("limit", bad.json().getJsonObject("error").getString("param"));
  }
}
