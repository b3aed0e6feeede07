package dev.cowrie;

import dev.cowrie.auth.AdminRoutes;
import dev.cowrie.auth.AuthRoutes;
import dev.cowrie.auth.AuthVerticle;
import dev.cowrie.auth.RevokedSessions;
import dev.cowrie.auth.Tokens;
import dev.cowrie.callbacks.CallbackRoutes;
import dev.cowrie.callbacks.CallbacksVerticle;
import dev.cowrie.chat.ChatRoutes;
import dev.cowrie.chat.ChatVerticle;
import dev.cowrie.cluster.Clustering;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.events.EventRoutes;
import dev.cowrie.events.EventsVerticle;
import dev.cowrie.http.FeatureRoutes;
import dev.cowrie.http.HttpVerticle;
import dev.cowrie.http.RealtimeRoutes;
import dev.cowrie.http.Routes;
import dev.cowrie.ledger.LedgerVerticle;
import dev.cowrie.payments.PaymentRoutes;
import dev.cowrie.payments.PaymentsVerticle;
import dev.cowrie.payments.Reconciler;
import dev.cowrie.providers.ConnectionRoutes;
import dev.cowrie.providers.ConnectionsVerticle;
import dev.cowrie.providers.ProviderAdapter;
import dev.cowrie.providers.ProviderRegistry;
import dev.cowrie.providers.ProviderVerticle;
import dev.cowrie.providers.sandbox.SandboxApi;
import dev.cowrie.recurring.RecurringRoutes;
import dev.cowrie.recurring.RecurringVerticle;
import dev.cowrie.recurring.RenewalScheduler;
import dev.cowrie.requests.RequestsRoutes;
import dev.cowrie.requests.RequestsVerticle;
import dev.cowrie.wallets.MeRoutes;
import dev.cowrie.wallets.WalletsRoutes;
import dev.cowrie.wallets.WalletsVerticle;
import dev.cowrie.webhooks.WebhookFanOut;
import dev.cowrie.webhooks.WebhookRoutes;
import dev.cowrie.webhooks.WebhooksVerticle;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The one place that assembles the gateway: each feature's verticles, deployed in dependency order, and
 * each feature's routes, handed to HttpVerticle (which knows no feature). Used by Main and tests.
 */
public final class Cowrie {
  private Cowrie() {}

  /** A Vert.x instance whose metrics go to the Prometheus registry served at /metrics. */
  public static Vertx vertx() {
    return builder().with(options()).build();
  }

  /** Like {@link #vertx()}, joined to the other nodes when cluster.enabled (see Clustering). */
  public static Future<Vertx> vertx(CowrieConfig config) {
    return Clustering.start(builder(), options(), Clustering.Settings.of(config));
  }

  private static VertxOptions options() {
    return new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true));
  }

  private static VertxBuilder builder() {
    PrometheusMeterRegistry registry = Metrics.globalRegistry.getRegistries().stream()
        .filter(PrometheusMeterRegistry.class::isInstance).map(PrometheusMeterRegistry.class::cast)
        .findFirst().orElseGet(() -> {
          PrometheusMeterRegistry created = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
          Metrics.addRegistry(created);
          return created;
        });
    return Vertx.builder().withMetrics(new MicrometerMetricsFactory(registry));
  }

  /**
   * Deploys every verticle; the future completes when all are ready (HTTP listening last) with
   * their deployment ids in deployment order, so a shutdown can undeploy them in reverse.
   */
  public static Future<List<String>> deploy(Vertx vertx, CowrieConfig config) {
    return deploy(vertx, config, Clock.systemUTC());
  }

  /** Like {@link #deploy(Vertx, CowrieConfig)}, with the clock that decides expiries and staleness (tests move it). */
  public static Future<List<String>> deploy(Vertx vertx, CowrieConfig config, Clock clock) {
    List<Supplier<Future<String>>> steps = new ArrayList<>();
    // Stateless command verticles run several instances, so one event loop is not the bottleneck.
    DeploymentOptions commands = new DeploymentOptions().setInstances(config.integer("bus", "instances"));
    steps.add(() -> vertx.deployVerticle(() -> new AuthVerticle(config), commands));
    steps.add(() -> vertx.deployVerticle(new LedgerVerticle(config)));
    ProviderRegistry registry = new ProviderRegistry();
    for (ProviderAdapter adapter : registry.all()) {
      steps.add(() -> vertx.deployVerticle(() -> new ProviderVerticle(config, adapter), commands));
    }
    steps.add(() -> vertx.deployVerticle(() -> new ConnectionsVerticle(config, registry), commands));
    steps.add(() -> vertx.deployVerticle(() -> new PaymentsVerticle(config, registry), commands));
    steps.add(() -> vertx.deployVerticle(new Reconciler(config)));
    steps.add(() -> vertx.deployVerticle(() -> new CallbacksVerticle(config, registry, clock), commands));
    steps.add(() -> vertx.deployVerticle(new WebhooksVerticle(config)));
    steps.add(() -> vertx.deployVerticle(new EventsVerticle(config, new WebhookFanOut(config.integer("webhook", "attempts_max")))));
    steps.add(() -> vertx.deployVerticle(new RequestsVerticle(config)));
    steps.add(() -> vertx.deployVerticle(new WalletsVerticle(config)));
    steps.add(() -> vertx.deployVerticle(new ChatVerticle(config)));
    steps.add(() -> vertx.deployVerticle(new RecurringVerticle(config, clock)));
    steps.add(() -> vertx.deployVerticle(() -> new RenewalScheduler(config, clock),
        new DeploymentOptions().setInstances(config.integer("recurring", "schedulers"))));
    steps.add(() -> vertx.deployVerticle(() -> new HttpVerticle(config, edge -> routes(config, registry, clock, edge)),
        new DeploymentOptions().setInstances(config.integer("http", "instances"))));
    List<String> deployed = new ArrayList<>();
    Future<String> chain = Future.succeededFuture();
    for (Supplier<Future<String>> step : steps) {
      chain = chain.compose(ignored -> step.get().onSuccess(deployed::add));
    }
    return chain.map(ignored -> List.copyOf(deployed));
  }

  /** Every feature's routes, built on one HttpVerticle instance's resources; the token check is auth's. */
  private static FeatureRoutes.Assembled routes(CowrieConfig config, ProviderRegistry registry, Clock clock,
      FeatureRoutes.Edge edge) {
    Tokens tokens = new Tokens(edge.vertx(), config,
        new RevokedSessions(edge.vertx(), edge.redis(), config.integer("auth", "access_token_ttl_seconds")));
    List<Routes> routes = new ArrayList<>(List.of(
        new AuthRoutes(config),
        new AdminRoutes(config),
        new EventRoutes(config, clock),
        new WebhookRoutes(config),
        new RealtimeRoutes(),
        new PaymentRoutes(config, registry),
        new ConnectionRoutes(config, registry),
        new CallbackRoutes(config),
        new RequestsRoutes(config),
        new WalletsRoutes(config),
        new MeRoutes(config, clock),
        new ChatRoutes(config, clock),
        new RecurringRoutes(config)));
    // A deployment without the sandbox (sandbox.enabled=false) serves none of its routes.
    if (config.flag("sandbox", "enabled")) {
      routes.add(new SandboxApi(edge.systemPool(), config, edge.vertx()));
    }
    return new FeatureRoutes.Assembled(tokens, routes);
  }
}
