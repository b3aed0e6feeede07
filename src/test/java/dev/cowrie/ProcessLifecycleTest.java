package dev.cowrie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.common.Secrets;
import dev.cowrie.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway as an operating-system process, as an operator runs it: a failed start exits
 * non-zero with one line naming the cause, and SIGTERM stops a running gateway cleanly (exit 0).
 * The bounds below only catch a hang; they are minutes, not a performance claim.
 */
class ProcessLifecycleTest {
  private static final long EXIT_BOUND_SECONDS = 90;
  private static final List<String> schemas = new ArrayList<>();
  private static final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    processes.stream().filter(Process::isAlive).forEach(Process::destroyForcibly);
  }

  @AfterAll
  static void dropSchemas() {
    Vertx vertx = Vertx.vertx();
    try {
      Pool admin = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(TestGateway.TEST_PG_URL)).using(vertx).build();
      for (String schema : schemas) {
        TestGateway.await(admin.query("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE").execute());
      }
      TestGateway.await(admin.close());
    } finally {
      TestGateway.await(vertx.close());
    }
  }

  @Test
  void aTakenPortExitsNonZeroNamingThePort() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = taken.getLocalPort();
      Gateway gateway = Gateway.start(port, Map.of());
      assertTrue(gateway.process.waitFor(EXIT_BOUND_SECONDS, TimeUnit.SECONDS), "did not exit: " + gateway.log());
      assertNotEquals(0, gateway.process.exitValue(), gateway.log());
      assertTrue(gateway.log().contains("Cowrie cannot start: port " + port + " on 127.0.0.1 is already in use"), gateway.log());
    }
  }

  @Test
  void anUnreachableDatabaseExitsNonZeroNamingIt() throws Exception {
    int closed = freePort();
    Gateway gateway = Gateway.start(freePort(), Map.of("COWRIE_PG_URL", "postgresql://postgres@127.0.0.1:" + closed + "/cowrie_test"));
    assertTrue(gateway.process.waitFor(EXIT_BOUND_SECONDS, TimeUnit.SECONDS), "did not exit: " + gateway.log());
    assertNotEquals(0, gateway.process.exitValue(), gateway.log());
    assertTrue(gateway.log().contains("Cowrie cannot start: PostgreSQL at 127.0.0.1:" + closed + " refused the connection"), gateway.log());
  }

  @Test
  void sigtermStopsARunningGatewayCleanly() throws Exception {
    int port = freePort();
    Gateway gateway = Gateway.start(port, Map.of());
    HttpClient http = HttpClient.newHttpClient();
    TestGateway.eventually("the gateway answers /health/live; log: " + gateway.log(), Duration.ofMinutes(3),
        () -> gateway.process.isAlive() && live(http, port));

    gateway.process.destroy(); // SIGTERM
    assertTrue(gateway.process.waitFor(EXIT_BOUND_SECONDS, TimeUnit.SECONDS), "did not exit after SIGTERM: " + gateway.log());
    assertEquals(0, gateway.process.exitValue(), gateway.log());
    assertTrue(gateway.log().contains("Cowrie stopped"), gateway.log());
  }

  private static boolean live(HttpClient http, int port) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live"))
          .timeout(Duration.ofSeconds(5)).build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** {@code java dev.cowrie.Main} on the test classpath, its output in a file. */
  private record Gateway(Process process, Path output) {
    static Gateway start(int port, Map<String, String> overrides) throws IOException {
      String schema = ("t_process_" + Secrets.randomToken(4)).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "x");
      schemas.add(schema);
      Path output = Files.createTempFile("cowrie-process-", ".log");
      ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName())
          .redirectErrorStream(true).redirectOutput(output.toFile());
      Map<String, String> env = builder.environment();
      env.keySet().removeIf(name -> name.startsWith("COWRIE_"));
      env.put("COWRIE_PG_URL", TestGateway.TEST_PG_URL);
      env.put("COWRIE_PG_SCHEMA", schema);
      env.put("COWRIE_PG_POOL_SIZE", "4");
      env.put("COWRIE_HTTP_PORT", String.valueOf(port));
      env.put("COWRIE_PUBLIC_URL", "http://127.0.0.1:" + port);
      env.put("COWRIE_REDIS_KEY_PREFIX", "test:" + schema + ":");
      env.put("COWRIE_ADMIN_TOKEN", "adm_" + Secrets.randomToken(24));
      env.put("COWRIE_MASTER_KEY", java.util.Base64.getEncoder().encodeToString(Secrets.randomBytes(32)));
      env.put("COWRIE_BUS_INSTANCES", "1");
      env.put("COWRIE_HTTP_INSTANCES", "2");
      env.putAll(overrides);
      Process process = builder.start();
      processes.add(process);
      return new Gateway(process, output);
    }

    String log() {
      try {
        return Files.readString(output);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
