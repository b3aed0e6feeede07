package dev.cowrie.requests;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.events.Outbox;
import dev.cowrie.security.Principal;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The payee acknowledges a confirmation message: in one transaction the request row is locked,
 * the confirmation is recorded once (its nonce is unique per request), the tally and status move,
 * and {@code payment_request.confirmed} is written to the outbox. A repeat answers the same
 * certificate and moves nothing.
 */
final class Acknowledgment {
  private final Pool pool;
  private final SigningKeys keys;
  private final String issuer;
  private final Clock clock;

  /** {@code clock}: what is expired, and the certificate's date. */
  Acknowledgment(Pool pool, SigningKeys keys, String issuer, Clock clock) {
    this.clock = clock;
    this.pool = pool;
    this.keys = keys;
    this.issuer = issuer;
  }

  Future<JsonObject> acknowledge(Principal principal, String encoded) {
    Payloads.Confirmation confirmation;
    try {
      Envelope.Opened opened = Envelope.open(encoded, keys);
      if (opened.kind() != Envelope.KIND_CONFIRMATION) {
        throw new BadMessage("wrong_kind", "This is a payment request, not a confirmation message.");
      }
      confirmation = Payloads.readConfirmation(opened.body());
    } catch (BadMessage bad) {
      return Future.failedFuture(new CowrieError(ErrorCode.PARAMETER_INVALID,
          "The confirmation message was refused (" + bad.reason + "): " + bad.getMessage(), "encoded_message",
          new JsonObject().put("reason", bad.reason)));
    }
    return Tenancy.transaction(pool, principal.merchantId(), tx -> PaymentRequests.byRef(tx, clock.instant(), principal.merchantId(), principal.mode(), confirmation.ref(), true)
        .compose(request -> request == null
            ? Future.failedFuture(new CowrieError(ErrorCode.RESOURCE_MISSING,
                "No payment request of yours matches this confirmation message.", "encoded_message"))
            : record(tx, principal, request, confirmation)));
  }

  private Future<JsonObject> record(SqlConnection tx, Principal principal, PaymentRequests.Stored request,
      Payloads.Confirmation confirmation) {
    boolean payee = principal.isMerchant()
        || principal.kind() == Principal.Kind.WALLET_USER && principal.userId().equals(request.payeeUserId());
    if (!payee) {
      return Future.failedFuture(new CowrieError(ErrorCode.PERMISSION_DENIED,
          "Only the payee of a payment request can acknowledge a payment to it.", "encoded_message"));
    }
    if (!confirmation.currency().equals(request.currency())) {
      return Future.failedFuture(new CowrieError(ErrorCode.CURRENCY_MISMATCH, "The confirmation is in "
          + confirmation.currency() + " but the request is in " + request.currency() + ".", "encoded_message"));
    }
    if (confirmation.issuedAtSeconds() >= request.expiresAt().toEpochSecond()) {
      return Future.failedFuture(new CowrieError(ErrorCode.INVALID_STATE,
          "The confirmation was issued after the payment request expired.", "encoded_message"));
    }
    long total = request.paidAmount() + confirmation.paidAmount();
    if (total > dev.cowrie.common.Money.AMOUNT_MAX) { // overpayments count, but the tally stays a bounded amount
      return Future.failedFuture(new CowrieError(ErrorCode.INVALID_AMOUNT,
          "The tally would exceed " + dev.cowrie.common.Money.AMOUNT_MAX + "; this confirmation cannot be counted.", "encoded_message"));
    }
    if ("canceled".equals(request.status())) {
      return Future.failedFuture(new CowrieError(ErrorCode.PAYMENT_REQUEST_CANCELED,
          "This payment request was canceled; it takes no more payments.", "encoded_message"));
    }
    String status = total >= request.amount() ? "paid" : "partially_paid";
    String nonce = HexFormat.of().formatHex(confirmation.nonce());
    String certificate = Certificates.issue(keys, new Certificates.Claim(issuer, request.id(), request.payee(), confirmation.payer(),
        confirmation.paidAmount(), request.currency(), total, status, confirmation.proof(), nonce), clock.instant());
    return count(tx, clock.instant(), request, confirmation, certificate).compose(updated -> updated != null
        ? Future.succeededFuture(answer(updated, certificate, true))
        : PaymentRequests.certificateOf(tx, request, confirmation.nonce()).map(existing -> answer(request, existing, false)));
  }

  /**
   * Counts a confirmation once (its nonce is unique per request): the row, the tally and
   * {@code payment_request.confirmed}; answers the request as it now reads, or null if it was counted before.
   */
  static Future<PaymentRequests.Stored> count(SqlConnection tx, Instant asOf, PaymentRequests.Stored request,
      Payloads.Confirmation confirmation, String certificate) {
    String nonce = HexFormat.of().formatHex(confirmation.nonce());
    return PaymentRequests.recordConfirmation(tx, request, confirmation, certificate).compose(counted -> !counted
        ? Future.succeededFuture(null)
        : PaymentRequests.addPaid(tx, asOf, request, confirmation.paidAmount())
            .compose(updated -> Outbox.record(tx, request.merchantId(), request.mode(), "payment_request.confirmed",
                    updated.json().copy().put("confirmation", new JsonObject().put("nonce", nonce)
                        .put("paid_amount", confirmation.paidAmount()).put("payer", confirmation.payer())))
                .map(updated)));
  }

  private static JsonObject answer(PaymentRequests.Stored request, String certificate, boolean counted) {
    return new JsonObject().put("object", "payment_request_acknowledgment").put("id", request.id())
        .put("status", request.status()).put("amount", request.amount()).put("paid_amount", request.paidAmount())
        .put("currency", request.currency()).put("counted", counted).put("certificate", certificate);
  }
}
