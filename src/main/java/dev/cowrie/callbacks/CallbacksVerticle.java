package dev.cowrie.callbacks;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Ids;
import dev.cowrie.common.SecretBox;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.payments.PaymentAddresses;
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
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Provider callbacks ({@code cowrie.callbacks.*}): verified by the adapter on the raw bytes, stored
 * once per (connection, provider event id), then applied once. A callback without a timestamp
 * (every scheme but Stripe's and the sandbox's) is confirmed by asking the provider before money
 * moves. A verified event for a payment we do not know is kept as orphaned and answered 200.
 */
public final class CallbacksVerticle extends VerticleBase {
  private final CowrieConfig config;
  private final ProviderRegistry registry;
  private final Clock clock;
  private Pool pool;
  private Connections connections;

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
    return Bus.serve(vertx, CallbackAddresses.RECEIVE, this::receive).completion();
  }

  private Future<JsonObject> receive(JsonObject cmd) {
    byte[] body = Base64.getDecoder().decode(cmd.getString("body"));
    Map<String, String> headers = new HashMap<>();
    cmd.getJsonObject("headers").forEach(entry -> headers.put(entry.getKey().toLowerCase(java.util.Locale.ROOT), String.valueOf(entry.getValue())));
    return connections.load(pool, cmd.getString("connection_id")).compose(connection -> {
      ProviderAdapter adapter = registry.find(connection.provider()).orElseThrow();
      CallbackEvent event;
      try {
        event = adapter.verifyCallback(connection, headers, body, clock.instant());
      } catch (CallbackRejected rejected) {
        return Future.failedFuture(new CowrieError(ErrorCode.INVALID_SIGNATURE, "Callback rejected: " + rejected.getMessage() + "."));
      } catch (RuntimeException unreadable) {
        return Future.failedFuture(new CowrieError(ErrorCode.INVALID_REQUEST, "Callback body is not readable."));
      }
      return store(connection, event, body).compose(stored -> stored == null
          ? Future.succeededFuture(new JsonObject().put("received", true).put("duplicate", true))
          : apply(connection, event, stored));
    });
  }

  /** The stored event's id, or null when this (connection, event id) was stored before. */
  private Future<String> store(Connection connection, CallbackEvent event, byte[] body) {
    String id = Ids.next("pev");
    String eventId = event.eventId() != null ? event.eventId() : event.eventType() + ":" + event.reference();
    return pool.preparedQuery("""
            INSERT INTO provider_events (id, connection_id, merchant_id, mode, provider, provider_event_id, event_type,
              reference, raw_body, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'received')
            ON CONFLICT (connection_id, provider_event_id) DO NOTHING""")
        .execute(Tuple.tuple(Arrays.asList(id, connection.id(), connection.merchantId(), connection.mode(),
            connection.provider(), eventId, event.eventType(), event.reference(),
            new String(body, java.nio.charset.StandardCharsets.UTF_8))))
        .map(rows -> rows.rowCount() == 1 ? id : null);
  }

  private Future<JsonObject> apply(Connection connection, CallbackEvent event, String storedId) {
    return findPayment(connection, event).compose(payment -> {
      if (payment == null) {
        return mark(storedId, "orphaned", "no payment matches this event").map(new JsonObject().put("received", true).put("orphaned", true));
      }
      String paymentId = payment.getString("id");
      long timeoutMs = config.number("bus", "request_timeout_ms") * 2;
      if (event.kind() == CallbackEvent.Kind.PAYMENT && event.paymentStatus().paymentStatus() != null) {
        Future<JsonObject> applied = event.confirmByVerify()
            ? Bus.request(vertx, PaymentAddresses.VERIFY, scoped(connection, paymentId), timeoutMs)
            : Bus.request(vertx, PaymentAddresses.APPLY_STATUS, new JsonObject().put("payment_id", paymentId)
                .put("status", event.paymentStatus().paymentStatus()).put("amount", event.amount()).put("currency", event.currency()), timeoutMs);
        return applied.compose(result -> mark(storedId, result.getJsonObject("review") != null ? "review" : "applied", null)
            .map(new JsonObject().put("received", true)));
      }
      if (event.kind() == CallbackEvent.Kind.REFUND && event.refundStatus() != null) {
        return pendingRefund(paymentId, event).compose(refundId -> refundId == null
            ? mark(storedId, "ignored", "no pending refund matches").map(new JsonObject().put("received", true))
            : Bus.request(vertx, PaymentAddresses.APPLY_REFUND_STATUS, new JsonObject().put("refund_id", refundId)
                    .put("status", event.refundStatus().name()).put("provider_refund_id", event.providerReference()), timeoutMs)
                .compose(ignored -> mark(storedId, "applied", null)).map(new JsonObject().put("received", true)));
      }
      return mark(storedId, "ignored", "event type not used").map(new JsonObject().put("received", true));
    });
  }

  private static JsonObject scoped(Connection connection, String paymentId) {
    return new JsonObject().put("id", paymentId).put("principal", new dev.cowrie.auth.Principal(
        dev.cowrie.auth.Principal.Kind.SECRET_KEY, connection.merchantId(), connection.mode(), "callback", null, null).toJson());
  }

  private Future<Row> findPayment(Connection connection, CallbackEvent event) {
    return pool.preparedQuery("""
            SELECT id FROM payments WHERE merchant_id = $1 AND mode = $2 AND connection_id = $3
              AND (provider_reference = $4 OR provider_charge_ref = $5 OR id = $5) LIMIT 1""")
        .execute(Tuple.of(connection.merchantId(), connection.mode(), connection.id(),
            String.valueOf(event.providerReference()), String.valueOf(event.reference())))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
  }

  private Future<String> pendingRefund(String paymentId, CallbackEvent event) {
    return pool.preparedQuery("""
            SELECT id FROM refunds WHERE payment_id = $1 AND status = 'pending'
              AND (id = $2 OR provider_reference = $3 OR amount = $4) ORDER BY id LIMIT 1""")
        .execute(Tuple.of(paymentId, String.valueOf(event.reference()), String.valueOf(event.providerReference()),
            event.amount() == null ? -1L : event.amount()))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("id"));
  }

  private Future<Void> mark(String storedId, String status, String note) {
    return pool.preparedQuery("UPDATE provider_events SET status = $2, note = $3, applied_at = now() WHERE id = $1")
        .execute(Tuple.of(storedId, status, note)).mapEmpty();
  }
}
