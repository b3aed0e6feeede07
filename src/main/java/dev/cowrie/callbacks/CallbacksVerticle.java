package dev.cowrie.callbacks;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Ids;
import dev.cowrie.common.SecretBox;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.config.Timeouts;
import dev.cowrie.payments.PaymentAddresses;
import dev.cowrie.payments.PaymentById;
import dev.cowrie.payments.ProviderReport;
import dev.cowrie.payments.ReferenceLookup;
import dev.cowrie.payments.RefundReport;
import dev.cowrie.providers.CallbackEvent;
import dev.cowrie.providers.CallbackRejected;
import dev.cowrie.providers.Connection;
import dev.cowrie.providers.Connections;
import dev.cowrie.providers.ProviderAdapter;
import dev.cowrie.providers.ProviderRegistry;
import dev.cowrie.store.Database;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Provider callbacks ({@code cowrie.callbacks.*}): verified by the adapter on the raw bytes, stored
 * once per (connection, provider event id), then applied once. A callback without a timestamp
 * (every scheme but Stripe's and the sandbox's) is confirmed by asking the provider before money
 * moves. A verified event for a payment we do not know is kept as orphaned and answered 200.
 * An event stored but never applied (a crash in between) is applied on the provider's retry and
 * by a periodic sweep ({@code callbacks.sweep_*}).
 */
public final class CallbacksVerticle extends VerticleBase {
  private static final String INSERT_EVENT = """
      INSERT INTO provider_events (id, connection_id, merchant_id, mode, provider, provider_event_id, event_type,
        reference, raw_body, status, headers) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'received', $10)
      ON CONFLICT (connection_id, provider_event_id) DO NOTHING""";
  private static final String UNAPPLIED_EVENT = """
      SELECT id FROM provider_events WHERE connection_id = $1 AND provider_event_id = $2 AND status = 'received'""";
  private final CowrieConfig config;
  private final ProviderRegistry registry;
  private final Clock clock;
  private Pool pool;
  private Connections connections;
  private UnappliedSweep sweep;
  private long sweepTimer = -1;

