package dev.cowrie.providers.sandbox;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Ids;
import dev.cowrie.common.Input;
import dev.cowrie.common.SecretBox;
import dev.cowrie.common.Secrets;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.http.Access;
import dev.cowrie.http.Api;
import dev.cowrie.http.Authenticator;
import dev.cowrie.http.Call;
import dev.cowrie.http.Reply;
import dev.cowrie.http.Routes;
import dev.cowrie.providers.Connection;
import dev.cowrie.providers.Connections;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The sandbox provider's side: an API under {@code /sandbox/api} that Cowrie's sandbox adapter
 * calls like any external provider, and the hosted checkout page at {@code /sandbox/checkout/{id}}.
 * It keeps its own books (sandbox_charges) and sends signed callbacks. Latency and failure rate
 * are configurable (sandbox.latency_ms, sandbox.failure_rate) for benchmarks and fault tests.
 */
public final class SandboxApi implements Routes {
  private final Pool pool;
  private final SecretBox box;
  private final String publicUrl;
  private final long latencyMs;
  private final double failureRate;
  private final SandboxCallbacks callbacks;
  private final Connections connections;
  private final SandboxAuthorizations authorizations;

  public SandboxApi(Pool pool, CowrieConfig config, Vertx vertx, Clock clock) {
    this.pool = pool;
    this.box = new SecretBox(config.masterKey());
    this.connections = new Connections(box, config.publicUrl());
    this.publicUrl = config.publicUrl();
    this.latencyMs = config.sandbox().latencyMs();
    this.failureRate = config.sandbox().failureRate();
    this.callbacks = new SandboxCallbacks(vertx, pool, this::secretOf, config.sandbox().callbackDelayMs(), clock);
    this.authorizations = new SandboxAuthorizations(pool, callbacks);
  }

  @Override
  public void mount(Api api) {
    api.post("/sandbox/api/charges", Access.NONE, call -> simulated(api, () -> createCharge(call)));
    api.get("/sandbox/api/charges/:id", Access.NONE, call -> simulated(api, () -> charge(call).map(row -> Reply.ok(render(row)))));
    api.post("/sandbox/api/charges/:id/refunds", Access.NONE, call -> simulated(api, () -> refund(call)));
    api.post("/sandbox/api/charges/:id/cancel", Access.NONE, call -> simulated(api, () -> cancel(call)));
    api.get("/sandbox/checkout/:id", Access.NONE, call -> checkoutPage(call));
    api.post("/sandbox/checkout/:id", Access.NONE, call -> checkoutSubmit(call));
  }

  /** Applies the configured latency and failure rate, like a real provider on a bad day. */
  private Future<Reply> simulated(Api api, java.util.function.Supplier<Future<Reply>> action) {
    if (failureRate > 0 && ThreadLocalRandom.current().nextDouble() < failureRate) {
      return Future.succeededFuture(Reply.of(500, new JsonObject().put("error", "simulated sandbox failure")));
    }
    return latencyMs <= 0 ? action.get() : api.vertx().timer(latencyMs).compose(ignored -> action.get());
  }

  private static String bearer(Call call) {
    String secret = Authenticator.credential(call.header("Authorization"));
    if (secret == null) {
      throw new CowrieError(ErrorCode.INVALID_API_KEY, "Sandbox API: missing Authorization.");
    }
    return secret;
  }

  private Future<Reply> createCharge(Call call) {
    String secret = bearer(call);
    JsonObject body = call.body();
    String reference = Input.string(body, "reference", 100);
    long amount = Input.amount(body, "amount");
    String currency = Input.currency(body, "currency");
    String callbackUrl = Input.string(body, "callback_url", 2048);
    String returnUrl = Input.optionalString(body, "return_url", 2048);
    String authorization = Input.optionalString(body, "authorization", 100);
    return connectionCalling(callbackUrl, secret).compose(connection -> {
      Buffer sealedSecret = Buffer.buffer(box.seal(secret.getBytes(StandardCharsets.UTF_8), "sandbox:" + callbackUrl));
      if (authorization != null) {
        return authorizations.charge(connection.id(), authorization, Tuple.tuple(java.util.Arrays.asList(Ids.next("sbx"),
            reference, amount, currency, callbackUrl, sealedSecret, returnUrl, connection.id())))
            .map(charge -> Reply.created(render(charge)));
      }
      return pool.preparedQuery(INSERT_CHARGE)
          .execute(Tuple.tuple(java.util.Arrays.asList(Ids.next("sbx"), reference, amount, currency, callbackUrl, sealedSecret,
              returnUrl, connection.id())))
          .map(rows -> Reply.created(render(rows.iterator().next())));
    });
  }

