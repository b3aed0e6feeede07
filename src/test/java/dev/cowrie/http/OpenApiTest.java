package dev.cowrie.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** openapi.yaml describes every route the gateway mounts; /docs renders it. */
class OpenApiTest {
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(OpenApiTest.class);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void everyRouteIsInOpenApi() {
    Response spec = gateway.get("/openapi.json").send();
    assertEquals(200, spec.status());
    JsonObject paths = spec.json().getJsonObject("paths");
    var routes = gateway.vertx.sharedData().<String, String>getLocalMap(HttpVerticle.ROUTES_MAP);
    assertFalse(routes.isEmpty());
    List<String> missing = new ArrayList<>();
    for (String route : routes.keySet()) {
      String method = route.substring(0, route.indexOf(' ')).toLowerCase(Locale.ROOT);
      String path = route.substring(route.indexOf(' ') + 1).replaceAll(":([A-Za-z_]+)", "{$1}");
      JsonObject item = paths.getJsonObject(path);
      if (item == null || !item.containsKey(method)) {
        missing.add(route);
      }
    }
    assertTrue(missing.isEmpty(), "routes missing from openapi.yaml: " + missing);
  }

  @Test
  void yamlAndDocsAreServed() {
    Response yaml = gateway.get("/openapi.yaml").send();
    assertEquals(200, yaml.status());
    assertTrue(yaml.body().toString().startsWith("openapi: 3"), yaml.body().toString().substring(0, 40));
    Response docs = gateway.get("/docs").send();
    assertEquals(200, docs.status());
    assertTrue(docs.header("Content-Type").startsWith("text/html"));
    assertTrue(docs.body().toString().toLowerCase(Locale.ROOT).contains("<html"));
  }

  @Test
  void everyOperationHasOnlyOpenApiFields() {
    // Catches YAML slips such as an unquoted comma in a flow-style summary, which silently becomes a key.
    JsonObject spec = gateway.get("/openapi.json").send().json();
    java.util.Set<String> allowed = java.util.Set.of("summary", "description", "security", "parameters", "requestBody",
        "responses", "operationId", "tags");
    List<String> problems = new ArrayList<>();
    spec.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).forEach(operation -> {
      JsonObject op = (JsonObject) operation.getValue();
      op.fieldNames().stream().filter(name -> !allowed.contains(name))
          .forEach(name -> problems.add(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey() + ": " + name));
      if (op.getString("summary") == null || op.getJsonObject("responses") == null) {
        problems.add(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey() + ": no summary or responses");
      }
    }));
    assertTrue(problems.isEmpty(), "malformed operations: " + problems);
  }
}
