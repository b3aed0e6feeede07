package dev.cowrie.events;

import dev.cowrie.auth.Principal;
import dev.cowrie.common.Bus;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.http.Page;
import dev.cowrie.store.Database;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox relay ({@link OutboxRelay}) on a poll timer, woken early by {@link EventAddresses#NUDGE};
 * also serves event reads and, when Kafka is on, the readiness question about it.
 */
public final class EventsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(EventsVerticle.class);
  private static final long FAILURE_LOG_INTERVAL_MS = 10_000;

  private final CowrieConfig config;
  private Pool pool;
  private Pool system;
  private KafkaSink kafka;
  private OutboxRelay relay;
  private boolean relaying;
  private boolean wokenWhileRelaying;
  private long lastFailureLogMs;

  public EventsVerticle(CowrieConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, config);
    // The relay claims every merchant's events: the system role.
    system = Database.systemPool(vertx, config);
    kafka = KafkaSink.create(vertx, config);
    relay = new OutboxRelay(vertx, system, kafka, config.integer("outbox", "batch_size"),
        config.integer("webhook", "attempts_max"));
    List<Future<?>> ready = new ArrayList<>();
    ready.add(vertx.eventBus().localConsumer(EventAddresses.NUDGE, message -> wake()).completion());
    ready.add(Bus.serve(vertx, EventAddresses.LIST, this::list).completion());
    ready.add(Bus.serve(vertx, EventAddresses.GET, cmd -> {
      Principal principal = Principal.fromJson(cmd.getJsonObject("principal"));
      return EventQueries.get(pool, principal.merchantId(), principal.mode(), cmd.getString("id"));
    }).completion());
    if (kafka != null) {
      ready.add(Bus.serve(vertx, EventAddresses.KAFKA_HEALTH, cmd -> kafka.health()).completion());
    }
    vertx.setPeriodic(config.number("outbox", "poll_interval_ms"), tick -> wake());
    return Future.all(ready).onSuccess(ok -> wake());
  }

  private Future<JsonObject> list(JsonObject cmd) {
    Principal principal = Principal.fromJson(cmd.getJsonObject("principal"));
    return EventQueries.list(pool, principal.merchantId(), principal.mode(),
        Page.fromJson(cmd.getJsonObject("page")), cmd.getString("type"));
  }

  /** Runs relay passes back to back while batches come back full or a nudge arrived meanwhile. */
  private void wake() {
    if (relaying) {
      wokenWhileRelaying = true;
      return;
    }
    relaying = true;
    wokenWhileRelaying = false;
    relay.relayBatch().onComplete(done -> {
      relaying = false;
      if (done.failed()) {
        logFailure(done.cause());
        return; // the rows wait for the next poll
      }
      if (done.result() == relay.batchSize() || wokenWhileRelaying) {
        wake();
      }
    });
  }

  private void logFailure(Throwable failure) {
    long now = System.currentTimeMillis();
    if (now - lastFailureLogMs > FAILURE_LOG_INTERVAL_MS) {
      lastFailureLogMs = now;
      LOG.warn("Outbox relay pass failed; rows stay unrelayed and are retried: {}", failure.toString());
    }
  }

  @Override
  public Future<?> stop() {
    return kafka == null ? pool.close() : Future.all(kafka.close(), pool.close());
  }
}