  private static final String INSERT_CHARGE = """
      INSERT INTO sandbox_charges (reference, merchant_ref, amount, currency, status, callback_url, secret, return_url, connection_id)
      VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8)
      ON CONFLICT (callback_url, merchant_ref) DO UPDATE SET merchant_ref = EXCLUDED.merchant_ref
      RETURNING *""";

  /**
   * The sandbox connection a charge calls back: the callback URL must be Cowrie's own for an
   * existing sandbox connection, and the caller must hold that connection's secret. So the sandbox
   * never posts to an address a caller chose, and only the connection's owner can open charges.
   */
  private Future<Connection> connectionCalling(String callbackUrl, String secret) {
    String ownPrefix = publicUrl + "/v1/callbacks/";
    String connectionId = callbackUrl.startsWith(ownPrefix) ? callbackUrl.substring(ownPrefix.length()) : "";
    if (!connectionId.matches("conn_[0-9a-z]{1,64}")) {
      throw CowrieError.invalid("callback_url", "callback_url must be this Cowrie's callback URL of a sandbox connection ("
          + ownPrefix + "conn_…).");
    }
    return connections.load(pool, connectionId)
        .recover(missing -> Future.failedFuture(CowrieError.invalid("callback_url", "No sandbox connection " + connectionId + ".")))
        .compose(connection -> {
          if (!connection.provider().equals("sandbox")) {
            return Future.failedFuture(CowrieError.invalid("callback_url", connectionId + " is not a sandbox connection."));
          }
          if (!Secrets.constantTimeEquals(connection.secret("webhook_secret"), secret)) {
            return Future.failedFuture(new CowrieError(ErrorCode.INVALID_API_KEY,
                "Sandbox API: Authorization is not the sandbox secret of " + connectionId + "."));
          }
          if (!connection.mode().equals("test")) {
            return Future.failedFuture(new CowrieError(ErrorCode.PERMISSION_DENIED,
                "The sandbox takes only test-mode payments; " + connectionId + " is a " + connection.mode() + "-mode connection."));
          }
          return Future.succeededFuture(connection);
        });
  }

  private static final String CHARGE_WITH_CARD = """
      SELECT c.*, a.last4 AS authorization_last4 FROM sandbox_charges c
      LEFT JOIN sandbox_authorizations a ON a.id = c.authorization_id WHERE c.reference = $1""";

  /** The charge named in the path, if the caller holds its secret; 404 otherwise (as a provider would). */
  private Future<Row> charge(Call call) {
    String secret = bearer(call);
    return pool.preparedQuery(CHARGE_WITH_CARD).execute(Tuple.of(call.path("id")))
        .compose(rows -> {
          if (rows.size() == 0 || !Secrets.constantTimeEquals(secretOf(rows.iterator().next()), secret)) {
            return Future.failedFuture(CowrieError.notFound("sandbox charge", call.path("id")));
          }
          return Future.succeededFuture(rows.iterator().next());
        });
  }

  String secretOf(Row charge) {
    return new String(box.open(charge.getBuffer("secret").getBytes(), "sandbox:" + charge.getString("callback_url")),
        StandardCharsets.UTF_8);
  }

  private JsonObject render(Row row) {
    return SandboxAuthorizations.show(row, new JsonObject().put("id", row.getString("reference")).put("reference", row.getString("merchant_ref"))
        .put("amount", row.getLong("amount")).put("currency", row.getString("currency"))
        .put("status", row.getString("status")).put("amount_refunded", row.getLong("amount_refunded"))
        .put("checkout_url", publicUrl + "/sandbox/checkout/" + row.getString("reference")), declineReason(row, new JsonObject()));
  }

  /** A declined sandbox charge says why, as a card network would. */
  static JsonObject declineReason(Row charge, JsonObject json) {
    return "failed".equals(charge.getString("status"))
        ? json.put("failure_code", "card_declined").put("failure_message", "The card was declined.") : json;
  }

