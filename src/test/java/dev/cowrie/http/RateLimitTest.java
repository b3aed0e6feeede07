package dev.cowrie.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Request;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rate limits per key (configurable per merchant) and per IP on /v1/auth/*. The limits are tiny
 * (1/s with a small burst) so a loop reaches 429 long before a slow machine could refill them.
 */
class RateLimitTest {
  private static final int CALLS_MAX = 20;
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(RateLimitTest.class, Map.of(
        "COWRIE_RATE_LIMIT_PER_IP_AUTH_PER_SECOND", "1",
        "COWRIE_RATE_LIMIT_PER_IP_AUTH_BURST", "3"));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void aMerchantsOwnLimitGivesHeadersOnEveryAnswerThen429() {
    TestGateway.Merchant merchant = gateway.createMerchant("Limited Shop");
    // Before the key's first use, so the gateway has not cached its limits yet.
    gateway.query("UPDATE merchants SET rate_limit_per_second = 1, rate_limit_burst = 2 WHERE id = $1", merchant.id());

    List<Response> answers = untilLimited(() -> gateway.get("/v1/api_keys").bearer(merchant.secret()));
    Response first = answers.get(0);
    assertEquals(200, first.status(), first.toString());
    for (Response answer : answers) {
      assertEquals("2", answer.header("RateLimit-Limit"), answer.toString());
      assertNotNull(answer.header("RateLimit-Remaining"));
      assertNotNull(answer.header("RateLimit-Reset"));
    }
    assertEquals("1", first.header("RateLimit-Remaining"));
    assertLimited(answers.get(answers.size() - 1));

    // Another merchant has its own bucket, with the default limits.
    TestGateway.Merchant other = gateway.createMerchant("Unlimited Shop");
    Response otherAnswer = gateway.get("/v1/api_keys").bearer(other.secret()).send();
    assertEquals(200, otherAnswer.status());
    assertEquals(String.valueOf(gateway.config.rateLimit().perKeyBurst()), otherAnswer.header("RateLimit-Limit"));
  }

  @Test
  void authEndpointsAreLimitedPerIp() {
    List<Response> answers = untilLimited(() -> gateway.post("/v1/auth/token")
        .json(new JsonObject().put("username", "nobody").put("password", "wrong password")));
    assertEquals(401, answers.get(0).status(), answers.get(0).toString());
    answers.forEach(answer -> assertEquals("3", answer.header("RateLimit-Limit"), answer.toString()));
    assertLimited(answers.get(answers.size() - 1));
    // The refresh endpoint shares the IP's bucket.
    Response refresh = gateway.post("/v1/auth/refresh").json(new JsonObject().put("refresh_token", "rt_x")).send();
    assertLimited(refresh);
  }

  private static List<Response> untilLimited(Supplier<Request> request) {
    List<Response> answers = new ArrayList<>();
    for (int i = 0; i < CALLS_MAX; i++) {
      Response answer = request.get().send();
      answers.add(answer);
      if (answer.status() == 429) {
        return answers;
      }
    }
    throw new AssertionError("no 429 after " + CALLS_MAX + " calls: " + answers.get(answers.size() - 1));
  }

  private static void assertLimited(Response response) {
    assertEquals(429, response.status(), response.toString());
    assertEquals("rate_limited", response.errorCode());
    assertEquals("rate_limit_error", response.json().getJsonObject("error").getString("type"));
    assertTrue(Integer.parseInt(response.header("Retry-After")) >= 1, response.headers().toString());
    assertEquals("0", response.header("RateLimit-Remaining"));
    assertNotNull(response.header("Request-Id"));
  }
}
