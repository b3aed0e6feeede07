package dev.cowrie.payments;

import dev.cowrie.auth.AuditLog;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Ids;
import dev.cowrie.common.Secrets;
import dev.cowrie.events.Outbox;
import dev.cowrie.http.RequestRecord;
import dev.cowrie.providers.CallOutcome;
import dev.cowrie.providers.PaymentStart;
import dev.cowrie.providers.ProviderStatus;
import dev.cowrie.providers.Routing;
import dev.cowrie.security.Principal;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import java.util.List;

/**
 * Starting payments at providers: a {@link PaymentCreate} is stored and routed to the first eligible
 * connection (falling back on retryable failures); the reconciler resumes one a crash left unrouted;
 * the hosted checkout offers the eligible connections and starts the one its customer chose.
 */
final class PaymentStarts {
  private static final int CREATED = 201; // the answer of a creation (and of its replays)
  private static final String INSERT_PAYMENT = """
      INSERT INTO payments (id, merchant_id, mode, amount, currency, status, reference, description, customer,
        metadata, return_url, purpose, wallet_user_id, idempotency_key, requested_provider, checkout_token, hosted_url)
      VALUES ($1, $2, $3, $4, $5, 'requires_action', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
      ON CONFLICT (merchant_id, mode, idempotency_key) DO NOTHING RETURNING *""";
  private static final String PAYMENT_BY_KEY = "SELECT * FROM payments WHERE merchant_id = $1 AND mode = $2 AND idempotency_key = $3";
  private static final String ROUTED = """
      UPDATE payments SET provider = $2, connection_id = $3, provider_reference = $4, next_action_url = $5
      WHERE id = $1 RETURNING *""";
  /** The latest checkout a connection started for a payment (V19 keeps it on the attempt). */
  private static final String STARTED_ON = """
      SELECT redirect_url, provider_reference FROM payment_attempts WHERE payment_id = $1 AND connection_id = $2
        AND operation = 'start' AND redirect_url IS NOT NULL ORDER BY id DESC LIMIT 1""";
  private final String publicUrl;
  private final Pool pool;
  private final Routing routing;
  private final ProviderCalls providers;
  private final StatusChanges statuses;
  private final WalletPayments wallet;

  /** {@code pool}: the merchant's own role; {@code publicUrl}: where the hosted checkout and the callbacks are reached. */
  PaymentStarts(String publicUrl, Pool pool, Routing routing, ProviderCalls providers, StatusChanges statuses, WalletPayments wallet) {
    this.publicUrl = publicUrl;
    this.pool = pool;
    this.routing = routing;
    this.providers = providers;
    this.statuses = statuses;
    this.wallet = wallet;
  }

  /**
   * Two of our transactions around the provider call: (1) the key's claim, the payment, its
   * payment.created event and the audit row commit before the provider is asked, so a crash leaves
   * a row the reconciler resumes; (2) the attempt, the provider's reference and the key's stored
   * answer commit together. The answer is rendered from the rows the statements returned.
   */
  Future<JsonObject> create(PaymentCreate cmd) {
    return insert(cmd)
        .compose(inserted -> inserted.existing()
            ? resumeIfUnrouted(inserted.payment(), cmd, inserted.connections())
            : route(inserted.payment(), cmd, inserted.connections(), 0, new JsonArray()));
  }

  /** The payment's row after the first transaction ({@code existing}: an earlier request with the same key made it) and where to route it. */
  private record Inserted(Row payment, boolean existing, List<Row> connections) {}

  /**
   * A payment whose row committed but whose provider call never happened or never finished (the
   * gateway died in between) is routed now, instead of answering a payment nobody can pay. The
   * provider reference is the payment id, so a start that did reach the provider is found again
   * (the sandbox answers the same charge, Paystack a duplicate reference that is verified).
   */
  private Future<JsonObject> resumeIfUnrouted(Row payment, PaymentCreate cmd, List<Row> connections) {
    return payment.getString("connection_id") == null && PaymentStatus.REQUIRES_ACTION.api().equals(payment.getString("status"))
        ? route(payment, cmd, connections, 0, new JsonArray())
        : Tenancy.transaction(pool, payment.getString("merchant_id"), sql -> Payments.render(sql, payment)
            .compose(json -> cmd.request().complete(sql, CREATED, json).map(json)));
  }