  private Future<Reply> refund(Call call) {
    long amount = Input.amount(call.body(), "amount");
    String refundReference = Input.optionalString(call.body(), "reference", 100);
    String refundId = Ids.next("sbxre");
    return charge(call).compose(charge -> pool.withTransaction(tx -> tx.preparedQuery("""
            UPDATE sandbox_charges SET amount_refunded = amount_refunded + $2
            WHERE reference = $1 AND status = 'succeeded' AND amount_refunded + $2 <= amount RETURNING *""")
        .execute(Tuple.of(charge.getString("reference"), amount))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(false);
          }
          Row updated = rows.iterator().next();
          return callbacks.owe(tx, updated.getString("reference"), "refund.succeeded", new JsonObject()
              .put("id", updated.getString("reference")).put("refund_id", refundId).put("reference", refundReference)
              .put("amount", amount).put("currency", updated.getString("currency")), 0).map(true);
        })))
        .map(refunded -> {
          if (!refunded) {
            return Reply.of(400, new JsonObject().put("status", "failed").put("failure_message", "refund exceeds the charge or charge not settled"));
          }
          callbacks.committed(0);
          return Reply.ok(new JsonObject().put("id", refundId).put("status", "succeeded").put("amount", amount));
        });
  }

  /** Closes a charge nobody has paid yet; a paid or declined one is 409 (its callback tells the outcome). */
  private Future<Reply> cancel(Call call) {
    return charge(call).compose(charge -> pool.preparedQuery("""
            UPDATE sandbox_charges SET status = 'canceled' WHERE reference = $1 AND status = 'pending' RETURNING *""")
        .execute(Tuple.of(charge.getString("reference")))
        .map(rows -> rows.size() == 1 ? Reply.ok(render(rows.iterator().next()))
            : Reply.of(409, new JsonObject().put("error", "charge is " + charge.getString("status")).put("status", charge.getString("status")))));
  }

  private Future<Reply> checkoutPage(Call call) {
    return testModeCheckout(call.path("id")).map(charge -> Reply.raw(200, "text/html; charset=utf-8",
        Buffer.buffer(CheckoutPage.render(charge))));
  }

  /** A charge's connection: its own column, or for charges made before it existed, its callback URL. */
  private static final String CHARGE_WITH_MODE = """
      SELECT c.*, p.mode AS connection_mode FROM sandbox_charges c
      LEFT JOIN provider_connections p ON p.id = coalesce(c.connection_id, substring(c.callback_url from '/v1/callbacks/([^/?#]+)$'))
      WHERE c.reference = $1""";

  /** The checkout named in the path; a live-mode payment is never paid on the sandbox. */
  private Future<Row> testModeCheckout(String reference) {
    return pool.preparedQuery(CHARGE_WITH_MODE).execute(Tuple.of(reference)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(CowrieError.notFound("checkout", reference));
      }
      Row charge = rows.iterator().next();
      return "test".equals(charge.getString("connection_mode")) ? Future.succeededFuture(charge)
          : Future.failedFuture(new CowrieError(ErrorCode.PERMISSION_DENIED,
              "The sandbox settles only test-mode payments; this checkout is not one.", "id"));
    });
  }

  private Future<Reply> checkoutSubmit(Call call) {
    String outcome = call.ctx().request().getFormAttribute("outcome");
    // "fail" is taken as a synonym of "decline": both are what a customer's declined card looks like.
    if (!"succeed".equals(outcome) && !"decline".equals(outcome) && !"fail".equals(outcome)
        && !SandboxAuthorizations.SUCCEED_THEN_DECLINE.equals(outcome)) {
      throw CowrieError.invalid("outcome", "outcome must be 'succeed', 'decline', 'fail' or '"
          + SandboxAuthorizations.SUCCEED_THEN_DECLINE + "' (form-encoded).");
    }
    String finalStatus = outcome.startsWith("succeed") ? "succeeded" : "failed";
    // Settle at once (a later verify sees the outcome); the callbacks, owed in the same
    // transaction, follow asynchronously.
    return testModeCheckout(call.path("id")).compose(checked -> pool.withTransaction(tx -> tx.preparedQuery("""
            UPDATE sandbox_charges SET status = $2 WHERE reference = $1 AND status IN ('pending', 'processing') RETURNING *""")
        .execute(Tuple.of(call.path("id"), finalStatus))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new CowrieError(ErrorCode.INVALID_STATE, "This checkout is closed or does not exist.", "id"));
          }
          Row settled = rows.iterator().next();
          JsonObject data = new JsonObject().put("id", settled.getString("reference")).put("reference", settled.getString("merchant_ref"))
              .put("amount", settled.getLong("amount")).put("currency", settled.getString("currency"));
          Future<Row> saved = finalStatus.equals("succeeded")
              ? SandboxAuthorizations.keep(tx, settled, SandboxAuthorizations.SUCCEED_THEN_DECLINE.equals(outcome))
              : Future.succeededFuture(settled);
          return saved.compose(charge -> callbacks.owe(tx, charge.getString("reference"), "payment.processing", data, 0)
              .compose(owed -> callbacks.owe(tx, charge.getString("reference"), "payment." + finalStatus,
                  declineReason(charge, data.copy()), callbacks.delayMs()))
              .map(charge));
        })))
        .map(charge -> {
          callbacks.committed(0, callbacks.delayMs());
          return Reply.raw(200, "text/html; charset=utf-8", Buffer.buffer(CheckoutPage.submitted(charge, finalStatus)));
        });
  }
}
