package dev.cowrie.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp;
import dev.cowrie.testing.WalletUsers;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every route the gateway mounts, hit with garbage path ids and bodies under every kind of
 * credential: never a 5xx, never a stack trace, and every refusal is the error object of API.md.
 */
class EveryRouteRefusesGarbageTest {
  static TestGateway gateway;
  static List<String> credentials = new ArrayList<>();

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(EveryRouteRefusesGarbageTest.class, Map.of(
        "COWRIE_RATE_LIMIT_PER_KEY_PER_SECOND", "100000", "COWRIE_RATE_LIMIT_PER_KEY_BURST", "100000",
        "COWRIE_RATE_LIMIT_PER_IP_AUTH_PER_SECOND", "100000", "COWRIE_RATE_LIMIT_PER_IP_AUTH_BURST", "100000"));
    TestGateway.Merchant merchant = gateway.createMerchant("Garbage Shop");
    gateway.enableSandbox(merchant, "garbage_secret_0123456789abcdef");
    credentials.add(null);
    credentials.add(merchant.secret());
    credentials.add(merchant.publishable());
    credentials.add(WalletUsers.create(gateway, merchant, "garbage-user").token());
    credentials.add("sk_test_" + "z".repeat(43));
    credentials.add("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static final List<String> IDS = List.of("garbage", "pay_00000000000000000000000000", "x".repeat(300), "%00%ff");
  static final String GARBAGE_QUERY = "?limit=abc&starting_after=%00%ff&status=%00&direction=sideways&type=%ff&reference=%00";
  static final List<String> BODIES = List.of("", "{}", "[]", "\"text\"", "not json", "{\"amount\":\"x\",\"currency\":5,\"to\":[]}",
      "{\"amount\":-1,\"currency\":\"NGN\"}", "{\"amount\":1e999,\"url\":7,\"events\":\"x\",\"kind\":9}",
      "{\"encoded_message\":\"!!!\",\"qr_png\":\"@@@\",\"username\":{},\"password\":[]}",
      "[".repeat(5000),
      "{\"amount\":100,\"currency\":\"NGN\",\"description\":\"a\\u0000b\",\"name\":\"\\u0000\",\"username\":\"u\\u0000\","
          + "\"password\":\"p\\u0000assword1\",\"text\":\"\\u0000\",\"kind\":\"text\",\"to\":\"\\u0000\",\"url\":\"https://e.com/\\u0000\","
          + "\"reference\":\"\\u0000\",\"metadata\":{\"k\":\"\\u0000\"},\"refresh_token\":\"\\u0000\",\"email\":\"a\\u0000@b.co\"}", "{\"a\":\"" + "x".repeat(70_000) + "\"}");

  @Test
  void noRouteAnswers5xxOrAStackTrace() {
    var routes = gateway.vertx.sharedData().<String, String>getLocalMap(HttpVerticle.ROUTES_MAP);
    List<String> problems = new ArrayList<>();
    int requests = 0;
    for (String route : new java.util.TreeSet<>(routes.keySet())) {
      HttpMethod method = HttpMethod.valueOf(route.substring(0, route.indexOf(' ')));
      String template = route.substring(route.indexOf(' ') + 1);
      if (template.contains("*") || template.endsWith("/stream") || template.endsWith("/ws")) {
        continue; // WebSocket and SockJS upgrades have their own tests
      }
      for (String id : IDS) {
        String path = template.replaceAll(":[a-z_]+", id) + (method == HttpMethod.GET && id.equals("garbage") ? GARBAGE_QUERY : "");
        List<Future<TestHttp.Response>> sent = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (String credential : credentials) {
          for (String body : method == HttpMethod.GET || method == HttpMethod.DELETE ? List.of("") : BODIES) {
            TestHttp.Request request = gateway.request(method, path);
            if (credential != null) {
              request.bearer(credential);
            }
            if (!body.isEmpty()) {
              request.raw("application/json", body);
            }
            sent.add(request.sendAsync());
            labels.add(method + " " + path + " as " + (credential == null ? "anonymous" : credential.substring(0, 8))
                + " with " + (body.length() > 40 ? body.substring(0, 40) + "…" : body));
          }
        }
        TestGateway.await(Future.join(sent).recover(failure -> Future.succeededFuture()));
        for (int i = 0; i < sent.size(); i++) {
          requests++;
          if (sent.get(i).failed()) {
            problems.add(labels.get(i) + " → no answer: " + sent.get(i).cause());
            continue;
          }
          TestHttp.Response response = sent.get(i).result();
          String text = response.body().toString();
          boolean errorShape = response.status() < 400 || isErrorObject(response);
          if (response.status() >= 500 || !errorShape || text.contains("Exception") || text.contains("at dev.cowrie")
              || response.header("Request-Id") == null) {
            problems.add(labels.get(i) + " → " + response.status() + " " + (text.length() > 200 ? text.substring(0, 200) : text));
          }
        }
      }
    }
    assertTrue(requests > 1000, "swept " + requests + " requests");
    assertTrue(problems.isEmpty(), problems.size() + " problems:\n" + String.join("\n", problems.subList(0, Math.min(40, problems.size()))));
  }

  private static boolean isErrorObject(TestHttp.Response response) {
    try {
      JsonObject error = response.json().getJsonObject("error");
      return error != null && error.getString("code") != null && error.getString("type") != null
          && error.getString("message") != null;
    } catch (RuntimeException notJson) {
      return false;
    }
  }
}
