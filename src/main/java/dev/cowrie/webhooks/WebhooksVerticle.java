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
import java.util.List;
import java.time.Clock;

/** Owns merchant webhook endpoints and their deliveries ({@code cowrie.webhooks.*}); runs the dispatcher. */
public final class WebhooksVerticle extends VerticleBase {
  private final CowrieConfig config;
  private final Clock clock;
  private Pool pool;
  private Pool system;
  private byte[] masterKey;
  private boolean allowPrivate;
  private Dispatcher dispatcher;
  private WorkerExecutor lookups;

  public WebhooksVerticle(CowrieConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, config);
    // The dispatcher claims every merchant's due deliveries: the system role.
    system = Database.systemPool(vertx, config);
    masterKey = config.masterKey();
    allowPrivate = config.webhook().allowPrivate();
    lookups = UrlGuard.lookupPool(vertx);
    dispatcher = new Dispatcher(vertx, system, lookups, new Dispatcher.Settings(config.webhook().timeoutMs(),
        config.webhook().concurrencyPerEndpoint(), config.webhook().inFlightMax(),
        config.webhook().backoffMs().stream().mapToLong(Long::longValue).toArray(), allowPrivate, masterKey), clock);
    vertx.setPeriodic(config.webhook().pollIntervalMs(), tick -> dispatcher.wake());
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
        Bus.serve(vertx, WebhookAddresses.REDELIVER, this::redeliver).completion(),
        Bus.serve(vertx, WebhookAddresses.EVENT_DELIVERIES, this::eventDeliveries).completion(),
        Bus.serve(vertx, WebhookAddresses.SEND_TEST, cmd -> DeliveryQueries.sendTest(pool, merchant(cmd), mode(cmd),
            cmd.getString("id"), clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString()).onSuccess(queued -> dispatcher.wake())).completion()))
        .onSuccess(ready -> dispatcher.wake());
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
    return Bus.<JsonObject>request(vertx, EventAddresses.GET, lookup, config.bus().requestTimeoutMs())
        .compose(event -> DeliveryQueries.redeliver(pool, merchant(cmd), mode(cmd), event,
            config.webhook().attemptsMax()))
        .onSuccess(done -> dispatcher.wake());
  }

  /** Like redeliver, the event's owner answers first, so an unknown or foreign event is a 404. */
  private Future<JsonObject> eventDeliveries(JsonObject cmd) {
    JsonObject lookup = new JsonObject().put("principal", cmd.getJsonObject("principal")).put("id", cmd.getString("id"));
    return Bus.<JsonObject>request(vertx, EventAddresses.GET, lookup, config.bus().requestTimeoutMs())
        .compose(event -> DeliveryQueries.ofEvent(pool, merchant(cmd), mode(cmd), event.getString("id"),
            Page.fromJson(cmd.getJsonObject("page"))));
  }

  @Override
  public Future<?> stop() {
    return Future.all(dispatcher.close(), pool.close(), system.close());
  }
}
