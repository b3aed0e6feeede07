package dev.cowrie.requests;

import dev.cowrie.security.Principal;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

/**
 * Checks a message (or the QR code carrying it) and says why it is not valid: malformed,
 * truncated, unsupported_version, unknown_key, bad_signature, expired, unknown_request,
 * unreadable_qr. Bad input is an answer with valid:false, never an error.
 */
final class Verification {
  private final Pool pool;
  private final SigningKeys keys;
  private final QrDecoder qrDecoder;
  /** Messages naming an unknown kid reload the keys at most this often, so garbage cannot hammer the database. */
  static final long RELOAD_INTERVAL_MS = 1_000;
  private long lastReloadMs;
  private final Clock clock;

  /** {@code clock}: whether a request message has expired. */
  Verification(Pool pool, SigningKeys keys, QrDecoder qrDecoder, Clock clock) {
    this.clock = clock;
    this.pool = pool;
    this.keys = keys;
    this.qrDecoder = qrDecoder;
  }

  Future<JsonObject> verify(Principal principal, JsonObject cmd) {
    Future<String> text = cmd.getString("qr_png") == null ? Future.succeededFuture(cmd.getString("encoded_message"))
        : qrImage(cmd.getString("qr_png")).compose(qrDecoder::read).map(Verification::messageIn);
    return text.compose(encoded -> check(principal, encoded))
        .recover(failure -> failure instanceof BadMessage bad ? Future.succeededFuture(invalid(bad, null, null))
            : Future.failedFuture(failure));
  }

  /** The public view behind a pay URL: signature and expiry only, no tenant data. */
  Future<JsonObject> preview(String encoded) {
    return open(encoded).map(decoded -> expired(decoded)
            ? invalid(new BadMessage("expired", "This payment request has expired."), decoded, null)
            : valid(decoded, null))
        .recover(failure -> failure instanceof BadMessage bad ? Future.succeededFuture(invalid(bad, null, null))
            : Future.failedFuture(failure));
  }

  private Future<JsonObject> check(Principal principal, String encoded) {
    return open(encoded).compose(decoded -> {
      byte[] ref = java.util.HexFormat.of().parseHex(decoded.getString("ref"));
      return Tenancy.transaction(pool, principal.merchantId(), sql -> PaymentRequests.byRef(sql, clock.instant(), principal.merchantId(),
          principal.mode(), ref, false)).compose(request -> {
        if (request == null) {
          return Future.succeededFuture(invalid(new BadMessage("unknown_request",
              "The signature is good, but no payment request of this merchant and mode has this reference."), decoded, null));
        }
        decoded.put("payment_request", request.id());
        if ("confirmation".equals(decoded.getString("kind"))) {
          byte[] nonce = java.util.HexFormat.of().parseHex(decoded.getString("nonce"));
          return Tenancy.transaction(pool, principal.merchantId(), sql -> PaymentRequests.certificateOf(sql, request, nonce))
              .map(certificate -> valid(decoded, request.status()).put("acknowledged", certificate != null));
        }
        return Future.succeededFuture(expired(decoded)
            ? invalid(new BadMessage("expired", "This payment request has expired."), decoded, request.status())
            : valid(decoded, request.status()));
      });
    });
  }

  /** Opens and parses a message; kind goes into the decoded object. Fails only with BadMessage. */
  private Future<JsonObject> open(String encoded) {
    Envelope.Opened opened;
    try {
      opened = Envelope.open(encoded, keys);
    } catch (BadMessage bad) {
      long now = clock.millis();
      if (!"unknown_key".equals(bad.reason) || now - lastReloadMs < RELOAD_INTERVAL_MS) {
        return Future.failedFuture(bad);
      }
      lastReloadMs = now;
      // Another node may have rotated since we loaded: reload once, then decide.
      return keys.load().compose(v -> {
        try {
          return Future.succeededFuture(parse(Envelope.open(encoded, keys)));
        } catch (BadMessage again) {
          return Future.failedFuture(again);
        }
      });
    }
    try {
      return Future.succeededFuture(parse(opened));
    } catch (BadMessage bad) {
      return Future.failedFuture(bad);
    }
  }

  private static JsonObject parse(Envelope.Opened opened) throws BadMessage {
    JsonObject decoded = opened.kind() == Envelope.KIND_REQUEST
        ? Payloads.readRequest(opened.body()).toJson().put("kind", "request")
        : Payloads.readConfirmation(opened.body()).toJson().put("kind", "confirmation");
    return decoded.put("kid", opened.kid());
  }

  private boolean expired(JsonObject decoded) {
    return "request".equals(decoded.getString("kind"))
        && !clock.instant().isBefore(Instant.parse(decoded.getString("expires_at")));
  }

  private static JsonObject valid(JsonObject decoded, String status) {
    return new JsonObject().put("valid", true).put("reason", null).put("kind", decoded.remove("kind"))
        .put("decoded", decoded).put("status", status);
  }

  private static JsonObject invalid(BadMessage bad, JsonObject decoded, String status) {
    return new JsonObject().put("valid", false).put("reason", bad.reason).put("message", bad.getMessage())
        .put("kind", decoded == null ? null : decoded.remove("kind")).put("decoded", decoded).put("status", status);
  }

  /** A QR code holds a pay URL; the message is its last path segment. */
  private static String messageIn(String text) {
    int at = text.lastIndexOf("/pay/");
    return at >= 0 ? text.substring(at + 5) : text.trim();
  }

  private static Future<byte[]> qrImage(String base64) {
    try {
      return Future.succeededFuture(Base64.getMimeDecoder().decode(base64));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new BadMessage("unreadable_qr", "qr_png is not base64."));
    }
  }
}
