package dev.cowrie.requests;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.security.Principal;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Arrays;

/**
 * A wallet transfer that pays a payment request (a chat transfer answering a request message).
 * Before the money moves, {@link #hold} checks the request under its row lock (payable, same
 * currency, payee, room, no overpayment counting other holds) and holds the amount; once the
 * transfer committed, {@link #settle} turns the hold into a counted confirmation (Cowrie saw the
 * money move, so no payee acknowledgment is needed); a refused transfer {@link #release}s it. All
 * three are keyed by the payer and the transfer's idempotency key, so retries and the chat's
 * receipt repair can run them again safely.
 */
final class RequestHolds {
  static final String FIND = """
      SELECT request_id, payer, amount FROM payment_request_holds
      WHERE merchant_id = $1 AND mode = $2 AND payer_user_id = $3 AND transfer_key = $4 LIMIT 1""";
  static final String HELD_FOR_REQUEST = """
      SELECT coalesce(sum(amount), 0) AS held FROM payment_request_holds WHERE merchant_id = $1 AND mode = $2 AND request_id = $3""";
  static final String INSERT = """
      INSERT INTO payment_request_holds (merchant_id, mode, payer_user_id, transfer_key, request_id, payer, amount)
      VALUES ($1, $2, $3, $4, $5, $6, $7)""";
  static final String DROP = """
      DELETE FROM payment_request_holds WHERE merchant_id = $1 AND mode = $2 AND payer_user_id = $3 AND transfer_key = $4""";

  private final Pool pool;
  private final SigningKeys keys;
  private final String issuer;
  private final Clock clock;

  RequestHolds(Pool pool, SigningKeys keys, String issuer, Clock clock) {
    this.pool = pool;
    this.keys = keys;
    this.issuer = issuer;
    this.clock = clock;
  }

  /**
   * {@code cmd}: id, amount, transfer_key; and as a chat passes them, room_id (the request must be
   * asked there), to and currency (must be its payee's and its own). Answers the request; fails with a coded refusal.
   */
  Future<JsonObject> hold(Principal payer, JsonObject cmd) {
    String key = cmd.getString("transfer_key");
    long amount = cmd.getLong("amount");
    return Tenancy.transaction(pool, payer.merchantId(), tx -> PaymentRequests.byId(tx, clock.instant(), payer.merchantId(), payer.mode(),
            cmd.getString("id"), true)
        .recover(failure -> Future.failedFuture(CowrieError.from(failure).code != ErrorCode.RESOURCE_MISSING ? failure
            : new CowrieError(ErrorCode.RESOURCE_MISSING, "No such payment request: '" + cmd.getString("id") + "'.", "payment_request")))
        .compose(request -> tx.preparedQuery(FIND).execute(keyTuple(payer, key)).compose(found -> {
          if (found.size() > 0) {
            return sameHold(found.iterator().next(), request, amount);
          }
          return PaymentRequests.certificateOf(tx, request, nonce(payer, key)).compose(certificate -> certificate != null
              ? Future.succeededFuture(request.json()) // settled before: the transfer will replay
              : refusal(payer, request, cmd).compose(ignored -> newHold(tx, payer, request, key, amount)));
        })));
  }

  /** Turns the hold into a counted confirmation whose proof is the transfer; answers the request, or null if no hold was taken. */
  Future<PaymentRequests.Stored> settle(Principal payer, String key, JsonObject transfer) {
    return Tenancy.transaction(pool, payer.merchantId(), tx -> tx.preparedQuery(FIND + " FOR UPDATE").execute(keyTuple(payer, key))
        .compose(found -> {
          if (found.size() == 0) {
            return alreadySettled(tx, payer, key);
          }
          Row hold = found.iterator().next();
          return PaymentRequests.byId(tx, clock.instant(), payer.merchantId(), payer.mode(), hold.getString("request_id"), true)
              .compose(request -> count(tx, payer, key, request, hold, transfer))
              .compose(updated -> tx.preparedQuery(DROP).execute(keyTuple(payer, key)).map(updated));
        }));
  }

  /** After a refused transfer, or a repair that found no transfer: the held amount is free again. */
  Future<JsonObject> release(Principal payer, String key) {
    return Tenancy.transaction(pool, payer.merchantId(), tx -> tx.preparedQuery(DROP).execute(keyTuple(payer, key)))
        .map(rows -> new JsonObject().put("released", rows.rowCount()));
  }

  private Future<PaymentRequests.Stored> count(SqlConnection tx, Principal payer, String key, PaymentRequests.Stored request,
      Row hold, JsonObject transfer) {
    long amount = hold.getLong("amount");
    long total = request.paidAmount() + amount;
    String status = total >= request.amount() ? "paid" : "partially_paid";
    byte[] nonce = nonce(payer, key);
    long now = clock.instant().getEpochSecond();
    Payloads.Confirmation confirmation = new Payloads.Confirmation(RequestsVerticle.ref(request.id()), nonce, amount,
        request.currency(), now, hold.getString("payer"), transfer.getString("id"));
    String certificate = Certificates.issue(keys, new Certificates.Claim(issuer, request.id(), request.payee(), confirmation.payer(),
        amount, request.currency(), total, status, confirmation.proof(), java.util.HexFormat.of().formatHex(nonce)), clock.instant());
    return Acknowledgment.count(tx, clock.instant(), request, confirmation, certificate)
        .map(updated -> updated != null ? updated : request);
  }

