package dev.cowrie.providers;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.SecretBox;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.store.Database;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Hosts one adapter ({@code cowrie.provider.<name>.call}): loads the connection, sends the
 * adapter's HTTP calls with a timeout behind a per-connection circuit breaker, and classifies
 * what happened. Outcomes: {@code ok}, {@code retryable} (429, 5xx, timeout or open circuit on a
 * step that moves no money), {@code unknown} (no answer to a step that may have moved money),
 * {@code bad_credentials} (401/403, or a 4xx the adapter reads as refused credentials: the connection is flagged), {@code rejected} (other 4xx),
 * {@code malformed} (an answer the adapter cannot read). Raw answers are kept, cut to 8 KiB.
 */
public final class ProviderVerticle extends VerticleBase {
  private static final int RAW_CHARS_MAX = 8192;
  private static final int FOLLOW_UPS_MAX = 2;

  private final CowrieConfig config;
  private final ProviderAdapter adapter;
  private final Map<String, CircuitBreaker> breakers = new HashMap<>();
  private final String instance = UUID.randomUUID().toString();
  private Pool pool;
  private Connections connections;
  private WebClient web;
  private long timeoutMs;

  public ProviderVerticle(CowrieConfig config, ProviderAdapter adapter) {
    this.config = config;
    this.adapter = adapter;
  }

