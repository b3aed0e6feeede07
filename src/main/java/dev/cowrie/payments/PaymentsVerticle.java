package dev.cowrie.payments;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.ledger.LedgerAddresses;
import dev.cowrie.config.Timeouts;
import dev.cowrie.http.Page;
import dev.cowrie.http.RequestRecord;
import dev.cowrie.providers.CallOutcome;
import dev.cowrie.providers.PaymentLookup;
import dev.cowrie.providers.ProviderRegistry;
import dev.cowrie.providers.ProviderStatus;
import dev.cowrie.providers.Routing;
import dev.cowrie.security.Principal;
import dev.cowrie.store.Database;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * Owns payments, attempts, refunds and routing ({@code cowrie.payments.*}). A payment is created
 * and routed by {@link PaymentStarts}, and moved through the status machine by provider reports
 * ({@link StatusChanges}); succeeding posts to the ledger and records the event in the same transaction.
 */
public final class PaymentsVerticle extends VerticleBase {
  private final CowrieConfig config;
  private final ProviderRegistry registry;
  private Pool pool;
  private Pool system;
  private ProviderCalls providers;
  private Refunds refunds;
  private StatusChanges statuses;
  private WalletPayments wallet;
  private PaymentStarts starts;

  private final Clock clock;

  public PaymentsVerticle(CowrieConfig config, ProviderRegistry registry) {
    this(config, registry, Clock.systemUTC());
  }

