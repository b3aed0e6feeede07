package dev.cowrie.http;

import dev.cowrie.config.CowrieConfig;
import dev.cowrie.store.Database;
import dev.cowrie.store.RedisStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The HTTP edge: shared policy (request ids, body limit, errors); the features' routes come from Cowrie. */
public final class HttpVerticle extends VerticleBase {
  private final CowrieConfig config;
  private final Clock clock;
  private final FeatureRoutes features;
  private Pool pool;
  private Pool system;
  private RedisStore redis;
  private HttpServer server;

  public static final String ROUTES_MAP = "cowrie.http.routes";

  public HttpVerticle(CowrieConfig config, Clock clock, FeatureRoutes features) {
    this.config = config;
    this.clock = clock;
    this.features = features;
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, config);
    // Idempotency purges and the sandbox (which plays an outside provider) are not one merchant's.
    system = Database.systemPool(vertx, config);
    redis = RedisStore.create(vertx, config);
    Router router = Router.router(vertx);
    router.route().handler(RequestIds::assign);
    BodyHandler bodies = BodyHandler.create(false).setBodyLimit(config.http().bodyBytesMax());
    // A WebSocket handshake has no body to read, and reading it to the end (clients that send
    // Content-Length: 0, like the JDK's) would leave nothing to upgrade once the handshake is authenticated.
    // Uploads (Api#upload) take files to disk under their own, larger limit; the map is filled as routes mount.
    Map<String, BodyHandler> uploadBodies = new java.util.concurrent.ConcurrentHashMap<>();
    Map<String, Integer> uploadLimits = new java.util.concurrent.ConcurrentHashMap<>();
    router.route().handler(ctx -> {
      Integer uploadLimit = uploadLimits.get(ctx.request().path());
      if (ctx.request().canUpgradeToWebSocket()) {
        ctx.next();
      } else if (uploadLimit != null && ctx.request().method() == io.vertx.core.http.HttpMethod.POST) {
        uploadBodies.computeIfAbsent(ctx.request().path(), path -> BodyHandler.create(true).setBodyLimit(uploadLimit)
            .setUploadsDirectory(uploadsDir()).setDeleteUploadedFilesOnEnd(true)).handle(ctx);
      } else {
        bodies.handle(ctx);
      }
    });
    router.route().failureHandler(ErrorReplies::handle);

    FeatureRoutes.Assembled assembled = features.assemble(new FeatureRoutes.Edge(vertx, system, redis));
    Tickets tickets = new Tickets(redis, clock, config.auth().ticketTtlSeconds());
    Authenticator authenticator = new Authenticator(vertx, assembled.tokens(), tickets, config.adminToken(),
        config.bus().requestTimeoutMs(), clock);
    Api.Limits limits = new Api.Limits(
        config.rateLimit().perKeyPerSecond(), config.rateLimit().perKeyBurst(),
        config.rateLimit().perIpAuthPerSecond(), config.rateLimit().perIpAuthBurst());
    Idempotency idempotency = new Idempotency(pool, system, redis, config.idempotencyTtlSeconds(), clock);
    // Forget durable idempotency keys past their retention (bounded batches, every minute).
    vertx.setPeriodic(60_000, timer -> idempotency.purgeExpired());
    vertx.setPeriodic(1_000, timer -> idempotency.releaseLeftovers());
    RateLimiter limiter = new RateLimiter(redis);
    Api api = new Api(vertx, router, authenticator, limiter, idempotency, limits);
    api.pages(new Pages(api, new PageSessions(redis, config.pages().sessionTtlSeconds(), config.publicUrl()),
        limiter, idempotency, limits, config.bus().requestTimeoutMs()));

    List<Routes> routes = new ArrayList<>(List.of(new HealthRoutes(pool, redis, config), new DocsRoutes()));
    routes.addAll(assembled.routes());
    routes.forEach(feature -> feature.mount(api));
    uploadLimits.putAll(api.uploads());
    // Published so the docs test can prove openapi.yaml describes every route that exists.
    var routeTable = vertx.sharedData().<String, String>getLocalMap(ROUTES_MAP);
    api.routes().forEach(route -> routeTable.put(route.method() + " " + route.path(), route.access().name()));

    // Unmatched paths and methods reach the failure handler through these.
    router.errorHandler(404, ErrorReplies::handle);
    router.errorHandler(405, ErrorReplies::handle);
    router.errorHandler(413, ErrorReplies::handle);
    router.errorHandler(500, ErrorReplies::handle);

    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(config.http().host())
        .setPort(config.http().port())
        .setCompressionSupported(true)
        .setMaxWebSocketFrameSize(65536)
        // -1 lets the OS tune it (up to net.ipv4.tcp_wmem); a bound caps what a stalled chat socket holds in the kernel.
        .setSendBufferSize(config.http().socketSendBufferBytes()));
    return server.requestHandler(router).listen();
  }

  private String uploadsDir() {
    String configured = config.http().uploadsDir();
    return configured.isBlank() ? java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "cowrie-uploads").toString() : configured;
  }

  @Override
  public Future<?> stop() {
    // Stop accepting, let in-flight requests finish (bounded), then close the pools they used.
    Future<Void> drained = server == null ? Future.succeededFuture()
        : server.shutdown(config.lifecycle().drainMs(), TimeUnit.MILLISECONDS).otherwiseEmpty();
    return drained.compose(ignored -> Future.all(pool.close(), system.close(),
        Future.succeededFuture(redis.client()).andThen(r -> redis.client().close())));
  }
}