  public CallbacksVerticle(CowrieConfig config, ProviderRegistry registry, Clock clock) {
    this.config = config;
    this.registry = registry;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    // Callbacks arrive unauthenticated for any merchant: the connection, then the payment, are found by
    // the provider's references before a merchant is known, so this verticle runs on the system role.
    pool = Database.systemPool(vertx, config);
    connections = new Connections(new SecretBox(config.masterKey()), config.publicUrl());
    sweep = new UnappliedSweep(pool, config.callbacks().sweepAfterSeconds(),
        (int) config.callbacks().sweepBatchMax(), this::reapply, clock);
    long intervalMs = config.callbacks().sweepIntervalMs();
    if (intervalMs > 0) {
      sweepTimer = vertx.setPeriodic(intervalMs, id -> sweep.run());
    }
    return Future.all(Bus.serve(vertx, CallbackAddresses.RECEIVE, cmd -> receive(CallbackDelivery.fromJson(cmd)).map(CallbackAnswer::toJson)).completion(),
        Bus.serve(vertx, CallbackAddresses.OF_PAYMENT, cmd -> PaymentProviderEvents.list(pool, cmd)).completion());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweepTimer);
    return Future.succeededFuture();
  }

  /** A stored event the sweep found unapplied: verified again as of its arrival, with the headers it came with. */
  private Future<Void> reapply(Row stored) {
    Map<String, String> headers = new HashMap<>();
    stored.getJsonObject("headers").forEach(entry -> headers.put(entry.getKey(), String.valueOf(entry.getValue())));
    byte[] body = stored.getString("raw_body").getBytes(StandardCharsets.UTF_8);
    return connections.load(pool, stored.getString("connection_id")).compose(connection -> {
      ProviderAdapter adapter = registry.find(connection.provider()).orElseThrow();
      CallbackEvent event = adapter.verifyCallback(connection, headers, body, stored.getOffsetDateTime("received_at").toInstant());
      return apply(connection, event, stored.getString("id")).mapEmpty();
    });
  }

  private Future<CallbackAnswer> receive(CallbackDelivery delivery) {
    byte[] body = delivery.body();
    Map<String, String> headers = delivery.headers();
    return connections.load(pool, delivery.connectionId()).compose(connection -> {
      ProviderAdapter adapter = registry.find(connection.provider()).orElseThrow();
      if ("live".equals(connection.mode()) && !adapter.movesRealMoney()) {
        return Future.failedFuture(new CowrieError(ErrorCode.PERMISSION_DENIED,
            adapter.name() + " never settles live-mode payments; callback refused."));
      }
      CallbackEvent event;
      try {
        event = adapter.verifyCallback(connection, headers, body, clock.instant());
      } catch (CallbackRejected rejected) {
        return Future.failedFuture(new CowrieError(ErrorCode.INVALID_SIGNATURE, "Callback rejected: " + rejected.getMessage() + "."));
      } catch (RuntimeException unreadable) {
        return Future.failedFuture(new CowrieError(ErrorCode.INVALID_REQUEST, "Callback body is not readable."));
      }
      return store(connection, event, body, headers).compose(stored -> stored == null
          ? Future.succeededFuture(new CallbackAnswer(true, false))
          : apply(connection, event, stored));
    });
  }

  /**
   * The id of the stored event to apply: a new one, or one stored before but never applied (the
   * request that stored it died before applying it; applying is idempotent, so the provider's retry
   * applies it now). Null when this (connection, event id) was stored and applied before.
   */
  private Future<String> store(Connection connection, CallbackEvent event, byte[] body, Map<String, String> headers) {
    String id = Ids.next("pev");
    String eventId = event.eventId() != null ? event.eventId() : event.eventType() + ":" + event.reference();
    return pool.preparedQuery(INSERT_EVENT)
        .execute(Tuple.tuple(Arrays.asList(id, connection.id(), connection.merchantId(), connection.mode(),
            connection.provider(), eventId, event.eventType(), event.reference(),
            new String(body, StandardCharsets.UTF_8), new JsonObject(new HashMap<>(headers)))))
        .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture(id)
            : pool.preparedQuery(UNAPPLIED_EVENT).execute(Tuple.of(connection.id(), eventId))
                .map(found -> found.size() == 0 ? null : found.iterator().next().getString("id")));
  }

  private Future<CallbackAnswer> apply(Connection connection, CallbackEvent event, String storedId) {
    return findPayment(connection, event).compose(match -> {
      if (match.paymentId() == null) {
        return mark(storedId, null, EventStatus.ORPHANED, "no payment matches this event").map(new CallbackAnswer(false, true));
      }
      String paymentId = match.paymentId();
      long timeoutMs = Timeouts.of(config).withProviderCallMs();
      ProviderReport report = event.kind() != CallbackEvent.Kind.PAYMENT ? null : ProviderReport.of(paymentId,
          event.paymentStatus(), event.amount(), event.currency(), event.failureCode(), event.failureMessage());
      if (report != null) {
        Future<JsonObject> applied = event.confirmByVerify()
            ? Bus.request(vertx, PaymentAddresses.VERIFY, scoped(connection, paymentId), timeoutMs)
            : Bus.request(vertx, PaymentAddresses.APPLY_STATUS, report.toJson(), timeoutMs);
        return applied.compose(result -> mark(storedId, paymentId, result.getJsonObject("review") != null ? EventStatus.REVIEW : EventStatus.APPLIED,
            null).map(CallbackAnswer.RECEIVED));
      }
      if (event.kind() == CallbackEvent.Kind.REFUND && event.refundStatus() != null) {
        String refundId = match.pendingRefundId();
        return refundId == null
            ? mark(storedId, paymentId, EventStatus.IGNORED, "no pending refund matches").map(CallbackAnswer.RECEIVED)
            : Bus.request(vertx, PaymentAddresses.APPLY_REFUND_STATUS,
                    new RefundReport(refundId, event.refundStatus(), event.providerReference(), null).toJson(), timeoutMs)
                .compose(ignored -> mark(storedId, paymentId, EventStatus.APPLIED, null)).map(CallbackAnswer.RECEIVED);
      }
      return mark(storedId, paymentId, EventStatus.IGNORED, "event type not used").map(CallbackAnswer.RECEIVED);
    });
  }

  private static JsonObject scoped(Connection connection, String paymentId) {
    return PaymentById.asWorker("callbacks", connection.merchantId(), connection.mode(), paymentId).toJson();
  }

  /** The payment an event is about (and, for a refund event, its pending refund): payments answers. */
  private Future<ReferenceLookup.Match> findPayment(Connection connection, CallbackEvent event) {
    ReferenceLookup lookup = new ReferenceLookup(connection.merchantId(), connection.mode(), connection.id(),
        event.providerReference(), event.reference(), event.kind() == CallbackEvent.Kind.REFUND, event.amount());
    return Bus.<JsonObject>request(vertx, PaymentAddresses.FIND_BY_PROVIDER_REFERENCE, lookup.toJson(),
        config.bus().requestTimeoutMs()).map(ReferenceLookup.Match::fromJson);
  }

  /** Settles a stored event, linking it to its payment (null when none matched) for the payment's timeline. */
  private Future<Void> mark(String storedId, String paymentId, EventStatus status, String note) {
    return pool.preparedQuery("UPDATE provider_events SET status = $2, note = $3, payment_id = $4, applied_at = now() WHERE id = $1")
        .execute(Tuple.of(storedId, status.api(), note, paymentId)).mapEmpty();
  }
}