  /** {@code clock}: the instant a payment succeeds (which picks the plan that prices its fee) and when a hosted checkout expires. */
  public PaymentsVerticle(CowrieConfig config, ProviderRegistry registry, Clock clock) {
    this.config = config;
    this.registry = registry;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, config);
    // Provider reports (callbacks, reconciler, verify) move payments and record attempts by payment id,
    // for any merchant: the status machine runs on the system role; the merchant's own requests do not.
    system = Database.systemPool(vertx, config);
    providers = new ProviderCalls(vertx, system, config.bus().requestTimeoutMs());
    refunds = new Refunds(pool, system, providers);
    statuses = new StatusChanges(system, vertx, clock);
    wallet = new WalletPayments(vertx, pool, system, statuses, providers, config.bus().requestTimeoutMs(),
        java.time.Duration.ofSeconds(config.checkout().expiresAfterSeconds()), clock);
    starts = new PaymentStarts(config.publicUrl(), pool,
        new Routing(pool, registry, config.sandbox().enabled(), Timeouts.of(config).routesTriedMax()), providers, statuses, wallet);
    return Future.all(List.of(
        Bus.serve(vertx, PaymentAddresses.CREATE, cmd -> starts.create(PaymentCreate.fromJson(cmd))).completion(),
        Bus.serve(vertx, PaymentAddresses.RESUME, cmd -> starts.resume(PaymentById.fromJson(cmd))).completion(),
        Bus.serve(vertx, PaymentAddresses.GET, cmd -> render(PaymentById.fromJson(cmd))).completion(),
        Bus.serve(vertx, PaymentAddresses.LEDGER_ENTRIES, cmd -> ledgerEntries(PaymentById.fromJson(cmd))).completion(),
        Bus.serve(vertx, PaymentAddresses.LIST, this::list).completion(),
        Bus.serve(vertx, PaymentAddresses.CANCEL, cmd -> cancel(PaymentById.fromJson(cmd))).completion(),
        Bus.serve(vertx, PaymentAddresses.VERIFY, cmd -> find(PaymentById.fromJson(cmd)).compose(this::verify)).completion(),
        Bus.serve(vertx, PaymentAddresses.APPLY_STATUS, cmd -> statuses.apply(ProviderReport.fromJson(cmd))).completion(),
        Bus.serve(vertx, PaymentAddresses.SAVED_METHOD, cmd -> find(PaymentById.fromJson(cmd))
            .compose(payment -> new SavedMethods(providers).ask(payment))).completion(),
        Bus.serve(vertx, PaymentAddresses.REFUND, cmd -> refunds.create(RefundCreate.fromJson(cmd), RequestRecord.of(cmd))).completion(),
        Bus.serve(vertx, PaymentAddresses.GET_REFUND, cmd -> refunds.get(PaymentById.fromJson(cmd))).completion(),
        Bus.serve(vertx, PaymentAddresses.APPLY_REFUND_STATUS, cmd -> refunds.applyReported(RefundReport.fromJson(cmd))).completion(),
        Bus.serve(vertx, PaymentAddresses.CONNECTION_HEALTH, cmd -> ConnectionHealth.of(pool, merchant(cmd),
            cmd.getJsonArray("connections", new io.vertx.core.json.JsonArray()).stream().map(String::valueOf).toList())).completion(),
        Bus.serve(vertx, PaymentAddresses.CHECKOUT, cmd -> wallet.byToken(cmd.getString("token"))
            .compose(payment -> starts.checkout(wallet.checkout(payment), payment))).completion(),
        Bus.serve(vertx, PaymentAddresses.ROUTE_TO, starts::routeTo).completion(),
        Bus.serve(vertx, PaymentAddresses.PAY_WITH_WALLET, wallet::pay).completion(),
        Bus.serve(vertx, PaymentAddresses.FIND_BY_PROVIDER_REFERENCE,
            cmd -> ReferenceMatches.find(system, ReferenceLookup.fromJson(cmd)).map(ReferenceLookup.Match::toJson)).completion()));
  }

  /** A payment with its attempts, read as its merchant. */
  private Future<JsonObject> render(PaymentById cmd) {
    return Tenancy.transaction(pool, cmd.merchantId(), sql -> Payments.renderById(sql, cmd.merchantId(), cmd.mode(), cmd.id()));
  }

  /** The payment's own entries and its refunds': the ledger answers them by reference (it owns the books). */
  private Future<JsonObject> ledgerEntries(PaymentById cmd) {
    return Tenancy.transaction(pool, cmd.merchantId(), sql -> Payments.find(sql, cmd.merchantId(), cmd.mode(), cmd.id(), false)
            .compose(payment -> Refunds.idsOf(sql, payment)
                .map(refundIds -> new JsonArray().add(payment.getString("id")).addAll(new JsonArray(refundIds)))))
        .compose(references -> Bus.<JsonObject>request(vertx, LedgerAddresses.ENTRIES, new JsonObject()
            .put("principal", cmd.principal().toJson()).put("references", references), config.bus().requestTimeoutMs()))
        .map(answer -> new JsonObject().put("object", "list").put("data", answer.getJsonArray("entries")).put("has_more", false));
  }

  private Future<Row> find(PaymentById cmd) {
    return Tenancy.transaction(pool, cmd.merchantId(), sql -> Payments.find(sql, cmd.merchantId(), cmd.mode(), cmd.id(), false));
  }

  static String merchant(JsonObject cmd) {
    return Principal.fromJson(cmd.getJsonObject("principal")).merchantId();
  }

  static String mode(JsonObject cmd) {
    return Principal.fromJson(cmd.getJsonObject("principal")).mode();
  }

  private Future<JsonObject> list(JsonObject cmd) {
    return Tenancy.transaction(pool, merchant(cmd), sql -> PaymentSearch.list(sql, merchant(cmd), mode(cmd),
        PaymentFilter.fromJson(cmd.getJsonObject("filter", new JsonObject())), Page.fromJson(cmd.getJsonObject("page"))));
  }

  private Future<JsonObject> cancel(PaymentById cmd) {
    return Tenancy.transaction(pool, cmd.merchantId(), tx -> Payments.find(tx, cmd.merchantId(), cmd.mode(), cmd.id(), true).compose(payment -> {
      String status = payment.getString("status");
      if (PaymentStatus.fromApi(status) != PaymentStatus.REQUIRES_ACTION) {
        return Future.failedFuture(new CowrieError(ErrorCode.INVALID_STATE,
            "This payment cannot be canceled: its status is " + status + ".", "id",
            new JsonObject().put("status", status)));
      }
      return statuses.transition(tx, payment, PaymentStatus.CANCELED);
    })).compose(row -> providers.closeCheckout(row)
        .compose(ignored -> Tenancy.transaction(pool, cmd.merchantId(), sql -> Payments.render(sql, row))));
  }

  /** Asks the provider now and applies what it says. */
  private Future<JsonObject> verify(Row payment) {
    String connectionId = payment.getString("connection_id");
    if (connectionId == null || payment.getString("provider_reference") == null) {
      return Tenancy.transaction(pool, payment.getString("merchant_id"), sql -> Payments.render(sql, payment));
    }
    PaymentLookup lookup = new PaymentLookup(payment.getString("id"), payment.getString("provider_reference"),
        payment.getString("currency"));
    return providers.call(payment.getString("id"), connectionId, payment.getString("provider"), "verify", lookup.toJson())
        .compose(reply -> {
          if (CallOutcome.of(reply) != CallOutcome.OK) {
            return Future.failedFuture(new CowrieError(ErrorCode.PROVIDER_ERROR,
                "Could not verify with " + payment.getString("provider") + ": " + reply.getString("message")));
          }
          JsonObject result = reply.getJsonObject("result");
          ProviderReport report = ProviderReport.of(payment.getString("id"), ProviderStatus.valueOf(result.getString("status")),
              result.getLong("amount"), result.getString("currency"), result.getString("failure_code"), result.getString("failure_message"));
          return rememberChargeRef(payment, result.getString("provider_reference"))
              .compose(ignored -> report == null
                  ? Tenancy.transaction(pool, payment.getString("merchant_id"), sql -> Payments.renderById(sql,
                      payment.getString("merchant_id"), payment.getString("mode"), payment.getString("id")))
                  : statuses.apply(report));
        });
  }

  /** Keeps the provider's id for the money (refunds need it, e.g. a Stripe PaymentIntent or a Flutterwave id). */
  private Future<Void> rememberChargeRef(Row payment, String chargeRef) {
    if (chargeRef == null || chargeRef.equals(payment.getString("provider_charge_ref"))) {
      return Future.succeededFuture();
    }
    return Tenancy.transaction(pool, payment.getString("merchant_id"), sql -> sql
        .preparedQuery("UPDATE payments SET provider_charge_ref = $3 WHERE id = $1 AND merchant_id = $2")
        .execute(Tuple.of(payment.getString("id"), payment.getString("merchant_id"), chargeRef))).mapEmpty();
  }
}
