package dev.cowrie.recurring;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;

/**
 * One subscription's creation, in the merchant's transaction: the customer and price it names must
 * be the merchant's in this mode, the price active and in the currency asked for (when one is), the
 * customer paying in that currency only, the clock the customer's. Then the subscription, and
 * without a trial its first invoice, with their events.
 */
final class Subscribe {
  /** The new subscription and the invoice to charge now (null while trialing). */
  record Created(String id, String invoiceId) {}

  private final SqlConnection tx;
  private final String merchantId;
  private final String mode;
  private final JsonObject cmd;
  private final Clock clock;

  Subscribe(SqlConnection tx, String merchantId, String mode, JsonObject cmd, Clock clock) {
    this.tx = tx;
    this.merchantId = merchantId;
    this.mode = mode;
    this.cmd = cmd;
    this.clock = clock;
  }

  Future<Created> run() {
    String customerId = cmd.getString("customer");
    String priceId = cmd.getString("price");
    return RecurringVerticle.referenced(Customers.find(tx, merchantId, mode, customerId), "customer", customerId)
        .compose(customer -> RecurringVerticle.referenced(Prices.find(tx, merchantId, mode, priceId), "price", priceId)
            .compose(price -> checked(customer, price).compose(clockId -> create(customer, price, clockId))));
  }

  /** Answers the subscription's clock once everything it names agrees. */
  private Future<String> checked(Row customer, Row price) {
    if (!price.getBoolean("active")) {
      return Future.failedFuture(CowrieError.invalid("price", "Price " + price.getString("id") + " is archived: it starts no new subscriptions."));
    }
    String currency = cmd.getString("currency");
    if (currency != null && !currency.equals(price.getString("currency"))) {
      return Future.failedFuture(new CowrieError(ErrorCode.CURRENCY_MISMATCH, "currency " + currency + " does not match price "
          + price.getString("id") + ", which is in " + price.getString("currency") + ".", "currency"));
    }
    String asked = cmd.getString("test_clock");
    String customers = customer.getString("test_clock");
    if (asked != null && customers != null && !asked.equals(customers)) {
      return Future.failedFuture(CowrieError.invalid("test_clock", "Customer " + customer.getString("id") + " runs on test clock "
          + customers + "; its subscriptions run on the same clock."));
    }
    String clockId = asked != null ? asked : customers;
    Future<Void> clockExists = clockId == null ? Future.succeededFuture()
        : RecurringVerticle.referenced(TestClocks.find(tx, merchantId, mode, clockId, false), "test_clock", clockId).mapEmpty();
    return clockExists.compose(ok -> Subscriptions.oneCurrency(tx, customer, price.getString("currency"))).map(clockId);
  }

  private Future<Created> create(Row customer, Row price, String clockId) {
    Integer asked = cmd.getInteger("trial_days");
    int trialDays = asked != null ? asked : price.getInteger("trial_days");
    return TestClocks.now(tx, merchantId, mode, clockId, clock).compose(now -> {
      Subscriptions.Start start = Subscriptions.Start.at(now, Prices.periods(price, now), trialDays);
      return Subscriptions.insert(tx, customer, price, clockId, start, cmd).compose(subscription -> start.periodIndex() < 0
          ? Future.succeededFuture(new Created(subscription.getString("id"), null))
          : Invoices.open(tx, subscription, price, 0, start.periodStart(), start.periodEnd())
              .map(invoice -> new Created(subscription.getString("id"), invoice.map(row -> row.getString("id")).orElse(null))));
    });
  }
}