  /** The reconciler's way in: {id, principal} of a payment left unrouted; routes it as its creation would have. */
  Future<JsonObject> resume(PaymentById cmd) {
    Principal principal = cmd.principal();
    return Tenancy.transaction(pool, principal.merchantId(),
        sql -> Payments.find(sql, principal.merchantId(), principal.mode(), cmd.id(), false)).compose(payment -> {
      if (PaymentCreate.Purpose.INVOICE.api().equals(payment.getString("purpose"))) {
        // Its invoice's scheduler retries it with the same key and the saved method only it knows.
        return Tenancy.transaction(pool, payment.getString("merchant_id"), sql -> Payments.render(sql, payment));
      }
      PaymentCreate creation = Payments.creationOf(payment, principal);
      return eligible(payment).compose(connections -> resumeIfUnrouted(payment, creation, connections));
    });
  }

  /**
   * Transaction (1): reads the eligible connections (a refusal rolls everything back), claims the
   * key, inserts the payment, its payment.created event and the audit row; an earlier payment with
   * the same key wins.
   */
  private Future<Inserted> insert(PaymentCreate cmd) {
    String id = Ids.next("pay");
    String merchantId = cmd.merchantId();
    String mode = cmd.mode();
    String idempotencyKey = cmd.idempotencyKey();
    RequestRecord request = cmd.request();
    PaymentCreate.Details details = cmd.details();
    // The hosted page's address is a capability (whoever has it may pay): 256 random bits.
    String checkoutToken = Secrets.randomToken(32);
    return Tenancy.transaction(pool, merchantId, tx -> routing.eligible(tx, merchantId, mode, cmd.provider(),
            cmd.currency(), Routing.presentFields(details.customerEmail()))
        .compose(connections -> SavedMethods.pin(connections, cmd))
        .compose(connections -> request.claim(tx).compose(claimed -> tx.preparedQuery(INSERT_PAYMENT)
        .execute(Tuple.tuple(Arrays.asList(id, merchantId, mode, cmd.amount(), cmd.currency(),
            details.reference(), details.description(), details.customer(), details.metadata(), details.returnUrl(),
            cmd.purpose() == null ? null : cmd.purpose().api(), cmd.walletUserId(), idempotencyKey, cmd.provider(),
            checkoutToken, publicUrl + "/checkout/" + checkoutToken))))
        .compose(rows -> {
          if (rows.size() == 0) { // a retry after a crash: the claim lapsed, the payment committed
            return tx.preparedQuery(PAYMENT_BY_KEY).execute(Tuple.of(merchantId, mode, idempotencyKey))
                .map(found -> new Inserted(found.iterator().next(), true, connections));
          }
          Row payment = rows.iterator().next();
          return Outbox.record(tx, merchantId, mode, "payment.created", Payments.toJson(payment))
              .compose(ignored -> AuditLog.insert(tx, request.auditEntry(id, CREATED)))
              .map(ignored -> new Inserted(payment, false, connections));
        })));
  }

  /** Tries each eligible connection in order; falls back only on retryable failures. */
  private Future<JsonObject> route(Row payment, PaymentCreate cmd, List<Row> connections, int index, JsonArray attempts) {
    String paymentId = payment.getString("id");
    Row connection = connections.get(index);
    String connectionId = connection.getString("id");
    String provider = connection.getString("provider");
    PaymentStart start = start(paymentId, cmd, connectionId, paymentId + "-" + index);
    return providers.callOnly(connectionId, provider, "start", start.toJson()).compose(reply -> {
      CallOutcome outcome = CallOutcome.of(reply);
      if (outcome == CallOutcome.OK) {
        return started(payment, cmd, connectionId, provider, reply, attempts);
      }
      if (outcome == CallOutcome.RETRYABLE && index + 1 < connections.size()) {
        return Tenancy.transaction(pool, cmd.merchantId(), tx -> ProviderCalls.recordAttempt(tx, paymentId, connectionId, provider, "start", reply))
            .compose(attempt -> route(payment, cmd, connections, index + 1, attempts.copy().add(attempt)));
      }
      return fail(cmd.merchantId(), paymentId, connectionId, provider, reply);
    });
  }

