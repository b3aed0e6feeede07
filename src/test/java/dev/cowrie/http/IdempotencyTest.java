package dev.cowrie.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.store.RedisStore;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Idempotency-Key on an existing POST: replay, reuse with another body, and the Postgres guard behind Redis. */
class IdempotencyTest {
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(IdempotencyTest.class);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static Response createKey(TestGateway.Merchant merchant, String idempotencyKey, String type) {
    return gateway.post("/v1/api_keys").bearer(merchant.secret()).idempotencyKey(idempotencyKey)
        .json(new JsonObject().put("type", type)).send();
  }

  private static long keyCount(TestGateway.Merchant merchant) {
    return gateway.query("SELECT count(*) AS n FROM api_keys WHERE merchant_id = $1", merchant.id()).iterator().next().getLong("n");
  }

  @Test
  void sameKeySameBodyReplaysTheAnswer() {
    TestGateway.Merchant merchant = gateway.createMerchant("Replay Shop");
    Response first = createKey(merchant, "order-1", "secret");
    assertEquals(201, first.status(), first.toString());
    assertNull(first.header("Idempotent-Replayed"));
    Response second = createKey(merchant, "order-1", "secret");
    assertEquals(201, second.status(), second.toString());
    assertEquals("true", second.header("Idempotent-Replayed"));
    assertEquals(first.json(), second.json());
    assertEquals(3, keyCount(merchant));
  }

  @Test
  void sameKeyOtherBodyIs422() {
    TestGateway.Merchant merchant = gateway.createMerchant("Reuse Shop");
    assertEquals(201, createKey(merchant, "order-2", "secret").status());
    Response other = createKey(merchant, "order-2", "publishable");
    BadInputTest.assertError(other, 422, "idempotency_key_reused", "idempotency_error");
    assertEquals("Idempotency-Key", other.json().getJsonObject("error").getString("param"));
    assertEquals(3, keyCount(merchant));
  }

  @Test
  void keysAreScopedToTheMerchant() {
    TestGateway.Merchant one = gateway.createMerchant("Scope One");
    TestGateway.Merchant two = gateway.createMerchant("Scope Two");
    Response first = createKey(one, "shared-key", "secret");
    Response second = createKey(two, "shared-key", "secret");
    assertEquals(201, second.status());
    assertNull(second.header("Idempotent-Replayed"));
    assertTrue(!first.json().getString("id").equals(second.json().getString("id")));
  }

  @Test
  void postgresGuardsWhenRedisForgets() {
    TestGateway.Merchant merchant = gateway.createMerchant("Forgetful Shop");
    Response first = createKey(merchant, "order-3", "secret");
    assertEquals(201, first.status());
    flushThisGatewaysRedisKeys();
    Response second = createKey(merchant, "order-3", "secret");
    assertEquals(201, second.status(), second.toString());
    assertEquals("true", second.header("Idempotent-Replayed"));
    assertEquals(first.json().getString("id"), second.json().getString("id"));
    assertEquals(3, keyCount(merchant));
    flushThisGatewaysRedisKeys();
    BadInputTest.assertError(createKey(merchant, "order-3", "publishable"), 422, "idempotency_key_reused", "idempotency_error");
  }

  /** Deletes only this gateway's keys: other test classes may share the Redis. */
  private static void flushThisGatewaysRedisKeys() {
    RedisStore redis = RedisStore.create(gateway.vertx, gateway.config);
    try {
      var keys = TestGateway.await(redis.api().keys(redis.prefix() + "*"));
      List<String> names = new ArrayList<>();
      keys.forEach(key -> names.add(key.toString()));
      if (!names.isEmpty()) {
        TestGateway.await(redis.api().del(names));
      }
      assertEquals(0, TestGateway.await(redis.api().keys(redis.prefix() + "*")).size());
    } finally {
      redis.client().close();
    }
  }
}
