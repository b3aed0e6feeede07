package dev.cowrie.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Liveness, readiness against the real Postgres and Redis, and the Prometheus scrape. */
class HealthTest {
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(HealthTest.class);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void liveAndReady() {
    Response live = gateway.get("/health/live").send();
    assertEquals(200, live.status());
    assertEquals("ok", live.json().getString("status"));
    Response ready = gateway.get("/health/ready").send();
    assertEquals(200, ready.status(), ready.toString());
    assertEquals("ready", ready.json().getString("status"));
    assertEquals("ok", ready.json().getJsonObject("checks").getString("postgres"));
    assertEquals("ok", ready.json().getJsonObject("checks").getString("redis"));
  }

  @Test
  void metricsArePrometheusText() {
    gateway.get("/health/live").send(); // at least one request has been measured
    Response metrics = gateway.get("/metrics").send();
    assertEquals(200, metrics.status());
    assertTrue(metrics.header("Content-Type").startsWith("text/plain"), metrics.header("Content-Type"));
    String text = metrics.body().toString();
    assertTrue(text.contains("# TYPE "), "no Prometheus TYPE lines");
    assertTrue(text.contains("vertx_http_server_requests_total"), "no HTTP server metrics");
    assertTrue(text.contains("jvm_memory_used_bytes"), "no JVM metrics");
  }
}