  /** What a provider is asked to start: the payment id is its reference, so a repeated start is found again. */
  private PaymentStart start(String paymentId, PaymentCreate cmd, String connectionId, String idempotencyKey) {
    PaymentCreate.Details details = cmd.details();
    return new PaymentStart(paymentId, paymentId, cmd.amount(), cmd.currency(), details.customerEmail(),
        details.description(), details.returnUrl(), publicUrl + "/v1/callbacks/" + connectionId, idempotencyKey,
        cmd.savedMethod() == null ? null : cmd.savedMethod().method(), cmd.saveMethod());
  }

  /** The connections the payment's checkout may offer (empty when none is eligible or it is no longer payable). */
  Future<JsonObject> checkout(JsonObject page, Row payment) {
    if (!PaymentStatus.REQUIRES_ACTION.api().equals(page.getString("status")) || page.getBoolean("expired", false)) {
      return Future.succeededFuture(page.put("methods", new JsonArray()));
    }
    return eligible(payment).map(connections -> {
      JsonArray methods = new JsonArray();
      connections.forEach(c -> methods.add(new JsonObject().put("connection_id", c.getString("id")).put("provider", c.getString("provider"))));
      return page.put("methods", methods);
    }).otherwise(refused -> page.put("methods", new JsonArray()));
  }

  private Future<List<Row>> eligible(Row payment) {
    JsonObject customer = payment.getJsonObject("customer");
    return routing.eligible(payment.getString("merchant_id"), payment.getString("mode"), payment.getString("requested_provider"),
        payment.getString("currency"), Routing.presentFields(customer == null ? null : customer.getString("email")));
  }

  /**
   * {@code {token, connection_id}} from the checkout page: the customer chose that eligible connection.
   * One the payment is already on answers its next_action URL again; another is started, recorded as
   * an attempt and becomes the payment's route (a fallback's path). A provider refusing it records a
   * failed attempt and answers the error, the payment staying payable by the other ways.
   */
  Future<JsonObject> routeTo(JsonObject cmd) {
    String connectionId = cmd.getString("connection_id");
    return wallet.byToken(cmd.getString("token")).compose(payment -> {
      wallet.requirePayable(payment);
      String merchantId = payment.getString("merchant_id");
      String paymentId = payment.getString("id");
      return eligible(payment).compose(connections -> {
        Row chosen = connections.stream().filter(c -> c.getString("id").equals(connectionId)).findFirst().orElse(null);
        if (chosen == null) {
          return Future.failedFuture(new CowrieError(ErrorCode.PARAMETER_INVALID,
              "This way to pay is not offered for this payment; choose another.", "connection_id"));
        }
        if (connectionId.equals(payment.getString("connection_id")) && payment.getString("next_action_url") != null) {
          return Future.succeededFuture(new JsonObject().put("payment", paymentId).put("redirect_url", payment.getString("next_action_url")));
        }
        String provider = chosen.getString("provider");
        return Tenancy.transaction(pool, merchantId, sql -> sql.preparedQuery(STARTED_ON).execute(Tuple.of(paymentId, connectionId)))
            .compose(earlier -> earlier.size() == 0 ? startOn(payment, connectionId, provider)
                : rerouted(merchantId, payment, connectionId, provider, null, earlier.iterator().next()));
      });
    });
  }

  /** Starts the payment on the chosen connection; a refusal records a failed attempt and leaves the payment as it was. */
  private Future<JsonObject> startOn(Row payment, String connectionId, String provider) {
    String merchantId = payment.getString("merchant_id");
    String paymentId = payment.getString("id");
    PaymentCreate creation = Payments.creationOf(payment, Principal.system("checkout", merchantId, payment.getString("mode")));
    PaymentStart start = start(paymentId, creation, connectionId, paymentId + "-" + connectionId);
    return providers.callOnly(connectionId, provider, "start", start.toJson()).compose(reply -> {
      if (CallOutcome.of(reply) != CallOutcome.OK) {
        String message = provider + " could not start this payment: " + reply.getString("message") + ". Choose another way to pay.";
        return Tenancy.transaction(pool, merchantId, tx -> ProviderCalls.record(tx, paymentId, connectionId, provider, "start", reply))
            .compose(recorded -> Future.failedFuture(new CowrieError(ErrorCode.PROVIDER_ERROR, message, "connection_id",
                new JsonObject().put("payment", paymentId))));
      }
      return rerouted(merchantId, payment, connectionId, provider, reply, null);
    });
  }

