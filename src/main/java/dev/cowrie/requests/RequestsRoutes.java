package dev.cowrie.requests;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Input;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.http.Access;
import dev.cowrie.http.Api;
import dev.cowrie.http.Call;
import dev.cowrie.http.Reply;
import dev.cowrie.http.Routes;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;

/** Payment requests, confirmations, verification, QR codes and the public keys (API.md). */
public final class RequestsRoutes implements Routes {
  static final int DESCRIPTION_CHARS_MAX = 140;
  static final Duration EXPIRY_DEFAULT = Duration.ofDays(7);
  static final Duration EXPIRY_MAX = Duration.ofDays(366);
  private static final Pattern METHOD = Pattern.compile("^[A-Z0-9_]{1,32}$");
  private final long timeoutMs;
  private final int qrDecodeTokens;
  private final Clock clock;

  /** {@code clock}: the window a new request's expiry must fall in. */
  public RequestsRoutes(CowrieConfig config, Clock clock) {
    this.clock = clock;
    this.timeoutMs = config.bus().requestTimeoutMs();
    this.qrDecodeTokens = config.qr().decodeCostTokens();
  }

  @Override
  public void mount(Api api) {
    api.post("/v1/payment_requests", Access.ANY_AUTHENTICATED, call ->
        send(api, RequestsAddresses.CREATE, call.command(createCommand(call.body(), clock))).map(Reply::created));
    api.get("/v1/payment_requests", Access.ANY_AUTHENTICATED, call -> {
      String status = call.query("status");
      if (status != null && !Set.of("open", "partially_paid", "paid", "expired", "canceled").contains(status)) {
        throw CowrieError.invalid("status", "status must be open, partially_paid, paid, expired or canceled.");
      }
      return send(api, RequestsAddresses.LIST, call.command(new JsonObject().put("status", status)
          .put("page", call.page().toJson()))).map(Reply::ok);
    });
    api.get("/v1/payment_requests/:id", Access.ANY_AUTHENTICATED, call ->
        send(api, RequestsAddresses.GET, call.command(new JsonObject().put("id", call.path("id")))).map(Reply::ok));
    api.get("/v1/payment_requests/:id/qr.png", Access.ANY_AUTHENTICATED, call ->
        send(api, RequestsAddresses.QR, call.command(new JsonObject().put("id", call.path("id"))))
            .map(qr -> Reply.raw(200, "image/png", Buffer.buffer(Base64.getDecoder().decode(qr.getString("png"))))));
    api.post("/v1/payment_requests/:id/sent", Access.ANY_AUTHENTICATED, call -> {
      JsonObject body = call.body();
      Input.onlyKnown(body, Set.of("paid_amount", "proof", "payer"));
      JsonObject command = new JsonObject().put("id", call.path("id")).put("paid_amount", Input.amount(body, "paid_amount"))
          .put("proof", Input.optionalString(body, "proof", 200)).put("payer", Input.optionalString(body, "payer", 64));
      return send(api, RequestsAddresses.SENT, call.command(command)).map(Reply::created);
    });
    api.post("/v1/payment_requests/:id/cancel", Access.ANY_AUTHENTICATED, call -> {
      Input.onlyKnown(call.body(), Set.of());
      return send(api, RequestsAddresses.CANCEL, call.command(new JsonObject().put("id", call.path("id")))).map(Reply::ok);
    });
    api.post("/v1/payment_requests/:id/pay", Access.WALLET_USER, call -> {
      JsonObject body = call.body();
      Input.onlyKnown(body, Set.of("amount", "currency", "pin"));
      String pin = Input.optionalString(body, "pin", 6);
      if (pin != null && !pin.matches("[0-9]{4,6}")) {
        throw CowrieError.invalid("pin", "pin must be 4 to 6 digits.");
      }
      String currency = body.getValue("currency") == null ? null : Input.currency(body, "currency");
      return send(api, RequestsAddresses.PAY, call.command(new JsonObject().put("id", call.path("id"))
          .put("amount", Input.amount(body, "amount")).put("currency", currency).put("pin", pin)
          // The key is required, but a request of another merchant or mode is a 404 first (RequestsVerticle).
          .put("idempotency_key", call.header("Idempotency-Key")))).map(Reply::created);
    });
    api.post("/v1/payment_requests/received", Access.ANY_AUTHENTICATED, call -> {
      JsonObject body = call.body();
      Input.onlyKnown(body, Set.of("encoded_message"));
      return send(api, RequestsAddresses.RECEIVED, call.command(new JsonObject()
          .put("encoded_message", Input.string(body, "encoded_message", Envelope.ENCODED_CHARS_MAX)))).map(Reply::ok);
    });
    api.post("/v1/payment_requests/verify", Access.ANY_AUTHENTICATED, call -> {
      JsonObject body = call.body();
      Input.onlyKnown(body, Set.of("encoded_message", "qr_png"));
      String qr = Input.optionalString(body, "qr_png", 60_000);
      // Too long or oddly typed text is still an answer (valid:false), not an error: verify is for checking untrusted input.
      Object text = body.getValue("encoded_message");
      if (qr == null && text == null) {
        throw new CowrieError(dev.cowrie.common.ErrorCode.PARAMETER_MISSING, "Send encoded_message or qr_png.", "encoded_message");
      }
      // A decode costs far more than a request: the caller's rate limit pays for it (the request itself took 1).
      Future<Void> paid = qr == null ? Future.succeededFuture() : api.charge(call, qrDecodeTokens - 1);
      return paid.compose(ignored -> send(api, RequestsAddresses.VERIFY, call.command(new JsonObject().put("qr_png", qr)
          .put("encoded_message", text instanceof String s ? s : String.valueOf(text))))).map(Reply::ok);
    });
    api.get("/pay/:message", Access.NONE, call ->
        send(api, RequestsAddresses.PREVIEW, new JsonObject().put("encoded_message", call.path("message"))).map(preview -> {
          JsonObject request = preview.getJsonObject("payment_request");
          if (request != null) {
            request.remove("tenant");
          }
          return Reply.ok(preview);
        }));
    api.get("/pay/:message/qr.png", Access.NONE, call -> {
      String method = call.query("method");
      if (method != null && !METHOD.matcher(method).matches()) {
        throw CowrieError.invalid("method", "method must be letters, digits or _ (e.g. BTC).");
      }
      return send(api, RequestsAddresses.PUBLIC_QR, new JsonObject().put("encoded_message", call.path("message")).put("method", method))
          .map(qr -> Reply.raw(200, "image/png", Buffer.buffer(Base64.getDecoder().decode(qr.getString("png"))))
              .withHeaders(java.util.Map.of("Cache-Control", "public, max-age=300")));
    });
    api.get("/v1/.well-known/cowrie-keys", Access.NONE, call ->
        send(api, RequestsAddresses.KEYS, new JsonObject()).map(keys -> Reply.ok(keys)
            .withHeaders(java.util.Map.of("Cache-Control", "public, max-age=300"))));
    api.post("/v1/admin/signing_keys/rotate", Access.ADMIN, call ->
        send(api, RequestsAddresses.ROTATE_KEY, call.command(new JsonObject())).map(Reply::ok));
  }

