package dev.cowrie.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension giving tests a REAL single-node Apache Kafka broker (KRaft, 4.1).
 *
 * <pre>
 * &#64;ExtendWith(KafkaBroker.class)
 * class MyTest {
 *   &#64;Test void t() { String bootstrap = KafkaBroker.bootstrap(); ... }
 * }
 * </pre>
 *
 * <p>One broker per test JVM: started on first use (by the extension or by a direct
 * {@link #bootstrap()} call) through {@code scripts/kafka.sh start --port <free> --dir <temp>},
 * on free loopback ports, with its own data dir in a temp directory, and stopped (dir
 * deleted) when the whole test plan ends (root {@link ExtensionContext.Store}) or, as a
 * fallback, by a JVM shutdown hook. Topics are auto-created with 3 partitions; tests should
 * use unique topic names since the broker is shared by all tests in the JVM.
 *
 * <p>Set {@code -Dcowrie.kafka.bootstrap=host:port} (or env {@code COWRIE_KAFKA_BOOTSTRAP})
 * to use an already running broker instead of starting one.
 */
public final class KafkaBroker implements BeforeAllCallback {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private static final Object LOCK = new Object();
  private static volatile Running running;

  @Override
  public void beforeAll(ExtensionContext context) {
    String bootstrap = bootstrap();
    // Stop the broker when the whole test plan ends (root store closes its resources).
    context.getRoot().getStore(ExtensionContext.Namespace.create(KafkaBroker.class))
        .getOrComputeIfAbsent("broker", k -> new Closer(), Closer.class);
    context.publishReportEntry("kafka.bootstrap", bootstrap);
  }

  /** The {@code host:port} of the broker, starting it if this JVM has none yet. */
  public static String bootstrap() {
    Running r = running;
    if (r == null) {
      synchronized (LOCK) {
        r = running;
        if (r == null) {
          r = start();
          running = r;
          Runtime.getRuntime().addShutdownHook(new Thread(KafkaBroker::stop, "kafka-broker-stop"));
        }
      }
    }
    return r.bootstrap;
  }

  /** Stops the broker started by this JVM (no-op if none). Called automatically. */
  public static void stop() {
    Running r;
    synchronized (LOCK) {
      r = running;
      running = null;
    }
    if (r != null) {
      r.stop();
    }
  }

  private static final class Closer implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      stop();
    }
  }

  // ---------------------------------------------------------------------------------------

  private record Running(String bootstrap, long pid, Path dir, Path pidFile) {
    void stop() {
      if (pid > 0) {
        ProcessHandle.of(pid).ifPresent(p -> {
          p.destroy(); // SIGTERM: controlled shutdown
          try {
            p.onExit().get(30, TimeUnit.SECONDS);
          } catch (Exception e) {
            p.destroyForcibly();
            try {
              p.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
              // give up; nothing more we can do
            }
          }
        });
      }
      if (pidFile != null) {
        try {
          Files.deleteIfExists(pidFile);
          Files.deleteIfExists(pidFile.resolveSibling(pidFile.getFileName().toString().replace(".pid", ".dir")));
        } catch (IOException ignored) {
          // best effort
        }
      }
      if (dir != null) {
        deleteRecursively(dir);
      }
    }
  }

  private static Running start() {
    String external = System.getProperty("cowrie.kafka.bootstrap", System.getenv("COWRIE_KAFKA_BOOTSTRAP"));
    if (external != null && !external.isBlank()) {
      awaitReady(external.trim(), null);
      return new Running(external.trim(), -1, null, null);
    }

    int port = freePortPair();
    Path dir;
    try {
      dir = Files.createTempDirectory("cowrie-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("KafkaBroker: cannot create a temp dir", e);
    }
    return launch(port, dir);
  }

  /** Starts a broker on {@code port} (and port+1) with data in {@code dir}, reusing it if already formatted. */
  private static Running launch(int port, Path dir) {
    Path root = repoRoot();
    Path script = root.resolve("scripts/kafka.sh");
    long t0 = System.nanoTime();
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "start",
        "--port", Integer.toString(port), "--dir", dir.toString(),
        "--owner-pid", Long.toString(ProcessHandle.current().pid()))
        .directory(root.toFile())
        .redirectErrorStream(true);
    // Same JVM as the tests for the broker.
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    String output;
    int exit;
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      // The script detaches the broker from its stdout, so this reaches EOF when it exits.
      output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        exit = -1;
      } else {
        exit = p.exitValue();
      }
    } catch (IOException e) {
      throw new IllegalStateException("KafkaBroker: could not run " + script + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("KafkaBroker: interrupted while starting the broker", e);
    }

    Path pidFile = root.resolve("target/kafka-" + port + ".pid");
    long pid = readPid(pidFile);
    if (exit != 0) {
      new Running(null, pid, null, pidFile).stop(); // keep dir for post-mortem
      throw new IllegalStateException("KafkaBroker: `scripts/kafka.sh start --port " + port + " --dir " + dir
          + "` failed (exit " + exit + ").\n--- script output ---\n" + output
          + (output.contains("tail of ") ? "" // the script already printed the broker log tail
              : logTail(dir.resolve("logs/server.log")) + logTail(dir.resolve("logs/kafka.out"))));
    }

    String bootstrap = "127.0.0.1:" + port;
    Running r = new Running(bootstrap, pid, dir, pidFile);
    try {
      awaitReady(bootstrap, dir);
    } catch (RuntimeException e) {
      new Running(null, pid, null, pidFile).stop(); // keep dir for post-mortem
      throw e;
    }
    System.out.printf("KafkaBroker: broker %s ready in %d ms (pid %d, dir %s)%n",
        bootstrap, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), pid, dir);
    return r;
  }

  /**
   * A broker of one test's own, apart from the shared one (its own ports and data dir, so
   * stopping it disturbs no other test class), which the test stops and starts again to play
   * an outage. Created stopped; the data dir survives a stop, so topics and records do too.
   */
  public static final class Restartable implements AutoCloseable {
    private final int port;
    private final Path dir;
    private Running running;

    private Restartable(int port, Path dir) {
      this.port = port;
      this.dir = dir;
    }

    /** A broker not started yet, with its address already fixed. */
    public static Restartable create() {
      try {
        return new Restartable(freePortPair(), Files.createTempDirectory("cowrie-kafka-restartable-"));
      } catch (IOException e) {
        throw new UncheckedIOException("KafkaBroker: cannot create a temp dir", e);
      }
    }

    public String bootstrap() {
      return "127.0.0.1:" + port;
    }

    public synchronized void start() {
      if (running == null) {
        running = launch(port, dir);
      }
    }

    /** Stops the broker (controlled shutdown), keeping its data. */
    public synchronized void stop() {
      if (running != null) {
        new Running(null, running.pid(), null, running.pidFile()).stop();
        running = null;
      }
    }

    @Override
    public synchronized void close() {
      stop();
      deleteRecursively(dir);
    }
  }

  /**
   * Waits until the broker answers a metadata request. The admin client itself retries
   * (reconnecting with backoff) until its API timeout, so one call waits for the condition.
   */
  private static void awaitReady(String bootstrap, Path dir) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(READY_TIMEOUT.toMillis()));
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "100");
    Exception last = null;
    try (Admin admin = Admin.create(props)) {
      if (!admin.describeCluster().nodes().get(READY_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS).isEmpty()) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      last = e;
    } catch (Exception e) {
      last = e;
    }
    throw new IllegalStateException("KafkaBroker: broker at " + bootstrap + " not ready after "
        + READY_TIMEOUT.toSeconds() + "s: " + last
        + (dir == null ? "" : logTail(dir.resolve("logs/server.log"))), last);
  }

  /** Walks up from the working directory (Maven's basedir) to the dir holding scripts/kafka.sh. */
  private static Path repoRoot() {
    Path start = Path.of("").toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("scripts/kafka.sh"))) {
        return p;
      }
    }
    throw new IllegalStateException("KafkaBroker: scripts/kafka.sh not found in " + start
        + " or any parent directory; run tests from the repository (Maven basedir)");
  }

  /** A port P such that P and P+1 (the controller listener) are both free on 127.0.0.1. */
  private static int freePortPair() {
    InetAddress lo = InetAddress.getLoopbackAddress();
    for (int attempt = 0; attempt < 50; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, lo)) {
        port = s.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("KafkaBroker: no free port", e);
      }
      if (port >= 65535) {
        continue;
      }
      try (ServerSocket a = new ServerSocket(port, 1, lo); ServerSocket b = new ServerSocket(port + 1, 1, lo)) {
        return port;
      } catch (IOException busy) {
        // try another
      }
    }
    throw new IllegalStateException("KafkaBroker: could not find two adjacent free ports");
  }

  private static long readPid(Path pidFile) {
    try {
      return Long.parseLong(Files.readString(pidFile).trim());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  private static String logTail(Path log) {
    if (!Files.isRegularFile(log)) {
      return "";
    }
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      List<String> tail = new ArrayList<>(lines.subList(Math.max(0, lines.size() - 80), lines.size()));
      return "\n--- tail of " + log + " ---\n" + String.join("\n", tail) + "\n";
    } catch (IOException | UncheckedIOException e) {
      return "\n(could not read " + log + ": " + e + ")\n";
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort
        }
      });
    } catch (IOException | UncheckedIOException ignored) {
      // best effort
    }
  }
}
