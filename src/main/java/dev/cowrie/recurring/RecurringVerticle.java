package dev.cowrie.recurring;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.config.Timeouts;
import dev.cowrie.http.Page;
import dev.cowrie.security.Principal;
import dev.cowrie.store.Database;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Owns customers, prices, subscriptions, invoices, test clocks and billing settings
 * ({@code cowrie.recurring.*}): the merchant's own requests, each in a transaction of its tenant.
 * Renewals and charges are {@link RenewalScheduler}'s.
 */
public final class RecurringVerticle extends VerticleBase {
  private final CowrieConfig config;
  private final Clock clock;
  private Pool pool;
  private BillingSettings defaults;
  private long chargeTimeoutMs;

  public RecurringVerticle(CowrieConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, config);
    defaults = BillingSettings.defaults(config);
    chargeTimeoutMs = Timeouts.of(config).creationMs() + Timeouts.of(config).commandMs();
    return Future.all(List.of(
        serve(RecurringAddresses.CUSTOMER_CREATE, (tx, cmd) -> clockOf(tx, cmd)
            .compose(clockId -> Customers.create(tx, merchant(cmd), mode(cmd), cmd))
            .compose(customer -> Customers.render(tx, customer))),
        serve(RecurringAddresses.CUSTOMER_GET, (tx, cmd) -> Customers.find(tx, merchant(cmd), mode(cmd), cmd.getString("id"))
            .compose(customer -> Customers.render(tx, customer))),
        serve(RecurringAddresses.CUSTOMER_LIST, (tx, cmd) -> Customers.list(tx, merchant(cmd), mode(cmd), page(cmd))),
        serve(RecurringAddresses.PRICE_CREATE, (tx, cmd) -> Prices.create(tx, merchant(cmd), mode(cmd), cmd).map(Prices::toJson)),
        serve(RecurringAddresses.PRICE_GET, (tx, cmd) -> Prices.find(tx, merchant(cmd), mode(cmd), cmd.getString("id")).map(Prices::toJson)),
        serve(RecurringAddresses.PRICE_LIST, (tx, cmd) -> Prices.list(tx, merchant(cmd), mode(cmd), page(cmd))),
        serve(RecurringAddresses.PRICE_ARCHIVE, (tx, cmd) -> Prices.archive(tx, merchant(cmd), mode(cmd), cmd.getString("id"))
            .map(Prices::toJson)),
        Bus.serve(vertx, RecurringAddresses.SUBSCRIPTION_CREATE, this::subscribe).completion(),
        serve(RecurringAddresses.SUBSCRIPTION_GET, (tx, cmd) -> Subscriptions.find(tx, merchant(cmd), mode(cmd), cmd.getString("id"), false)
            .map(Subscriptions::toJson)),
        serve(RecurringAddresses.SUBSCRIPTION_LIST, (tx, cmd) -> Subscriptions.list(tx, merchant(cmd), mode(cmd), page(cmd),
            cmd.getString("customer"), cmd.getString("status"))),
        serve(RecurringAddresses.SUBSCRIPTION_UPDATE, this::update),
        serve(RecurringAddresses.SUBSCRIPTION_CANCEL, this::cancel),
        serve(RecurringAddresses.INVOICE_GET, (tx, cmd) -> Invoices.find(tx, merchant(cmd), mode(cmd), cmd.getString("id"))
            .map(Invoices::toJson)),
        serve(RecurringAddresses.INVOICE_LIST, (tx, cmd) -> Invoices.list(tx, merchant(cmd), mode(cmd), page(cmd),
            cmd.getString("subscription"), cmd.getString("customer"), cmd.getString("status"))),
        serve(RecurringAddresses.INVOICE_VOID, (tx, cmd) -> Invoices.voidOpen(tx, merchant(cmd), mode(cmd), cmd.getString("id"))
            .map(Invoices::toJson)),
        serve(RecurringAddresses.CLOCK_CREATE, (tx, cmd) -> TestClocks.create(tx, merchant(cmd), mode(cmd), cmd.getString("name"),
            OffsetDateTime.parse(cmd.getString("frozen_time"))).map(TestClocks::toJson)),
        serve(RecurringAddresses.CLOCK_GET, (tx, cmd) -> TestClocks.find(tx, merchant(cmd), mode(cmd), cmd.getString("id"), false)
            .map(TestClocks::toJson)),
        serve(RecurringAddresses.CLOCK_LIST, (tx, cmd) -> TestClocks.list(tx, merchant(cmd), mode(cmd), page(cmd))),
        Bus.serve(vertx, RecurringAddresses.CLOCK_ADVANCE, cmd -> Tenancy.transaction(pool, merchant(cmd), tx -> TestClocks.advance(tx,
                merchant(cmd), mode(cmd), cmd.getString("id"), OffsetDateTime.parse(cmd.getString("to"))).map(TestClocks::toJson))
            .onSuccess(advanced -> nudge())).completion(),
        serve(RecurringAddresses.SETTINGS_GET, (tx, cmd) -> BillingSettings.of(tx, merchant(cmd), mode(cmd), defaults)
            .map(BillingSettings::toJson)),
        serve(RecurringAddresses.SETTINGS_SET, (tx, cmd) -> {
          BillingSettings settings = new BillingSettings(cmd.getJsonArray("retry_days").stream().map(Integer.class::cast).toList(),
              cmd.getString("after_retries"));
          return settings.save(tx, merchant(cmd), mode(cmd)).map(saved -> settings.toJson());
        })));
  }

  private Future<?> serve(String address, BiFunction<SqlConnection, JsonObject, Future<JsonObject>> work) {
    return Bus.serve(vertx, address, cmd -> Tenancy.transaction(pool, merchant(cmd), tx -> work.apply(tx, cmd))).completion();
  }

  static String merchant(JsonObject cmd) {
    return Principal.fromJson(cmd.getJsonObject("principal")).merchantId();
  }

  static String mode(JsonObject cmd) {
    return Principal.fromJson(cmd.getJsonObject("principal")).mode();
  }

  private static Page page(JsonObject cmd) {
    return Page.fromJson(cmd.getJsonObject("page"));
  }

  /** Wakes this node's scheduler (local: the node that made the change starts on it at once). */
  private void nudge() {
    vertx.eventBus().send(RecurringAddresses.NUDGE, new JsonObject(), new DeliveryOptions().setLocalOnly(true));
  }

  /** The clock a new customer names, which must be this merchant's (a live key sees none). */
  private static Future<String> clockOf(SqlConnection tx, JsonObject cmd) {
    String clockId = cmd.getString("test_clock");
    return clockId == null ? Future.succeededFuture(null)
        : referenced(TestClocks.find(tx, merchant(cmd), mode(cmd), clockId, false), "test_clock", clockId).map(clockId);
  }

  /** A 404 for an object named in a body names that field. */
  static Future<Row> referenced(Future<Row> lookup, String field, String id) {
    return lookup.recover(failure -> Future.failedFuture(failure instanceof CowrieError error && error.code == ErrorCode.RESOURCE_MISSING
        ? new CowrieError(ErrorCode.RESOURCE_MISSING, "No such " + field + ": '" + id + "'.", field) : failure));
  }

  /**
   * Creates the subscription (and, without a trial, its first period's invoice) in one
   * transaction, then charges that invoice at once: with the customer's saved method it is paid
   * (or failed) in this answer; without one its payment waits at a checkout (see the invoice's
   * hosted_invoice_url). A charge that cannot run now is left to the scheduler.
   */
  private Future<JsonObject> subscribe(JsonObject cmd) {
    String merchantId = merchant(cmd);
    String mode = mode(cmd);
    return Tenancy.transaction(pool, merchantId, tx -> new Subscribe(tx, merchantId, mode, cmd, clock).run())
        .compose(created -> (created.invoiceId() == null ? Future.succeededFuture()
            : Bus.request(vertx, RecurringAddresses.INVOICE_CHARGE, new JsonObject().put("id", created.invoiceId()), chargeTimeoutMs)
                .otherwiseEmpty())
            .compose(charged -> Tenancy.transaction(pool, merchantId, tx -> Subscriptions.find(tx, merchantId, mode, created.id(), false)))
            .map(Subscriptions::toJson))
        .onSuccess(created -> nudge());
  }

  private Future<JsonObject> update(SqlConnection tx, JsonObject cmd) {
    return Subscriptions.find(tx, merchant(cmd), mode(cmd), cmd.getString("id"), true).compose(subscription -> {
      if (Subscriptions.ended(subscription)) {
        return Future.failedFuture(endedError(subscription));
      }
      Boolean cancelAtEnd = cmd.getBoolean("cancel_at_period_end");
      return TestClocks.now(tx, merchant(cmd), mode(cmd), subscription.getString("test_clock"), clock)
          .compose(now -> cancelAtEnd == null ? Future.succeededFuture(subscription)
              : Subscriptions.cancelAtPeriodEnd(tx, subscription, cancelAtEnd, now))
          .compose(updated -> Subscriptions.find(tx, merchant(cmd), mode(cmd), cmd.getString("id"), false));
    }).map(Subscriptions::toJson);
  }

  /** Cancels now (Stripe's DELETE): open invoices nobody is paying are voided; one being paid settles on its own. */
  private Future<JsonObject> cancel(SqlConnection tx, JsonObject cmd) {
    return Subscriptions.find(tx, merchant(cmd), mode(cmd), cmd.getString("id"), true).compose(subscription -> {
      if ("canceled".equals(subscription.getString("status"))) {
        return Future.failedFuture(endedError(subscription));
      }
      return TestClocks.now(tx, merchant(cmd), mode(cmd), subscription.getString("test_clock"), clock)
          .compose(now -> Subscriptions.moveTo(tx, subscription, "canceled", now))
          .compose(canceled -> Invoices.voidUnpaid(tx, canceled))
          .compose(voided -> Subscriptions.find(tx, merchant(cmd), mode(cmd), cmd.getString("id"), false));
    }).map(Subscriptions::toJson);
  }

  private static CowrieError endedError(Row subscription) {
    return new CowrieError(ErrorCode.INVALID_STATE, "This subscription is " + subscription.getString("status")
        + ": it can no longer change.", "id", new JsonObject().put("status", subscription.getString("status")));
  }
}