  private static JsonObject createCommand(JsonObject body, Clock clock) {
    Input.onlyKnown(body, Set.of("amount", "currency", "description", "expires_at", "accepts"));
    return requestFields(body, clock);
  }

  /** The fields of a new payment request, validated; chat's payment_request messages use it too. */
  public static JsonObject requestFields(JsonObject body, Clock clock) {
    String description = Input.optionalString(body, "description", DESCRIPTION_CHARS_MAX);
    if (description != null && description.getBytes(StandardCharsets.UTF_8).length > Payloads.DESCRIPTION_BYTES_MAX) {
      throw CowrieError.invalid("description", "description must be at most " + Payloads.DESCRIPTION_BYTES_MAX + " bytes of UTF-8.");
    }
    return new JsonObject()
        .put("amount", Input.amount(body, "amount"))
        .put("currency", Input.currency(body, "currency"))
        .put("description", description == null ? "" : description)
        .put("expires_at", expiry(Input.optionalString(body, "expires_at", 40), clock.instant()).toString())
        .put("accepts", accepts(Input.optionalArray(body, "accepts")));
  }

  private static Instant expiry(String text, Instant now) {
    if (text == null) {
      return now.plus(EXPIRY_DEFAULT);
    }
    Instant at;
    try {
      at = Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw CowrieError.invalid("expires_at", "expires_at must be an RFC 3339 UTC timestamp such as 2030-01-31T12:00:00Z.");
    }
    if (at.isBefore(now.plusSeconds(120)) || at.isAfter(now.plus(EXPIRY_MAX))) {
      throw CowrieError.invalid("expires_at", "expires_at must be between 2 minutes and 366 days from now.");
    }
    return at;
  }

  private static JsonArray accepts(JsonArray list) {
    JsonArray out = new JsonArray();
    if (list == null) {
      return out;
    }
    if (list.size() > Payloads.ACCEPTS_MAX) {
      throw CowrieError.invalid("accepts", "accepts may list at most " + Payloads.ACCEPTS_MAX + " payment methods.");
    }
    for (int i = 0; i < list.size(); i++) {
      String param = "accepts[" + i + "]";
      if (!(list.getValue(i) instanceof JsonObject item)) {
        throw CowrieError.invalid(param, param + " must be an object {method, address}.");
      }
      Input.onlyKnown(item, Set.of("method", "address"));
      String method = Input.string(item, "method", 32).toUpperCase(java.util.Locale.ROOT);
      String address = Input.string(item, "address", 120).trim();
      if (!METHOD.matcher(method).matches()) {
        throw CowrieError.invalid(param + ".method", "method must be letters, digits or _ (e.g. BTC).");
      }
      if (method.equals("BTC") && Addresses.fromBase58Check(address) == null && Addresses.fromSegwit(address) == null) {
        throw CowrieError.invalid(param + ".address", "address is not a valid Bitcoin address (base58check or bech32).");
      }
      out.add(new JsonObject().put("method", method).put("address", address));
    }
    return out;
  }

  private Future<JsonObject> send(Api api, String address, JsonObject command) {
    return Bus.request(api.vertx(), address, command, timeoutMs);
  }
}
