package dev.cowrie;

import dev.cowrie.config.CowrieConfig;
import dev.cowrie.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The gateway process from start to exit. A start either serves or exits non-zero within a bound,
 * after one line naming the cause; SIGTERM and SIGINT stop it in order (drain HTTP, stop relays
 * and workers, close pools) within a bound, then exit 0. Only the main thread and the signal
 * thread wait or exit here: never an event loop, whose blocking would hang the whole process.
 */
final class Lifecycle {
  private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

  private final CowrieConfig config;
  private final Vertx vertx;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private volatile List<String> deployments = List.of();

  private Lifecycle(CowrieConfig config, Vertx vertx) {
    this.config = config;
    this.vertx = vertx;
  }

  /** Starts the gateway; answers 0 once it serves, or the exit code after logging why it cannot. */
  static int start() {
    CowrieConfig config;
    try {
      config = CowrieConfig.load();
      config.masterKey();
    } catch (RuntimeException e) {
      log.error("Cowrie cannot start: {}", e.getMessage());
      return 2;
    }
    if (portTaken(config)) {
      log.error("Cowrie cannot start: {}", StartFailures.portInUse(config));
      return 1;
    }
    try {
      Database.ensureExists(config);
      Database.migrate(config);
    } catch (RuntimeException e) {
      log.error("Cowrie cannot start: {}", StartFailures.database(e, config));
      return 1;
    }
    Vertx vertx;
    try {
      vertx = Cowrie.vertx(config).toCompletionStage().toCompletableFuture()
          .get(config.lifecycle().startTimeoutMs(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      log.error("Cowrie cannot start: it could not join its cluster ({})",
          e instanceof ExecutionException ? e.getCause().getMessage() : "no answer in time");
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    Lifecycle lifecycle = new Lifecycle(config, vertx);
    lifecycle.stopOnSignals();
    return lifecycle.deploy();
  }

  private int deploy() {
    long timeoutMs = config.lifecycle().startTimeoutMs();
    String failure;
    try {
      deployments = Cowrie.deploy(vertx, config).toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
      log.info("Cowrie listening on http://{}:{}", config.http().host(), config.http().port());
      // Advice, not a condition of serving: asked on a worker after the gateway is ready, not on the way to it.
      vertx.executeBlocking(() -> {
        Database.warnWithoutAutovacuum(config);
        return null;
      });
      return 0;
    } catch (ExecutionException e) {
      failure = StartFailures.deployment(e.getCause(), config);
      log.debug("Start-up failure", e.getCause());
    } catch (TimeoutException e) {
      failure = "not ready within " + timeoutMs + " ms (lifecycle.start_timeout_ms)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = "interrupted while starting";
    }
    log.error("Cowrie cannot start: {}", failure);
    if (stopping.compareAndSet(false, true)) {
      stop();
    }
    return 1;
  }

  /** The port is checked before any connection is opened, so the common mistake fails at once and clearly. */
  private static boolean portTaken(CowrieConfig config) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(config.http().host(), config.http().port()));
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private void stopOnSignals() {
    for (String name : List.of("TERM", "INT")) {
      Signal.handle(new Signal(name), signal -> {
        if (stopping.compareAndSet(false, true)) {
          log.info("Cowrie received SIG{}; stopping", name);
          System.exit(stop() ? 0 : 1);
        } else {
          log.info("Cowrie received SIG{} while already stopping", name);
        }
      });
    }
  }

  /** Undeploys in reverse order (HTTP first, draining), then closes Vert.x; answers whether it finished in time. */
  private boolean stop() {
    long timeoutMs = config.lifecycle().stopTimeoutMs();
    List<String> reverse = new ArrayList<>(deployments);
    Collections.reverse(reverse);
    Future<Void> chain = Future.succeededFuture();
    for (String id : reverse) {
      chain = chain.compose(ignored -> vertx.undeploy(id).otherwise(failure -> {
        log.warn("Undeploying {} failed: {}", id, failure.getMessage());
        return null;
      }));
    }
    try {
      chain.compose(ignored -> vertx.close()).toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
      log.info("Cowrie stopped");
      return true;
    } catch (TimeoutException e) {
      log.error("Cowrie did not stop within {} ms (lifecycle.stop_timeout_ms); exiting anyway", timeoutMs);
    } catch (ExecutionException e) {
      log.error("Cowrie stopped with an error: {}", e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }
}
