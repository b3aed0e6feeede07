package dev.cowrie.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Idempotency-Key on payment creation: one payment however the request is repeated, even with Redis emptied. */
class PaymentIdempotencyTest {
  static TestGateway gateway;
  static TestGateway.Merchant merchant;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(PaymentIdempotencyTest.class);
    merchant = gateway.createMerchant("Idem Shop");
    gateway.enableSandbox(merchant, "idem_secret_0123456789abcdef");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static JsonObject body(long amount) {
    return new JsonObject().put("amount", amount).put("currency", "NGN").put("reference", "idem-" + amount);
  }

  static int payments(String reference) {
    return gateway.query("SELECT 1 FROM payments WHERE merchant_id = $1 AND reference = $2", merchant.id(), reference).size();
  }

  @Test
  void concurrentIdenticalRequestsCreateExactlyOnePayment() {
    List<Future<dev.cowrie.testing.TestHttp.Response>> requests = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      requests.add(gateway.post("/v1/payments").bearer(merchant.secret()).idempotencyKey("concurrent-1").json(body(1111)).sendAsync());
    }
    TestGateway.await(Future.all(requests));
    assertEquals(1, payments("idem-1111"));
    String id = null;
    for (Future<Response> request : requests) {
      Response response = request.result();
      assertTrue(response.status() == 201 || response.status() == 409, response.toString());
      if (response.status() == 409) {
        assertEquals("idempotency_key_in_use", response.errorCode());
      } else {
        id = id == null ? response.json().getString("id") : id;
        assertEquals(id, response.json().getString("id"), "every success is the same payment");
      }
    }
    Response replay = gateway.post("/v1/payments").bearer(merchant.secret()).idempotencyKey("concurrent-1").json(body(1111)).send();
    assertEquals(201, replay.status());
    assertEquals("true", replay.header("Idempotent-Replayed"));
    assertEquals(id, replay.json().getString("id"));
  }

  @Test
  void sameKeyWithAnotherBodyIs422() {
    assertEquals(201, gateway.post("/v1/payments").bearer(merchant.secret()).idempotencyKey("reuse-1").json(body(2222)).send().status());
    Response reused = gateway.post("/v1/payments").bearer(merchant.secret()).idempotencyKey("reuse-1").json(body(2223)).send();
    assertEquals(422, reused.status());
    assertEquals("idempotency_key_reused", reused.errorCode());
    assertEquals("idempotency_error", reused.json().getJsonObject("error").getString("type"));
    assertEquals(0, payments("idem-2223"));
  }

  @Test
  void emptiedRedisBetweenRetriesStillGivesOnePayment() {
    Response first = gateway.post("/v1/payments").bearer(merchant.secret()).idempotencyKey("flush-1").json(body(3333)).send();
    assertEquals(201, first.status());
    flushThisGatewaysRedisKeys();
    Response retry = gateway.post("/v1/payments").bearer(merchant.secret()).idempotencyKey("flush-1").json(body(3333)).send();
    assertEquals(201, retry.status());
    assertEquals(first.json().getString("id"), retry.json().getString("id"));
    assertEquals("true", retry.header("Idempotent-Replayed"));
    assertEquals(1, payments("idem-3333"));
  }

  @Test
  void keysAreScopedToTheMerchant() {
    TestGateway.Merchant other = gateway.createMerchant("Other Idem");
    gateway.enableSandbox(other, "other_secret_0123456789abcdef");
    Response mine = gateway.post("/v1/payments").bearer(merchant.secret()).idempotencyKey("shared-key").json(body(4444)).send();
    Response theirs = gateway.post("/v1/payments").bearer(other.secret()).idempotencyKey("shared-key").json(body(4444)).send();
    assertEquals(201, mine.status());
    assertEquals(201, theirs.status());
    assertTrue(!mine.json().getString("id").equals(theirs.json().getString("id")));
    assertEquals(404, gateway.get("/v1/payments/" + theirs.json().getString("id")).bearer(merchant.secret()).send().status());
  }

  @Test
  void invalidKeyIsAClear400() {
    Response response = gateway.post("/v1/payments").bearer(merchant.secret()).idempotencyKey("x".repeat(256)).json(body(5555)).send();
    assertEquals(400, response.status());
    assertEquals("Idempotency-Key", response.json().getJsonObject("error").getString("param"));
  }

  /**
   * Empties Redis as far as this gateway can see: every key under its prefix. (A literal FLUSHALL
   * would also hit other suites sharing the developer's Redis; to this gateway it is the same.)
   */
  static void flushThisGatewaysRedisKeys() {
    Redis client = Redis.createClient(gateway.vertx, "redis://127.0.0.1:6379/0");
    RedisAPI redis = RedisAPI.api(client);
    String prefix = gateway.config.redis().keyPrefix();
    var keys = TestGateway.await(redis.keys(prefix + "*"));
    List<String> names = new ArrayList<>();
    keys.forEach(key -> names.add(key.toString()));
    if (!names.isEmpty()) {
      TestGateway.await(redis.del(names));
    }
    assertEquals(0, TestGateway.await(redis.keys(prefix + "*")).size());
    client.close();
  }
}