  /** No hold: settled before (answers the request as it reads now), or the transfer never answered a request (null). */
  private Future<PaymentRequests.Stored> alreadySettled(SqlConnection tx, Principal payer, String key) {
    return PaymentRequests.requestOfNonce(tx, payer.merchantId(), payer.mode(), nonce(payer, key)).compose(id -> id == null
        ? Future.succeededFuture(null)
        : PaymentRequests.byId(tx, clock.instant(), payer.merchantId(), payer.mode(), id));
  }

  /** Why this request cannot take this payment, or a succeeded future if it can. */
  private Future<Void> refusal(Principal payer, PaymentRequests.Stored request, JsonObject cmd) {
    String why = null;
    ErrorCode code = null;
    String param = "payment_request";
    String to = cmd.getString("to");
    if (cmd.containsKey("room_id") && !java.util.Objects.equals(request.json().getString("room_id"), cmd.getString("room_id"))) {
      code = ErrorCode.RESOURCE_MISSING;
      why = "Payment request " + request.id() + " was not asked in this room.";
    } else if (request.payeeUserId() == null) {
      code = ErrorCode.PARAMETER_INVALID;
      why = "Payment request " + request.id() + " was asked by a merchant: pay it with one of its accepted methods.";
    } else if (to != null && !request.payee().equalsIgnoreCase(to)) {
      code = ErrorCode.PARAMETER_INVALID;
      param = "to";
      why = "Payment request " + request.id() + " asks to pay " + request.payee() + ", not " + to + ".";
    } else if (request.payeeUserId().equals(payer.userId())) {
      code = ErrorCode.SELF_TRANSFER;
      why = "This is your own payment request.";
    } else {
      switch (request.status()) {
        case "canceled" -> {
          code = ErrorCode.PAYMENT_REQUEST_CANCELED;
          why = "Payment request " + request.id() + " was canceled by " + request.payee() + ".";
        }
        case "expired" -> {
          code = ErrorCode.PAYMENT_REQUEST_EXPIRED;
          why = "Payment request " + request.id() + " expired at " + request.json().getString("expires_at") + ".";
        }
        case "paid" -> {
          code = ErrorCode.PAYMENT_REQUEST_PAID;
          why = "Payment request " + request.id() + " is already paid in full.";
        }
        default -> {
          if (cmd.getString("currency") != null && !request.currency().equals(cmd.getString("currency"))) {
            code = ErrorCode.CURRENCY_MISMATCH;
            param = "currency";
            why = "Payment request " + request.id() + " asks for " + request.currency() + ", not " + cmd.getString("currency") + ".";
          }
        }
      }
    }
    return code == null ? Future.succeededFuture() : Future.failedFuture(new CowrieError(code, why, param));
  }

  /** Holds the amount unless it, with what is paid and held already, would pay more than asked. */
  private Future<JsonObject> newHold(SqlConnection tx, Principal payer, PaymentRequests.Stored request, String key, long amount) {
    return tx.preparedQuery(HELD_FOR_REQUEST).execute(Tuple.of(payer.merchantId(), payer.mode(), request.id())).compose(rows -> {
      long open = request.amount() - request.paidAmount() - rows.iterator().next().getLong("held");
      if (amount > open) {
        return Future.failedFuture(new CowrieError(ErrorCode.AMOUNT_EXCEEDS_REQUEST, "Payment request " + request.id()
            + " has " + Math.max(open, 0) + " " + request.currency() + " (minor units) left to pay; " + amount + " is more.",
            "amount", new JsonObject().put("remaining", Math.max(open, 0))));
      }
      return tx.preparedQuery(INSERT).execute(Tuple.tuple(Arrays.asList(payer.merchantId(), payer.mode(), payer.userId(), key,
          request.id(), payer.username(), amount))).map(request.json());
    });
  }

  private static Future<JsonObject> sameHold(Row hold, PaymentRequests.Stored request, long amount) {
    return hold.getString("request_id").equals(request.id()) && hold.getLong("amount") == amount
        ? Future.succeededFuture(request.json())
        : Future.failedFuture(new CowrieError(ErrorCode.IDEMPOTENCY_KEY_REUSED,
            "This retry key was used to pay a different amount or request."));
  }

  private static Tuple keyTuple(Principal payer, String key) {
    return Tuple.of(payer.merchantId(), payer.mode(), payer.userId(), key);
  }

  /** The confirmation's nonce, derived from the payer and the transfer key: a settlement counts once however often it runs. */
  static byte[] nonce(Principal payer, String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest((payer.userId() + "\n" + key).getBytes(StandardCharsets.UTF_8));
      return Arrays.copyOf(digest, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