  @Override
  public Future<?> start() {
    // Provider I/O for every merchant, addressed by connection id: the system role reads the credentials.
    pool = Database.systemPool(vertx, config);
    connections = new Connections(new SecretBox(config.masterKey()), config.publicUrl());
    timeoutMs = config.provider().timeoutMs();
    web = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false).setConnectTimeout((int) timeoutMs)
        .setUserAgent("Cowrie/0.1").setKeepAlive(true), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(32));
    return Bus.serve(vertx, ProviderAddresses.call(adapter.name()), this::call).completion();
  }

  @Override
  public Future<?> stop() {
    BreakerBoard.forget(vertx, instance);
    return Future.succeededFuture();
  }

  /** A failed call the breaker should count, carrying the answer to give anyway. */
  private static final class Counted extends RuntimeException {
    final JsonObject reply;

    Counted(JsonObject reply) {
      super(reply.getString("message"), null, false, false);
      this.reply = reply;
    }
  }

  private Future<JsonObject> call(JsonObject cmd) {
    ProviderCall call = ProviderCall.fromJson(cmd);
    String operation = call.operation();
    JsonObject input = call.input();
    return connections.load(pool, call.connectionId()).compose(connection -> {
      if (!connection.provider().equals(adapter.name())) {
        return Future.failedFuture(new CowrieError(ErrorCode.INVALID_REQUEST, "connection belongs to another provider"));
      }
      if ("live".equals(connection.mode()) && !adapter.movesRealMoney()) {
        // A live connection to the sandbox (made before live mode refused it) must never start or settle a payment.
        return Future.succeededFuture(outcome(CallOutcome.REJECTED, null, 0, adapter.name() + " never takes live-mode payments", null));
      }
      CircuitBreaker breaker = breakers.computeIfAbsent(connection.id(), id -> BreakerBoard.watch(vertx,
          CircuitBreaker.create("provider-" + id, vertx, new CircuitBreakerOptions().setMaxFailures(config.provider().breakerFailuresMax())
              .setResetTimeout(config.provider().breakerResetMs()).setTimeout(-1)), id, instance));
      return breaker.<JsonObject>execute(() -> perform(operation, connection, input)
              .compose(reply -> CallOutcome.of(reply).inconclusive()
                  ? Future.failedFuture(new Counted(reply)) : Future.succeededFuture(reply)))
          .recover(failure -> Future.succeededFuture(failure instanceof Counted counted ? counted.reply
              : outcome(CallOutcome.noAnswerTo(operation), null, 0, "circuit open: "
                  + adapter.name() + " failed repeatedly; not called", null)))
          .compose(reply -> CallOutcome.of(reply) == CallOutcome.BAD_CREDENTIALS
              ? connections.flag(pool, connection.id(), "provider refused the credentials (HTTP "
                  + reply.getInteger("http_status") + ")").map(reply)
              : Future.succeededFuture(reply));
    });
  }

  private Future<JsonObject> perform(String operation, Connection connection, JsonObject input) {
    try {
      return performOrThrow(operation, connection, input);
    } catch (CowrieError | IllegalArgumentException | ArithmeticException refused) {
      // The adapter cannot express this request to its provider (e.g. an amount the provider's unit cannot hold).
      return Future.succeededFuture(outcome(CallOutcome.REJECTED, null, 0, adapter.name() + " cannot take this request: "
          + refused.getMessage(), null));
    }
  }

  private Future<JsonObject> performOrThrow(String operation, Connection connection, JsonObject input) {
    return switch (operation) {
      case "start" -> {
        PaymentStart start = PaymentStart.fromJson(input);
        yield send(connection, adapter.startPayment(connection, start), "start", answer -> {
          StartResult result = adapter.readStart(connection, start, answer);
          JsonObject started = new JsonObject().put("provider_reference", result.providerReference())
              .put("redirect_url", result.redirectUrl());
          // A saved method's charge settles at once: payments applies it as it applies a verify.
          return result.settled() == null ? started : started.put("verified", statusJson(result.settled()));
        }).compose(reply -> CallOutcome.of(reply) == CallOutcome.DUPLICATE ? startedBefore(connection, start, reply)
            : Future.succeededFuture(reply));
      }
      case "verify" -> {
        PaymentLookup lookup = PaymentLookup.fromJson(input);
        yield verify(connection, lookup, adapter.verifyPayment(connection, lookup), 0);
      }
      case "cancel" -> {
        PaymentLookup lookup = PaymentLookup.fromJson(input);
        HttpCall call = adapter.cancelPayment(connection, lookup);
        yield call == null ? Future.succeededFuture(outcome(CallOutcome.UNSUPPORTED, null, 0, adapter.name() + " has no way to close a checkout", null))
            : send(connection, call, "cancel", answer -> new JsonObject().put("closed", true));
      }
      case "refund" -> {
        RefundStart refund = RefundStart.fromJson(input);
        yield send(connection, adapter.refund(connection, refund), "refund", answer -> {
          RefundResult result = adapter.readRefund(connection, refund, answer);
          return new JsonObject().put("status", result.status().name()).put("provider_refund_id", result.providerRefundId())
              .put("failure_message", result.failureMessage());
        });
      }
      case "refund_status" -> {
        RefundLookup refund = RefundLookup.fromJson(input);
        HttpCall call = adapter.refundStatus(connection, refund);
        yield call == null ? Future.succeededFuture(outcome(CallOutcome.UNSUPPORTED, null, 0, refund.providerRefundId() == null
                ? adapter.name() + " cannot look a refund up without its refund id (its creation timed out): left pending"
                  + " for its callback or a human" : adapter.name() + " has no refund lookup", null))
            : send(connection, call, "refund_status", answer -> {
              RefundResult result = adapter.readRefundStatus(connection, refund, answer);
              return new JsonObject().put("status", result.status().name()).put("provider_refund_id", result.providerRefundId())
                  .put("failure_message", result.failureMessage());
            });
      }
      default -> Future.failedFuture(new IllegalArgumentException("unknown provider operation " + operation));
    };
  }

  /**
   * The provider already knows this reference: an earlier start may have succeeded (we timed out
   * before its answer). Its verify answer decides; the result carries it as {@code verified} and
   * has no redirect URL (the provider's verify does not give the checkout link back).
   */
  private Future<JsonObject> startedBefore(Connection connection, PaymentStart start, JsonObject duplicate) {
    PaymentLookup lookup = new PaymentLookup(start.reference(), null, start.currency());
    return verify(connection, lookup, adapter.verifyPayment(connection, lookup), 0).map(reply -> switch (CallOutcome.of(reply)) {
      case OK -> {
        JsonObject verified = reply.getJsonObject("result");
        yield reply.put("message", adapter.name() + " already knew the reference; verified instead: " + verified.getString("status"))
            .put("result", new JsonObject().put("provider_reference", verified.getString("provider_reference") != null
                ? verified.getString("provider_reference") : start.reference()).putNull("redirect_url").put("verified", verified));
      }
      // The customer never got a link from us: another route is safe.
      case UNKNOWN -> reply.put("outcome", CallOutcome.RETRYABLE.wire());
      // Not found after all: the duplicate answer stands.
      case REJECTED -> duplicate.put("outcome", CallOutcome.REJECTED.wire());
      default -> reply;
    });
  }

  private Future<JsonObject> verify(Connection connection, PaymentLookup lookup, HttpCall call, int followUps) {
    StatusResult[] holder = new StatusResult[1];
    return send(connection, call, "verify", answer -> {
      StatusResult result = adapter.readVerify(connection, lookup, answer);
      holder[0] = result;
      return statusJson(result);
    }).compose(reply -> holder[0] != null && holder[0].followUp() != null && followUps < FOLLOW_UPS_MAX
        ? verify(connection, lookup, holder[0].followUp(), followUps + 1)
        : Future.succeededFuture(reply));
  }

  /** A provider-reported status as the bus carries it, with the method the provider kept, if any. */
  private static JsonObject statusJson(StatusResult result) {
    JsonObject json = new JsonObject().put("status", result.status().name()).put("provider_reference", result.providerReference())
        .put("amount", result.amount()).put("currency", result.currency()).put("failure_message", result.failureMessage());
    return result.savedMethod() == null ? json : json.put("saved_method", result.savedMethod().toJson());
  }

  private interface Reader {
    JsonObject read(HttpAnswer answer);
  }

  private Future<JsonObject> send(Connection connection, HttpCall call, String operation, Reader reader) {
    String base = connection.apiBase() != null ? connection.apiBase() : adapter.defaultApiBase(config.publicUrl());
    HttpRequest<Buffer> request = web.requestAbs(call.method(), base + call.path()).timeout(timeoutMs);
    call.headers().forEach(request::putHeader);
    long started = System.nanoTime();
    Future<io.vertx.ext.web.client.HttpResponse<Buffer>> sent = call.body() == null ? request.send() : request.sendBuffer(call.body());
    return sent.map(response -> {
      int latency = (int) ((System.nanoTime() - started) / 1_000_000);
      HttpAnswer answer = new HttpAnswer(response.statusCode(), response.body() == null ? Buffer.buffer() : response.body());
      String raw = cut(answer.text());
      int status = answer.status();
      if (status == 401 || status == 403 || (status >= 400 && status < 500 && status != 429 && refusesCredentials(answer))) {
        return outcome(CallOutcome.BAD_CREDENTIALS, status, latency, adapter.name() + " refused the credentials", raw);
      }
      if (status == 429 || status >= 500) {
        return outcome(CallOutcome.RETRYABLE, status, latency, adapter.name() + " answered HTTP " + status, raw);
      }
      if (operation.equals("start") && status >= 400 && status < 500 && duplicateStart(answer)) {
        return outcome(CallOutcome.DUPLICATE, status, latency, adapter.name() + " already knows this reference", raw);
      }
      if (status >= 300) {
        return outcome(CallOutcome.REJECTED, status, latency, adapter.name() + " refused the request (HTTP " + status + ")", raw);
      }
      try {
        return outcome(CallOutcome.OK, status, latency, null, raw).put("result", reader.read(answer));
      } catch (MalformedAnswer | IllegalArgumentException | ClassCastException e) {
        return outcome(CallOutcome.MALFORMED, status, latency, "unreadable answer from " + adapter.name() + ": " + e.getMessage(), raw);
      }
    }).otherwise(failure -> outcome(CallOutcome.noAnswerTo(operation), null,
        (int) ((System.nanoTime() - started) / 1_000_000),
        "no answer from " + adapter.name() + ": " + failure.getClass().getSimpleName() + " " + failure.getMessage(), null));
  }

  private boolean duplicateStart(HttpAnswer answer) {
    try {
      return adapter.duplicateStart(answer);
    } catch (RuntimeException unreadable) {
      return false;
    }
  }

  private boolean refusesCredentials(HttpAnswer answer) {
    try {
      return adapter.credentialsRefused(answer);
    } catch (RuntimeException unreadable) {
      return false; // an unreadable 4xx stays a plain refusal
    }
  }

  private static JsonObject outcome(CallOutcome outcome, Integer httpStatus, int latencyMs, String message, String raw) {
    return new JsonObject().put("outcome", outcome.wire()).put("http_status", httpStatus).put("latency_ms", latencyMs)
        .put("message", message).put("raw", raw);
  }

  private static String cut(String raw) {
    return raw.length() <= RAW_CHARS_MAX ? raw : raw.substring(0, RAW_CHARS_MAX);
  }
}
