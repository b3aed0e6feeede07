package dev.cowrie.plans;

import dev.cowrie.common.Bus;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.http.Page;
import dev.cowrie.security.Principal;
import dev.cowrie.store.Database;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.List;

/**
 * Owns plans, merchants' subscriptions to them and statements ({@code cowrie.plans.*}). The
 * operator's commands run on the system role (they act on any merchant); a merchant's reads run
 * as that merchant.
 */
public final class PlansVerticle extends VerticleBase {
  private final CowrieConfig config;
  private final Clock clock;
  private Pool pool;
  private Pool system;

  public PlansVerticle(CowrieConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, config);
    system = Database.systemPool(vertx, config);
    return Future.all(List.of(
        Bus.serve(vertx, PlanAddresses.CREATE, cmd -> Plans.create(system, cmd.getJsonObject("plan")).map(Plan::toJson)).completion(),
        Bus.serve(vertx, PlanAddresses.LIST, cmd -> Plans.list(system, cmd.getBoolean("archived", false), cmd.getInteger("limit"))
            .map(plans -> new JsonObject().put("object", "list").put("data", plans).put("has_more", false))).completion(),
        Bus.serve(vertx, PlanAddresses.ARCHIVE, cmd -> Plans.archive(system, cmd.getString("id")).map(Plan::toJson)).completion(),
        Bus.serve(vertx, PlanAddresses.SUBSCRIBE, this::subscribe).completion(),
        Bus.serve(vertx, PlanAddresses.SUBSCRIPTION, cmd -> asMerchant(cmd,
            (merchantId, mode) -> Tenancy.transaction(pool, merchantId, sql -> Subscriptions.view(sql, merchantId, mode, clock.instant()))))
            .completion(),
        Bus.serve(vertx, PlanAddresses.LIST_STATEMENTS, cmd -> asMerchant(cmd, (merchantId, mode) -> Tenancy.transaction(pool, merchantId,
            sql -> Statements.list(sql, merchantId, mode, Page.fromJson(cmd.getJsonObject("page")))))).completion(),
        Bus.serve(vertx, PlanAddresses.GET_STATEMENT, cmd -> asMerchant(cmd, (merchantId, mode) -> Tenancy.transaction(pool, merchantId,
            sql -> Statements.get(sql, merchantId, mode, cmd.getString("id"))))).completion()));
  }

  @Override
  public Future<?> stop() {
    return Future.all(pool.close(), system.close());
  }

  /** The operator moves a merchant to a plan: {merchant_id, plan, effective: now|next_period} → the subscription. */
  private Future<JsonObject> subscribe(JsonObject cmd) {
    String merchantId = cmd.getString("merchant_id");
    Subscriptions.Effective effective = "now".equals(cmd.getString("effective"))
        ? Subscriptions.Effective.NOW : Subscriptions.Effective.NEXT_PERIOD;
    return system.withTransaction(tx -> Subscriptions.change(tx, merchantId, cmd.getString("plan"), effective, clock.instant()))
        .compose(ignored -> system.withTransaction(sql -> Subscriptions.view(sql, merchantId, "test", clock.instant())))
        .map(view -> view.put("livemode", null));
  }

  private interface MerchantWork {
    Future<JsonObject> run(String merchantId, String mode);
  }

  private static Future<JsonObject> asMerchant(JsonObject cmd, MerchantWork work) {
    Principal principal = Principal.fromJson(cmd.getJsonObject("principal"));
    return work.run(principal.merchantId(), principal.mode());
  }
}
