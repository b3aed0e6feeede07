package dev.cowrie.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Malformed requests get the error object of API.md, a Request-Id, never a 500 or a stack trace. */
class BadInputTest {
  static TestGateway gateway;
  static TestGateway.Merchant merchant;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(BadInputTest.class);
    merchant = gateway.createMerchant("Bad Input Shop");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void oversizedBodyIs413() {
    String big = "{\"type\":\"secret\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}";
    Response response = gateway.post("/v1/api_keys").bearer(merchant.secret()).raw("application/json", big).send();
    assertError(response, 413, "body_too_large", "invalid_request_error");
    Response anonymous = gateway.post("/v1/auth/token").raw("application/json", big).send();
    assertError(anonymous, 413, "body_too_large", "invalid_request_error");
    assertEquals(0, keysCreatedAfterSetup());
  }

  @Test
  void malformedJsonIs400NamingTheProblem() {
    Response response = gateway.post("/v1/api_keys").bearer(merchant.secret()).raw("application/json", "{\"type\": \"secret\",").send();
    assertError(response, 400, "invalid_json", "invalid_request_error");
    String message = response.json().getJsonObject("error").getString("message");
    assertTrue(message.startsWith("The request body is not valid JSON"), message);
    assertTrue(message.length() < 300, message);
  }

  @Test
  void aJsonArrayOrScalarIsNotAnObject() {
    for (String body : new String[] {"[{\"type\":\"secret\"}]", "42", "\"text\""}) {
      Response response = gateway.post("/v1/api_keys").bearer(merchant.secret()).raw("application/json", body).send();
      assertError(response, 400, "invalid_json", "invalid_request_error");
      assertTrue(response.json().getJsonObject("error").getString("message").contains("JSON object"), response.toString());
    }
  }

  @Test
  void unknownFieldIs400NamingIt() {
    Response response = gateway.post("/v1/api_keys").bearer(merchant.secret())
        .json(new JsonObject().put("type", "secret").put("colour", "blue")).send();
    assertError(response, 400, "parameter_invalid", "invalid_request_error");
    assertEquals("colour", response.json().getJsonObject("error").getString("param"));
    assertTrue(response.json().getJsonObject("error").getString("message").contains("colour"), response.toString());
    assertEquals(0, keysCreatedAfterSetup());
  }

  @Test
  void wrongTypesAndValuesNameTheField() {
    Response type = gateway.post("/v1/api_keys").bearer(merchant.secret()).json(new JsonObject().put("type", 7)).send();
    assertError(type, 400, null, "invalid_request_error");
    assertEquals("type", type.json().getJsonObject("error").getString("param"));
    Response value = gateway.post("/v1/api_keys").bearer(merchant.secret()).json(new JsonObject().put("type", "golden")).send();
    assertError(value, 400, "parameter_invalid", "invalid_request_error");
    assertEquals("type", value.json().getJsonObject("error").getString("param"));
    Response limit = gateway.get("/v1/admin/merchants?limit=abc").bearer(gateway.adminToken).send();
    assertError(limit, 400, "parameter_invalid", "invalid_request_error");
    assertEquals("limit", limit.json().getJsonObject("error").getString("param"));
  }

  @Test
  void unknownRouteAndMethodAreErrorObjects() {
    assertError(gateway.get("/v1/nothing_here").send(), 404, "route_not_found", "invalid_request_error");
    assertError(gateway.get("/").send(), 404, "route_not_found", "invalid_request_error");
    assertError(gateway.delete("/v1/api_keys").bearer(merchant.secret()).send(), 405, "method_not_allowed", "invalid_request_error");
  }

  @Test
  void badIdempotencyKeyIsNamed() {
    Response response = gateway.post("/v1/api_keys").bearer(merchant.secret()).idempotencyKey("x".repeat(300))
        .json(new JsonObject()).send();
    assertError(response, 400, "parameter_invalid", "invalid_request_error");
    assertEquals("Idempotency-Key", response.json().getJsonObject("error").getString("param"));
  }

  @Test
  void successfulAnswersCarryARequestIdToo() {
    Response ok = gateway.get("/health/live").send();
    assertEquals(200, ok.status());
    assertTrue(ok.header("Request-Id").startsWith("req_"));
    assertTrue(gateway.get("/metrics").send().header("Request-Id").startsWith("req_"));
  }

  private static long keysCreatedAfterSetup() {
    return gateway.query("SELECT count(*) AS n FROM api_keys WHERE merchant_id = $1", merchant.id())
        .iterator().next().getLong("n") - 2;
  }

  /** The error object, its Request-Id, and nothing that looks like a stack trace. */
  static void assertError(Response response, int status, String code, String type) {
    assertEquals(status, response.status(), response.toString());
    JsonObject error = response.json().getJsonObject("error");
    assertNotNull(error, response.toString());
    if (code != null) {
      assertEquals(code, error.getString("code"), response.toString());
    }
    assertEquals(type, error.getString("type"));
    assertFalse(error.getString("message").isBlank());
    String requestId = response.header("Request-Id");
    assertTrue(requestId != null && requestId.startsWith("req_"), response.headers().toString());
    assertEquals(requestId, error.getString("request_id"));
    String body = response.body().toString();
    assertFalse(body.contains("\tat ") || body.contains("Exception") || body.contains(".java:"), body);
  }
}
