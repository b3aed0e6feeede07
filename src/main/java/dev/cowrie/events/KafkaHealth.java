package dev.cowrie.events;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Is the broker there? Asked of the broker itself each time (an admin describe-cluster request with
 * a short timeout; the producer's cached metadata would say "ok" long after the broker left).
 * Probes arriving while one is out share its answer. A change of state is logged once, in words.
 */
final class KafkaHealth {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaHealth.class);

  /** The answer to a readiness probe: up, or down with the reason in words. */
  record State(boolean up, String detail) {
    JsonObject toJson() {
      return new JsonObject().put("kafka", up ? "ok" : "down").put("detail", detail);
    }
  }

  private final Vertx vertx;
  private final Admin admin;
  private final String bootstrap;
  private Future<State> inFlight;
  private State last;

  KafkaHealth(Vertx vertx, KafkaSettings settings) {
    this.vertx = vertx;
    this.admin = Admin.create(settings.admin());
    this.bootstrap = settings.bootstrap();
  }

  /** Asks the broker now (or joins the question already out); never fails: a down broker is an answer. */
  Future<State> check() {
    if (inFlight == null) {
      inFlight = describeCluster().eventually(() -> {
        inFlight = null;
        return Future.succeededFuture();
      }).onSuccess(this::remember);
    }
    return inFlight;
  }

  private Future<State> describeCluster() {
    Context context = vertx.getOrCreateContext();
    Promise<State> answered = Promise.promise();
    admin.describeCluster(new DescribeClusterOptions().timeoutMs(KafkaSettings.HEALTH_TIMEOUT_MS)).nodes()
        .whenComplete((nodes, failure) -> context.runOnContext(v -> answered.complete(failure == null
            ? new State(true, nodes.size() + " broker(s) answered at " + bootstrap)
            : new State(false, reason(failure)))));
    return answered.future();
  }

  private String reason(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof TimeoutException) {
      return "no broker at " + bootstrap + " answered a metadata request within "
          + KafkaSettings.HEALTH_TIMEOUT_MS + " ms";
    }
    return "broker at " + bootstrap + " refused a metadata request: " + cause.getMessage();
  }

  private void remember(State state) {
    if (last == null || last.up() != state.up()) {
      if (state.up()) {
        LOG.info("Kafka is up: {}", state.detail());
      } else {
        LOG.warn("Kafka is down: {}; events wait in the outbox and are sent when it returns", state.detail());
      }
    }
    last = state;
  }

  Future<Void> close() {
    return vertx.executeBlocking(() -> {
      admin.close(Duration.ofSeconds(1));
      return null;
    }, false).mapEmpty();
  }
}
