package dev.cowrie.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker behind every TestHttp exchange sees what openapi.yaml does not allow, and passes what it does. */
class OpenApiConformanceTest {
  private static final MultiMap JSON = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");

  @Test
  void anAnswerTheDocumentDoesNotDescribeIsAViolation() {
    OpenApiConformance.drain();
    Buffer wallet = new JsonObject().put("object", "wallet").put("balances", "not a list").toBuffer();
    OpenApiConformance.check(HttpMethod.GET, "/v1/wallet", MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer t"),
        null, 200, JSON, wallet);
    List<String> violations = OpenApiConformance.drain();
    assertEquals(1, violations.size(), violations.toString());
    assertTrue(violations.get(0).contains("GET /v1/wallet → 200 (response)"), violations.get(0));
    assertTrue(OpenApiConformance.enforced(violations.get(0)));
  }

  @Test
  void anAcceptedRequestWithAWrongTypeIsAViolation() {
    OpenApiConformance.drain();
    Buffer payment = new JsonObject().put("amount", "100").put("currency", "NGN").toBuffer();
    OpenApiConformance.check(HttpMethod.POST, "/v1/payments", MultiMap.caseInsensitiveMultiMap()
        .add("Authorization", "Bearer sk_test_x").add("Content-Type", "application/json"), payment, 201, JSON,
        new JsonObject().put("id", "pay_1").toBuffer());
    List<String> violations = OpenApiConformance.drain();
    assertTrue(violations.stream().anyMatch(v -> v.contains("(request)") && v.contains("amount")), violations.toString());
  }

  @Test
  void aDescribedErrorIsNoViolation() {
    OpenApiConformance.drain();
    Buffer error = new JsonObject().put("error", new JsonObject().put("type", "invalid_request_error")
        .put("code", "resource_missing").put("message", "No such payment").put("request_id", "req_1")).toBuffer();
    OpenApiConformance.check(HttpMethod.GET, "/v1/payments/pay_1", MultiMap.caseInsensitiveMultiMap(), null, 404, JSON, error);
    assertEquals(List.of(), OpenApiConformance.drain());
  }
}
