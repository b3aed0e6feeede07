package dev.cowrie.webhooks;

import dev.cowrie.common.Bus;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.events.EventAddresses;
import dev.cowrie.http.Page;
import dev.cowrie.security.Principal;
import dev.cowrie.store.Database;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/** Owns merchant webhook endpoints and their deliveries ({@code cowrie.webhooks.*}); runs the dispatcher. */
public final class WebhooksVerticle extends VerticleBase {
  private final CowrieConfig config;
  private Pool pool;
  private Pool system;
  private byte[] masterKey;
  private boolean allowPrivate;
  private Dispatcher dispatcher;
  private WorkerExecutor lookups;

  private final Clock clock;

  public WebhooksVerticle(CowrieConfig config) {
    this(config, Clock.systemUTC());
  }

  /** {@code clock}: the instant at which the merchant's plan (its endpoint limit) is looked up. */
  public WebhooksVerticle(CowrieConfig config, Clock clock) {
    this.clock = clock;
    this.config = config;
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, config);
    // The dispatcher claims every merchant's due deliveries: the system role.
    system = Database.systemPool(vertx, config);
    masterKey = config.masterKey();
    allowPrivate = config.flag("webhook", "allow_private");
    lookups = UrlGuard.lookupPool(vertx);
    dispatcher = new Dispatcher(vertx, system, lookups, new Dispatcher.Settings(config.number("webhook", "timeout_ms"),
        config.integer("webhook", "concurrency_per_endpoint"), config.integer("webhook", "in_flight_max"),
        backoff(config.string("webhook", "backoff_ms")), allowPrivate, masterKey));
    vertx.setPeriodic(config.number("webhook", "poll_interval_ms"), tick -> dispatcher.wake());
    return Future.all(List.of(
        vertx.eventBus().localConsumer(WebhookAddresses.NUDGE, message -> dispatcher.wake()).completion(),
        Bus.serve(vertx, WebhookAddresses.CREATE_ENDPOINT, this::create).completion(),
        Bus.serve(vertx, WebhookAddresses.LIST_ENDPOINTS, cmd -> Endpoints.list(pool, merchant(cmd), mode(cmd),
            Page.fromJson(cmd.getJsonObject("page")))).completion(),
        Bus.serve(vertx, WebhookAddresses.GET_ENDPOINT, cmd -> Endpoints.get(pool, merchant(cmd), mode(cmd),
            cmd.getString("id"))).completion(),
        Bus.serve(vertx, WebhookAddresses.UPDATE_ENDPOINT, this::update).completion(),
        Bus.serve(vertx, WebhookAddresses.DELETE_ENDPOINT, cmd -> Endpoints.delete(pool, merchant(cmd), mode(cmd),
            cmd.getString("id"))).completion(),
        Bus.serve(vertx, WebhookAddresses.LIST_DELIVERIES, cmd -> DeliveryQueries.list(pool, merchant(cmd), mode(cmd),
            cmd.getString("id"), Page.fromJson(cmd.getJsonObject("page")))).completion(),
        Bus.serve(vertx, WebhookAddresses.REDELIVER, this::redeliver).completion()))
        .onSuccess(ready -> dispatcher.wake());
  }

  /** {@code "5000,300000,…"} → delays in ms; a typo fails at start rather than at the first retry. */
  static long[] backoff(String text) {
    long[] delays = Arrays.stream(text.split(",")).map(String::trim).filter(part -> !part.isEmpty())
        .mapToLong(Long::parseLong).toArray();
    if (delays.length == 0 || Arrays.stream(delays).anyMatch(delay -> delay < 0)) {
      throw new IllegalStateException("webhook.backoff_ms must list delays in ms, e.g. 5000,300000: " + text);
    }
    return delays;
  }

  private Future<JsonObject> create(JsonObject cmd) {
    Endpoints.Fields fields = fields(cmd);
    return UrlGuard.resolve(lookups, URI.create(fields.url()), allowPrivate)
        .compose(checked -> Endpoints.create(pool, masterKey, merchant(cmd), mode(cmd), fields, clock.instant()));
  }

  private Future<JsonObject> update(JsonObject cmd) {
    Endpoints.Fields fields = fields(cmd);
    Future<?> checked = fields.url() == null ? Future.succeededFuture()
        : UrlGuard.resolve(lookups, URI.create(fields.url()), allowPrivate);
    return checked.compose(ok -> Endpoints.update(pool, merchant(cmd), mode(cmd), cmd.getString("id"), fields))
        .onSuccess(updated -> dispatcher.wake()); // re-enabled endpoints may have waiting deliveries
  }

  private static Endpoints.Fields fields(JsonObject cmd) {
    JsonArray events = cmd.getJsonArray("events");
    return new Endpoints.Fields(cmd.getString("url"),
        events == null ? null : events.stream().map(String.class::cast).toArray(String[]::new),
        cmd.getString("description"), cmd.getBoolean("enabled"));
  }

  private static String merchant(JsonObject cmd) {
    return Principal.fromJson(cmd.getJsonObject("principal")).merchantId();
  }

  private static String mode(JsonObject cmd) {
    return Principal.fromJson(cmd.getJsonObject("principal")).mode();
  }

  /** The event comes from its owner (events, over the bus, as the merchant sees it), then deliveries are retried or made. */
  private Future<JsonObject> redeliver(JsonObject cmd) {
    JsonObject lookup = new JsonObject().put("principal", cmd.getJsonObject("principal")).put("id", cmd.getString("id"));
    return Bus.<JsonObject>request(vertx, EventAddresses.GET, lookup, config.number("bus", "request_timeout_ms"))
        .compose(event -> DeliveryQueries.redeliver(pool, merchant(cmd), mode(cmd), event,
            config.integer("webhook", "attempts_max")))
        .onSuccess(done -> dispatcher.wake());
  }

  @Override
  public Future<?> stop() {
    return Future.all(dispatcher.close(), pool.close(), system.close());
  }
}
