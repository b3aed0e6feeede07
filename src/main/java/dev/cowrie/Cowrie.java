package dev.cowrie;

import dev.cowrie.auth.AccountsVerticle;
import dev.cowrie.auth.AdminRoutes;
import dev.cowrie.auth.AuthRoutes;
import dev.cowrie.auth.AuthVerticle;
import dev.cowrie.auth.RevokedSessions;
import dev.cowrie.auth.ProfileRoutes;
import dev.cowrie.auth.TeamRoutes;
import dev.cowrie.auth.Tokens;
import dev.cowrie.callbacks.CallbackRoutes;
import dev.cowrie.callbacks.CallbacksVerticle;
import dev.cowrie.chat.ChatRoutes;
import dev.cowrie.chat.ChatVerticle;
import dev.cowrie.checkout.CheckoutRoutes;
import dev.cowrie.checkout.LinkPages;
import dev.cowrie.checkout.PaymentLinkRoutes;
import dev.cowrie.checkout.PaymentLinksVerticle;
import dev.cowrie.cluster.Clustering;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.dashboard.DashboardRoutes;
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
import dev.cowrie.plans.PeriodCloser;
import dev.cowrie.plans.PlanRoutes;
import dev.cowrie.plans.PlansVerticle;
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
import dev.cowrie.walletweb.WalletWebRoutes;
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
    VertxOptions options = options();
    if (config.bus().eventLoops() > 0) {
      options.setEventLoopPoolSize(config.bus().eventLoops());
    }
    return Clustering.start(builder(), options, config.cluster());
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
    DeploymentOptions commands = new DeploymentOptions().setInstances(config.bus().instances());
    steps.add(() -> vertx.deployVerticle(() -> new AuthVerticle(config, clock), commands));
    steps.add(() -> vertx.deployVerticle(() -> new AccountsVerticle(config, clock), commands));
    steps.add(() -> vertx.deployVerticle(new LedgerVerticle(config)));
    ProviderRegistry registry = new ProviderRegistry();
    for (ProviderAdapter adapter : registry.all()) {
      steps.add(() -> vertx.deployVerticle(() -> new ProviderVerticle(config, adapter), commands));
    }
    steps.add(() -> vertx.deployVerticle(() -> new ConnectionsVerticle(config, registry), commands));
    steps.add(() -> vertx.deployVerticle(() -> new PlansVerticle(config, clock), commands));
    steps.add(() -> vertx.deployVerticle(new PeriodCloser(config, clock)));
    steps.add(() -> vertx.deployVerticle(() -> new PaymentsVerticle(config, registry, clock), commands));
    steps.add(() -> vertx.deployVerticle(new Reconciler(config, clock)));
    steps.add(() -> vertx.deployVerticle(() -> new CallbacksVerticle(config, registry, clock), commands));
    steps.add(() -> vertx.deployVerticle(new WebhooksVerticle(config, clock)));
    steps.add(() -> vertx.deployVerticle(new EventsVerticle(config, new WebhookFanOut(config.webhook().attemptsMax()), clock)));
    steps.add(() -> vertx.deployVerticle(new RequestsVerticle(config, clock)));
    steps.add(() -> vertx.deployVerticle(new WalletsVerticle(config, clock)));
    steps.add(() -> vertx.deployVerticle(new ChatVerticle(config, clock)));
    steps.add(() -> vertx.deployVerticle(new PaymentLinksVerticle(config)));
    steps.add(() -> vertx.deployVerticle(new RecurringVerticle(config, clock)));
    steps.add(() -> vertx.deployVerticle(() -> new RenewalScheduler(config, clock),
        new DeploymentOptions().setInstances(config.recurring().schedulers())));
    steps.add(() -> vertx.deployVerticle(() -> new HttpVerticle(config, clock, edge -> routes(config, registry, clock, edge)),
        new DeploymentOptions().setInstances(config.http().instances())));
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
        new RevokedSessions(edge.vertx(), edge.redis(), config.auth().accessTokenTtlSeconds()));
    List<Routes> routes = new ArrayList<>(List.of(
        new AuthRoutes(config),
        new AdminRoutes(config),
        new TeamRoutes(config),
        new ProfileRoutes(config),
        new DashboardRoutes(config, registry.connectionForms()),
        new EventRoutes(config, clock),
        new WebhookRoutes(config),
        new RealtimeRoutes(),
        // People's pages before RequestsRoutes: a browser opening a pay_url gets the page, API clients the JSON.
        new WalletWebRoutes(config, clock),
        new PaymentRoutes(config, registry),
        new PlanRoutes(config),
        new ConnectionRoutes(config, registry),
        new CallbackRoutes(config),
        new RequestsRoutes(config, clock),
        new WalletsRoutes(config),
        new MeRoutes(config, clock),
        new ChatRoutes(config, clock),
        new CheckoutRoutes(config),
        new PaymentLinkRoutes(config),
        new LinkPages(config),
        new RecurringRoutes(config)));
    // A deployment without the sandbox (sandbox.enabled=false) serves none of its routes.
    if (config.sandbox().enabled()) {
      routes.add(new SandboxApi(edge.systemPool(), config, edge.vertx(), clock));
    }
    return new FeatureRoutes.Assembled(tokens, routes);
  }
}
