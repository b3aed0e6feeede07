package dev.cowrie.testing;

import dev.cowrie.common.Secrets;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.store.Database;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Several gateways as real OS processes ({@code java dev.cowrie.Main}, the test's own classpath),
 * clustered over loopback, sharing one Postgres schema and one Redis prefix. Each node's output
 * goes to {@code target/cluster-logs/}. Closing stops the processes and drops the schema.
 */
public final class GatewayCluster implements AutoCloseable {
  /** Three JVMs joining a cluster on a busy 2-core machine: generous, but bounded. */
  private static final Duration START_WITHIN = Duration.ofSeconds(150);

  public final String schema;
  public final String adminToken;
  public final Vertx vertx = Vertx.vertx();
  public final Pool sql;
  private final int[] httpPorts;
  private final List<Process> processes = new ArrayList<>();
  private final List<WebClient> clients = new ArrayList<>();

  private GatewayCluster(String schema, String adminToken, int[] httpPorts) {
    this.schema = schema;
    this.adminToken = adminToken;
    this.httpPorts = httpPorts;
    this.sql = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(TestGateway.TEST_PG_URL)
        .addProperty("search_path", schema)).using(vertx).build();
    for (int port : httpPorts) {
      clients.add(WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
          .setFollowRedirects(false)));
    }
  }

  /**
   * Starts {@code nodes} gateways and waits until each sees all the others. Every node's public URL
   * is node {@code callbackNode}'s, so provider callbacks (the sandbox's too) land there.
   */
  public static GatewayCluster start(Class<?> testClass, int nodes, int callbackNode, Map<String, String> overrides) {
    String schema = ("t_" + testClass.getSimpleName() + "_" + Secrets.randomToken(4)).toLowerCase(Locale.ROOT);
    int[] httpPorts = new int[nodes];
    int[] clusterPorts = new int[nodes];
    for (int i = 0; i < nodes; i++) {
      httpPorts[i] = freePort();
      clusterPorts[i] = freePort();
    }
    Map<String, String> env = new HashMap<>();
    env.put("COWRIE_PG_URL", TestGateway.TEST_PG_URL);
    env.put("COWRIE_PG_SCHEMA", schema);
    env.put("COWRIE_PG_POOL_SIZE", "2"); // three nodes of pools on a server shared with other test runs
    env.put("COWRIE_REDIS_KEY_PREFIX", "test:" + schema + ":");
    env.put("COWRIE_ADMIN_TOKEN", "adm_" + Secrets.randomToken(24));
    env.put("COWRIE_MASTER_KEY", Base64.getEncoder().encodeToString(Secrets.randomBytes(32)));
    env.put("COWRIE_PUBLIC_URL", "http://127.0.0.1:" + httpPorts[callbackNode - 1]);
    env.put("COWRIE_WEBHOOK_ALLOW_PRIVATE", "true");
    env.put("COWRIE_AUTH_BCRYPT_COST", "4");
    env.put("COWRIE_HTTP_INSTANCES", "1");
    env.put("COWRIE_BUS_INSTANCES", "1");
    env.put("COWRIE_CLUSTER_ENABLED", "true");
    env.put("COWRIE_CLUSTER_MEMBERS", Arrays.stream(clusterPorts).mapToObj(port -> "127.0.0.1:" + port)
        .collect(Collectors.joining(",")));
    env.putAll(overrides);
    // Migrated once here, so the nodes start on an up-to-date schema instead of racing for Flyway's lock.
    CowrieConfig config = CowrieConfig.load(env);
    Database.ensureExists(config);
    Database.migrate(config);
    GatewayCluster cluster = new GatewayCluster(schema, env.get("COWRIE_ADMIN_TOKEN"), httpPorts);
    try {
      for (int i = 0; i < nodes; i++) {
        Map<String, String> nodeEnv = new HashMap<>(env);
        nodeEnv.put("COWRIE_HTTP_PORT", String.valueOf(httpPorts[i]));
        nodeEnv.put("COWRIE_CLUSTER_PORT", String.valueOf(clusterPorts[i]));
        cluster.processes.add(launch(schema, i + 1, nodeEnv));
      }
      for (int node = 1; node <= nodes; node++) {
        cluster.awaitMembers(node, nodes);
      }
    } catch (RuntimeException | Error failure) {
      cluster.close();
      throw failure;
    }
    return cluster;
  }

  private static Process launch(String schema, int node, Map<String, String> env) {
    try {
      Path logs = Files.createDirectories(Path.of("target", "cluster-logs"));
      ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
          "-cp", System.getProperty("java.class.path"), "dev.cowrie.Main")
          .redirectErrorStream(true)
          .redirectOutput(logs.resolve(schema + "-node" + node + ".log").toFile())
          .directory(new File(System.getProperty("user.dir")));
      builder.environment().keySet().removeIf(name -> name.startsWith("COWRIE_"));
      builder.environment().putAll(env);
      return builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start gateway node " + node, e);
    }
  }

  /** Waits until node {@code node}'s readiness reports {@code members} cluster members. */
  public void awaitMembers(int node, int members) {
    TestGateway.eventually("node " + node + " ready with " + members + " members (see target/cluster-logs/)",
        START_WITHIN, () -> {
          if (!processes.get(node - 1).isAlive()) {
            throw new AssertionError("node " + node + " exited with " + processes.get(node - 1).exitValue()
                + " (see target/cluster-logs/" + schema + "-node" + node + ".log)");
          }
          try {
            JsonObject checks = get(node, "/health/ready").send().json().getJsonObject("checks");
            return checks != null && Integer.valueOf(members).equals(checks.getInteger("cluster"));
          } catch (AssertionError | RuntimeException notYet) {
            return false;
          }
        });
  }

  /** Kills node {@code node} with SIGKILL, as a crash would: no shutdown hook, no drain. */
  public void kill(int node) {
    Process process = processes.get(node - 1);
    process.destroyForcibly();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new AssertionError("node " + node + " still runs 10 s after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while killing node " + node, e);
    }
  }

  public int port(int node) {
    return httpPorts[node - 1];
  }

  public TestHttp.Request request(int node, HttpMethod method, String path) {
    return new TestHttp.Request(clients.get(node - 1), method, path);
  }

  public TestHttp.Request get(int node, String path) {
    return request(node, HttpMethod.GET, path);
  }

  public TestHttp.Request post(int node, String path) {
    return request(node, HttpMethod.POST, path);
  }

  public TestHttp.Request put(int node, String path) {
    return request(node, HttpMethod.PUT, path);
  }

  /** A merchant created through node {@code node}'s admin API. */
  public TestGateway.Merchant createMerchant(int node, String name) {
    TestHttp.Response response = post(node, "/v1/admin/merchants").bearer(adminToken)
        .json(new JsonObject().put("name", name).put("email", name.toLowerCase(Locale.ROOT).replace(' ', '-') + "@example.com"))
        .send();
    if (response.status() != 201) {
      throw new AssertionError("merchant creation failed: " + response);
    }
    JsonObject keys = response.json().getJsonObject("api_keys");
    return new TestGateway.Merchant(response.json().getString("id"), keys.getString("secret"), keys.getString("publishable"));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    processes.forEach(Process::destroy);
    for (Process process : processes) {
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    clients.forEach(WebClient::close);
    TestGateway.await(sql.query("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE").execute());
    TestGateway.await(sql.close());
    TestGateway.await(vertx.close());
  }
}
