package dev.cowrie.events;

import dev.cowrie.common.Bus;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.http.Page;
import dev.cowrie.security.Principal;
import dev.cowrie.store.Database;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox's sinks, each advancing on its own: the webhook/live-stream relay ({@link OutboxRelay})
 * and, when Kafka is on, the Kafka relay ({@link KafkaRelay}), both on the poll timer and woken
 * early by {@link EventAddresses#NUDGE}. Also serves event reads, the readiness question about
 * Kafka and the outbox lag gauges.
 */
public final class EventsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(EventsVerticle.class);
  private static final long FAILURE_LOG_INTERVAL_MS = 10_000;
  private static final long LAG_REFRESH_MS = 5_000;
  private static final long WEBHOOK_BACKOFF_MAX_MS = 2_000;
  private static final long KAFKA_BACKOFF_MAX_MS = 5_000;

  private final CowrieConfig config;
  private final EventFanOut fanOut;
  private Pool pool;
  private Pool system;
  private OutboxRelay relay;
  private KafkaSink kafka;
  private KafkaRelay kafkaRelay;
  private KafkaHealth kafkaHealth;
  private final List<RelayLoop> loops = new ArrayList<>();
  private long lastFailureLogMs;

  private final Clock clock;

  /** {@code clock}: how often a failing relay pass is logged. */
  public EventsVerticle(CowrieConfig config, EventFanOut fanOut, Clock clock) {
    this.config = config;
    this.fanOut = fanOut;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, config);
    // The relays claim every merchant's events: the system role.
    system = Database.systemPool(vertx, config);
    KafkaSettings kafkaSettings = KafkaSettings.of(config);
    int batchSize = config.outbox().batchSize();
    relay = new OutboxRelay(vertx, system, kafkaSettings != null, batchSize, fanOut);
    loops.add(new RelayLoop(vertx, relay::relayBatch, batchSize, config.outbox().lingerMs(), WEBHOOK_BACKOFF_MAX_MS,
        failure -> logFailure("Outbox relay (webhooks, live stream)", failure)));
    List<Future<?>> ready = new ArrayList<>();
    if (kafkaSettings != null) {
      kafka = new KafkaSink(vertx, kafkaSettings);
      kafkaRelay = new KafkaRelay(system, kafka, batchSize);
      kafkaHealth = new KafkaHealth(vertx, kafkaSettings);
      loops.add(new RelayLoop(vertx, kafkaRelay::relayBatch, batchSize, config.outbox().lingerMs(), KAFKA_BACKOFF_MAX_MS,
          failure -> logFailure("Kafka relay", failure)));
      ready.add(Bus.serve(vertx, EventAddresses.KAFKA_HEALTH, cmd -> kafkaHealth.check().map(KafkaHealth.State::toJson)).completion());
    }
    ready.add(vertx.eventBus().localConsumer(EventAddresses.NUDGE, message -> wake()).completion());
    ready.add(Bus.serve(vertx, EventAddresses.LIST, this::list).completion());
    ready.add(Bus.serve(vertx, EventAddresses.GET, cmd -> {
      Principal principal = Principal.fromJson(cmd.getJsonObject("principal"));
      return EventQueries.get(pool, principal.merchantId(), principal.mode(), cmd.getString("id"));
    }).completion());
    ready.add(Bus.serve(vertx, EventAddresses.OF_PAYMENT, cmd -> {
      Principal principal = Principal.fromJson(cmd.getJsonObject("principal"));
      return EventQueries.ofPayment(pool, principal.merchantId(), principal.mode(), cmd.getString("payment"));
    }).completion());
    vertx.setPeriodic(config.outbox().pollIntervalMs(), tick -> wake());
    vertx.setPeriodic(LAG_REFRESH_MS, tick -> refreshLag());
    return Future.all(ready).onSuccess(ok -> wake());
  }

  private Future<JsonObject> list(JsonObject cmd) {
    Principal principal = Principal.fromJson(cmd.getJsonObject("principal"));
    return EventQueries.list(pool, principal.merchantId(), principal.mode(),
        Page.fromJson(cmd.getJsonObject("page")), cmd.getString("type"));
  }

  private void wake() {
    loops.forEach(RelayLoop::wake);
  }

  private void refreshLag() {
    relay.lag().onSuccess(OutboxLag.WEBHOOKS::set);
    if (kafkaRelay != null) {
      kafkaRelay.lag().onSuccess(OutboxLag.KAFKA::set);
    }
  }

  private void logFailure(String sink, Throwable failure) {
    long now = clock.millis();
    if (now - lastFailureLogMs > FAILURE_LOG_INTERVAL_MS) {
      lastFailureLogMs = now;
      LOG.warn("{} pass failed; its rows stay queued and are retried: {}", sink, failure.toString());
    }
  }

  @Override
  public Future<?> stop() {
    Future<Void> pools = Future.all(pool.close(), system.close()).mapEmpty();
    return kafka == null ? pools : Future.all(kafka.close(), kafkaHealth.close()).eventually(() -> pools);
  }
}
