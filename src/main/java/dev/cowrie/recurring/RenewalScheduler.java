package dev.cowrie.recurring;

import dev.cowrie.common.Bus;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.config.Timeouts;
import dev.cowrie.payments.PaymentAddresses;
import dev.cowrie.store.Database;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The renewal scheduler, one per node (any number of nodes): every {@code recurring.poll_ms}, and
 * when woken ({@link RecurringAddresses#NUDGE}: a clock moved), it renews subscriptions whose period
 * ended, charges invoices that are due, and marks test clocks {@code ready} once nothing is due on
 * them, pass after pass while work remains (bounded by {@code passes_max}). It also applies invoice
 * payments the moment payments settles them ({@link PaymentAddresses#SETTLED}).
 */
public final class RenewalScheduler extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(RenewalScheduler.class);
  // A clock is ready when nothing on it is due: no period ended, no invoice due or being charged.
  private static final String CLOCKS_READY = """
      UPDATE test_clocks c SET status = 'ready' WHERE c.status = 'advancing'
        AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.test_clock = c.id
                        AND s.status IN ('trialing', 'active', 'past_due') AND s.current_period_end <= c.frozen_time)
        AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.test_clock = c.id AND i.status = 'open' AND NOT i.awaiting_payment
                        AND (i.next_attempt_at <= c.frozen_time OR i.lease_until > now()))
      RETURNING c.id""";

  private final CowrieConfig config;
  private final Clock clock;
  private Pool system;
  private Renewals renewals;
  private Charges charges;
  private Settlement settlement;
  private long timer = -1;
  private boolean running;
  private boolean wokenWhileRunning;
  private int batchSize;
  private int passesMax;

  public RenewalScheduler(CowrieConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    system = Database.systemPool(vertx, config);
    batchSize = config.recurring().batchSize();
    passesMax = config.recurring().passesMax();
    Timeouts timeouts = Timeouts.of(config);
    SavedTokens tokens = new SavedTokens(config.masterKey());
    settlement = new Settlement(vertx, system, clock, BillingSettings.defaults(config), config.recurring().awaitingCheckMs(),
        timeouts.withProviderCallMs(), tokens);
    renewals = new Renewals(system, clock);
    charges = new Charges(vertx, system, clock, config.recurring().leaseMs(), timeouts.creationMs(), settlement, tokens);
    long pollMs = config.recurring().pollMs();
    if (pollMs > 0) {
      timer = vertx.setPeriodic(pollMs, tick -> wake());
    }
    return Future.all(List.of(
        vertx.eventBus().<JsonObject>localConsumer(RecurringAddresses.NUDGE, message -> wake()).completion(),
        Bus.serve(vertx, RecurringAddresses.INVOICE_CHARGE, cmd -> charges.chargeNow(cmd.getString("id")).map(new JsonObject()))
            .completion(),
        vertx.eventBus().<JsonObject>consumer(PaymentAddresses.SETTLED, message -> settled(message.body())).completion()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return system.close();
  }

  private void settled(JsonObject payment) {
    String invoiceId = payment.getJsonObject("metadata", new JsonObject()).getString("invoice");
    if (invoiceId != null) {
      settlement.record(invoiceId, payment).onFailure(failure -> log.warn("Invoice {}: settled payment {} not applied now, "
          + "the next pass asks again: {}", invoiceId, payment.getString("id"), failure.toString()));
    }
  }

  /** Runs passes until one finds nothing to do; a wake-up during a run runs it again afterwards. */
  private void wake() {
    if (running) {
      wokenWhileRunning = true;
      return;
    }
    running = true;
    wokenWhileRunning = false;
    passes(0).onFailure(failure -> log.warn("Renewal pass failed, retried at the next poll: {}", failure.toString()))
        .onComplete(done -> {
          running = false;
          if (wokenWhileRunning) {
            wake();
          }
        });
  }

  private Future<Void> passes(int done) {
    if (done >= passesMax) {
      return Future.succeededFuture();
    }
    return renewals.renewDue(null, batchSize)
        .compose(renewed -> charges.chargeDue(null, batchSize).map(charged -> renewed + charged))
        .compose(worked -> system.preparedQuery(CLOCKS_READY).execute(Tuple.tuple()).map(worked))
        .compose(worked -> worked > 0 ? passes(done + 1) : Future.succeededFuture());
  }
}