  /** Under the payment's lock, still payable: the attempt and the new route commit together; a start the provider knew is applied as at creation. */
  private Future<JsonObject> rerouted(String merchantId, Row seen, String connectionId, String provider, JsonObject reply,
      Row earlier) {
    String paymentId = seen.getString("id");
    // A new start's answer, or (back to a connection started before) that start's checkout, asked nothing new.
    JsonObject result = reply != null ? reply.getJsonObject("result") : new JsonObject()
        .put("provider_reference", earlier.getString("provider_reference")).put("redirect_url", earlier.getString("redirect_url"));
    return Tenancy.transaction(pool, merchantId, tx -> Payments.find(tx, merchantId, seen.getString("mode"), paymentId, true)
            .compose(payment -> {
              wallet.requirePayable(payment);
              Future<Void> recorded = reply == null ? Future.succeededFuture()
                  : ProviderCalls.record(tx, paymentId, connectionId, provider, "start", reply);
              return recorded.compose(ignored -> tx.preparedQuery(ROUTED).execute(Tuple.of(paymentId, provider, connectionId,
                  result.getString("provider_reference"), result.getString("redirect_url"))));
            }))
        .compose(rows -> result.getJsonObject("verified") == null ? Future.succeededFuture()
            : applyVerified(seen, result.getJsonObject("verified")).mapEmpty())
        .map(ignored -> new JsonObject().put("payment", paymentId).put("redirect_url", result.getString("redirect_url")));
  }

  /** Transaction (2): the attempt, the provider's reference and the key's stored answer commit together. */
  private Future<JsonObject> started(Row payment, PaymentCreate cmd, String connectionId, String provider, JsonObject reply,
      JsonArray attempts) {
    RequestRecord request = cmd.request();
    String paymentId = payment.getString("id");
    JsonObject result = reply.getJsonObject("result");
    boolean known = result.getJsonObject("verified") != null; // the provider already had it: its status decides
    return Tenancy.transaction(pool, cmd.merchantId(), tx -> ProviderCalls.recordAttempt(tx, paymentId, connectionId, provider, "start", reply)
            .compose(attempt -> tx.preparedQuery(ROUTED)
                .execute(Tuple.of(paymentId, provider, connectionId, result.getString("provider_reference"),
                    result.getString("redirect_url")))
                .compose(rows -> {
                  JsonObject rendered = Payments.toJson(rows.iterator().next()).put("attempts", attempts.copy().add(attempt));
                  return known ? Future.succeededFuture(rendered) : request.complete(tx, CREATED, rendered).map(rendered);
                })))
        .compose(rendered -> !known ? Future.succeededFuture(rendered)
            : applyVerified(payment, result.getJsonObject("verified")).compose(json -> Tenancy.transaction(pool, cmd.merchantId(),
                tx -> request.complete(tx, CREATED, json).map(json))));
  }

  /** A start the provider already knew (a retry after a timeout): its verify answer moves the payment. */
  private Future<JsonObject> applyVerified(Row payment, JsonObject verified) {
    String paymentId = payment.getString("id");
    ProviderReport report = ProviderReport.of(paymentId, ProviderStatus.valueOf(verified.getString("status")),
        verified.getLong("amount"), verified.getString("currency"), null, verified.getString("failure_message"));
    String merchantId = payment.getString("merchant_id");
    return report == null ? Tenancy.transaction(pool, merchantId, sql -> Payments.renderById(sql, merchantId, payment.getString("mode"), paymentId))
        : statuses.apply(report);
  }

  private Future<JsonObject> fail(String merchantId, String paymentId, String connectionId, String provider, JsonObject reply) {
    String message = "The payment could not be started with " + provider + ": " + reply.getString("message");
    return Tenancy.transaction(pool, merchantId, tx -> ProviderCalls.record(tx, paymentId, connectionId, provider, "start", reply)
        .compose(recorded -> tx.preparedQuery("""
            UPDATE payments SET status = 'failed', provider = $2, failure_code = 'provider_error', failure_message = $3
            WHERE id = $1 RETURNING *""")
        .execute(Tuple.of(paymentId, provider, message))
        .compose(rows -> {
          Row row = rows.iterator().next();
          return Outbox.record(tx, row.getString("merchant_id"), row.getString("mode"), "payment.failed", Payments.toJson(row));
        })))
        .compose(ignored -> Future.failedFuture(new CowrieError(ErrorCode.PROVIDER_ERROR, message, "provider",
            new JsonObject().put("payment", paymentId))));
  }

}
