package dev.cowrie.requests;

import dev.cowrie.security.PersonAddresses;
import dev.cowrie.common.Bus;
import dev.cowrie.http.Page;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Ids;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.security.Principal;
import dev.cowrie.store.Database;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Payment requests over any messenger ({@code cowrie.requests.*}): issues signed request and
 * confirmation messages, keeps the tally that only the payee's acknowledgment moves, checks
 * messages and QR codes, and owns the instance's signing keys.
 */
public final class RequestsVerticle extends VerticleBase {
  private final CowrieConfig config;
  private final Clock clock;
  private Pool pool;
  private SigningKeys keys;
  private Verification verification;
  private RequestHolds holds;
  private WalletPayments payments;
  private Pool system;
  private static final long REPAIR_INTERVAL_MS = 10_000;

  /** {@code clock}: when a request expires, the confirmations' dates, and when a left-behind hold is repaired. */
  public RequestsVerticle(CowrieConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, config);
    keys = new SigningKeys(pool, config.masterKey());
    verification = new Verification(pool, keys, new QrDecoder(vertx, config), clock);
    holds = new RequestHolds(pool, keys, config.publicUrl(), clock);
    // The sweep over every merchant's left-behind holds: the system role.
    system = Database.systemPool(vertx, config);
    payments = new WalletPayments(vertx, holds, system, config.bus().requestTimeoutMs(), clock);
    vertx.setPeriodic(REPAIR_INTERVAL_MS, timer -> payments.repair());
    vertx.eventBus().consumer(RequestsAddresses.KEYS_CHANGED, message -> keys.load());
    return keys.start().compose(v -> Future.all(List.of(
        Bus.serve(vertx, RequestsAddresses.CREATE, this::create).completion(),
        Bus.serve(vertx, RequestsAddresses.GET, cmd -> {
          Principal principal = principal(cmd);
          return byId(principal, cmd.getString("id")).map(this::view);
        }).completion(),
        Bus.serve(vertx, RequestsAddresses.LIST, this::list).completion(),
        Bus.serve(vertx, RequestsAddresses.SENT, this::sent).completion(),
        Bus.serve(vertx, RequestsAddresses.RECEIVED, cmd -> new Acknowledgment(pool, keys, config.publicUrl(), clock)
            .acknowledge(principal(cmd), cmd.getString("encoded_message"))).completion(),
        Bus.serve(vertx, RequestsAddresses.VERIFY, cmd -> verification.verify(principal(cmd), cmd)).completion(),
        Bus.serve(vertx, RequestsAddresses.PREVIEW, cmd -> verification.preview(cmd.getString("encoded_message"))
            .compose(this::withRequest)).completion(),
        Bus.serve(vertx, RequestsAddresses.PUBLIC_QR, this::publicQr).completion(),
        Bus.serve(vertx, RequestsAddresses.QR, this::qr).completion(),
        Bus.serve(vertx, RequestsAddresses.CANCEL, this::cancel).completion(),
        Bus.serve(vertx, RequestsAddresses.HOLD, cmd -> holds.hold(principal(cmd), cmd)).completion(),
        Bus.serve(vertx, RequestsAddresses.SETTLE, cmd -> holds.settle(principal(cmd), cmd.getString("transfer_key"),
            cmd.getJsonObject("transfer")).map(request -> tellPayeePaid(request, cmd.getJsonObject("transfer")))
            .map(request -> new JsonObject().put("payment_request", request == null ? null : view(request)))).completion(),
        Bus.serve(vertx, RequestsAddresses.PAY, cmd -> byId(principal(cmd), cmd.getString("id"))
            .compose(request -> cmd.getString("idempotency_key") != null ? payments.pay(principal(cmd), cmd)
                : Future.failedFuture(new CowrieError(ErrorCode.IDEMPOTENCY_KEY_REQUIRED, "This call moves money: send an "
                    + "Idempotency-Key header (a fresh random value per payment, the same value when you retry it).", "Idempotency-Key")))
            .map(paid -> paid.put("payment_request", view(paid.getJsonObject("payment_request"))))).completion(),
        Bus.serve(vertx, RequestsAddresses.RELEASE, cmd -> holds.release(principal(cmd), cmd.getString("transfer_key"))).completion(),
        Bus.serve(vertx, RequestsAddresses.KEYS, cmd -> Future.succeededFuture(keys.jwks())).completion(),
        Bus.serve(vertx, RequestsAddresses.ROTATE_KEY, cmd -> keys.rotate().map(key -> {
          vertx.eventBus().publish(RequestsAddresses.KEYS_CHANGED, new JsonObject().put("kid", key.kid()));
          return keys.jwks().put("active", key.kid());
        })).completion())));
  }

  @Override
  public Future<?> stop() {
    return system.close();
  }

  private static Principal principal(JsonObject cmd) {
    return Principal.fromJson(cmd.getJsonObject("principal"));
  }

  private JsonObject view(PaymentRequests.Stored request) {
    return view(request.json());
  }

  private JsonObject view(JsonObject request) {
    return request.copy()
        .put("pay_url", payUrl(request.getString("encoded_message")))
        .put("qr_url", config.publicUrl() + "/v1/payment_requests/" + request.getString("id") + "/qr.png");
  }

  /** Only the payee (the wallet user who asked, or the merchant) cancels; a paid request stays paid. */
  private Future<JsonObject> cancel(JsonObject cmd) {
    Principal principal = principal(cmd);
    return Tenancy.transaction(pool, principal.merchantId(), sql -> PaymentRequests.byId(sql, clock.instant(), principal.merchantId(),
        principal.mode(), cmd.getString("id"), true).compose(request -> {
          boolean payee = principal.isMerchant() || request.payeeUserId() != null && request.payeeUserId().equals(principal.userId());
          if (!payee) {
            return Future.failedFuture(new CowrieError(ErrorCode.PERMISSION_DENIED, "Only who asked can cancel a payment request.", "id"));
          }
          if ("paid".equals(request.status()) || "canceled".equals(request.status())) {
            return Future.failedFuture(new CowrieError(ErrorCode.INVALID_STATE, "This payment request is already "
                + request.status() + ".", "id"));
          }
          return PaymentRequests.cancel(sql, clock.instant(), request);
        })).map(this::view);
  }

  /** The payee's own stream hears that a wallet payment counted towards their request. */
  private PaymentRequests.Stored tellPayeePaid(PaymentRequests.Stored request, JsonObject transfer) {
    if (request != null && request.payeeUserId() != null) {
      vertx.eventBus().publish(PersonAddresses.person(request.payeeUserId()), new JsonObject()
          .put("type", "payment_request.answered").put("id", request.id()).put("payment_request", view(request))
          .put("transfer", transfer));
    }
    return request;
  }

  private String payUrl(String encoded) {
    return config.publicUrl() + "/pay/" + encoded;
  }

  /** Validated fields arrive from RequestsRoutes; expiry is rounded down to the minute the message carries. */
  private Future<JsonObject> create(JsonObject cmd) {
    Principal principal = principal(cmd);
    String id = Ids.next("preq");
    byte[] ref = ref(id);
    long expires = Payloads.roundExpiry(Instant.parse(cmd.getString("expires_at")).getEpochSecond());
    JsonArray acceptsJson = cmd.getJsonArray("accepts", new JsonArray());
    List<Payloads.Accept> accepts = new ArrayList<>();
    acceptsJson.forEach(item -> accepts.add(new Payloads.Accept(((JsonObject) item).getString("method"),
        ((JsonObject) item).getString("address"))));
    String description = cmd.getString("description", "");
    Payloads.Request payload = new Payloads.Request(ref, cmd.getLong("amount"), cmd.getString("currency"), expires, description, accepts);
    SigningKeys.Key key = keys.active();
    String encoded = Envelope.seal(Envelope.KIND_REQUEST, key.kidBytes(), Payloads.write(payload), keys::sign);
    boolean wallet = principal.kind() == Principal.Kind.WALLET_USER;
    PaymentRequests.Stored stored = new PaymentRequests.Stored(id, principal.merchantId(), principal.mode(),
        wallet ? principal.userId() : null, wallet ? principal.username() : principal.merchantId(),
        payload.amount(), payload.currency(), OffsetDateTime.ofInstant(Instant.ofEpochSecond(expires), ZoneOffset.UTC),
        0, "open", null);
    return Tenancy.transaction(pool, principal.merchantId(), sql -> PaymentRequests.insert(sql, stored, ref, key.kid(),
            acceptsJson, description, cmd.getString("room_id"), encoded))
        .compose(v -> byId(principal, id))
        .map(this::view);
  }

  /** A merchant lists all its requests; a wallet user those it asked for. */
  private Future<JsonObject> list(JsonObject cmd) {
    Principal principal = principal(cmd);
    Page page = Page.fromJson(cmd.getJsonObject("page"));
    String payee = principal.kind() == Principal.Kind.WALLET_USER ? principal.userId() : null;
    return Tenancy.transaction(pool, principal.merchantId(), sql -> PaymentRequests.list(sql, clock.instant(), principal.merchantId(),
            principal.mode(), payee, cmd.getString("status"), page.cursor(), page.limit() + 1))
        .map(found -> {
          JsonArray views = new JsonArray();
          found.forEach(request -> views.add(view(request)));
          return page.envelope(views);
        });
  }

  /** The payer's claim: a signed confirmation message; it changes no tally. */
  private Future<JsonObject> sent(JsonObject cmd) {
    Principal principal = principal(cmd);
    return byId(principal, cmd.getString("id")).map(request -> {
      Instant now = clock.instant();
      if (!now.isBefore(request.expiresAt().toInstant())) {
        throw new CowrieError(ErrorCode.INVALID_STATE, "This payment request expired at " + request.json().getString("expires_at") + ".", "id");
      }
      if ("paid".equals(request.status())) {
        throw new CowrieError(ErrorCode.INVALID_STATE, "This payment request is already paid in full.", "id");
      }
      if ("canceled".equals(request.status())) {
        throw new CowrieError(ErrorCode.PAYMENT_REQUEST_CANCELED, "This payment request was canceled.", "id");
      }
      String payer = principal.kind() == Principal.Kind.WALLET_USER ? principal.username()
          : java.util.Objects.requireNonNullElse(cmd.getString("payer"), principal.merchantId());
      Payloads.Confirmation confirmation = new Payloads.Confirmation(ref(request.id()), dev.cowrie.common.Secrets.randomBytes(8),
          cmd.getLong("paid_amount"), request.currency(), now.getEpochSecond(), payer,
          java.util.Objects.requireNonNullElse(cmd.getString("proof"), ""));
      String encoded = Envelope.seal(Envelope.KIND_CONFIRMATION, keys.active().kidBytes(), Payloads.write(confirmation), keys::sign);
      return new JsonObject().put("object", "payment_confirmation").put("payment_request", request.id())
          .put("paid_amount", confirmation.paidAmount()).put("currency", confirmation.currency()).put("payer", payer)
          .put("proof", confirmation.proof()).put("issued_at", Instant.ofEpochSecond(confirmation.issuedAtSeconds()).toString())
          .put("confirmation_message", encoded).put("status", request.status());
    }).onSuccess(answer -> tellPayee(cmd, answer));
  }

  /** A wallet user who asked for money hears on their own stream that someone says they paid. */
  private void tellPayee(JsonObject cmd, JsonObject confirmation) {
    byId(principal(cmd), cmd.getString("id")).onSuccess(request -> {
      if (request.payeeUserId() != null) {
        vertx.eventBus().publish(PersonAddresses.person(request.payeeUserId()), new JsonObject()
            .put("type", "payment_request.answered").put("id", request.id()).put("confirmation", confirmation));
      }
    });
  }

  /** A pay link whose signature holds shows its request's payee and live tally too. */
  private Future<JsonObject> withRequest(JsonObject preview) {
    JsonObject decoded = preview.getJsonObject("decoded");
    if (decoded == null || !"request".equals(preview.getString("kind"))) {
      return Future.succeededFuture(preview);
    }
    byte[] ref = java.util.HexFormat.of().parseHex(decoded.getString("ref"));
    return PaymentRequests.publicByRef(system, clock.instant(), ref).map(request -> preview.put("payment_request", request));
  }

  /** The QR of a valid pay link itself ({@code method} null) or of one of its accepted methods' address. */
  private Future<JsonObject> publicQr(JsonObject cmd) {
    String encoded = cmd.getString("encoded_message");
    String method = cmd.getString("method");
    return verification.preview(encoded).compose(preview -> {
      JsonObject decoded = preview.getJsonObject("decoded");
      if (decoded == null) {
        return Future.failedFuture(new CowrieError(ErrorCode.RESOURCE_MISSING, "This pay link is not valid.", "message"));
      }
      String text = method == null ? payUrl(encoded) : decoded.getJsonArray("accepts", new JsonArray()).stream()
          .map(JsonObject.class::cast).filter(accept -> method.equals(accept.getString("method")))
          .map(accept -> accept.getString("address")).findFirst()
          .orElseThrow(() -> CowrieError.invalid("method", "This request does not accept " + method + "."));
      return vertx.executeBlocking(() -> Qr.png(text));
    }).map(png -> new JsonObject().put("png", Base64.getEncoder().encodeToString(png)));
  }

  private Future<JsonObject> qr(JsonObject cmd) {
    Principal principal = principal(cmd);
    return byId(principal, cmd.getString("id"))
        .compose(request -> vertx.executeBlocking(() -> Qr.png(payUrl(request.json().getString("encoded_message")))))
        .map(png -> new JsonObject().put("png", Base64.getEncoder().encodeToString(png)));
  }

  /** A payment request of the caller's merchant and mode, read as that tenant. */
  private Future<PaymentRequests.Stored> byId(Principal principal, String id) {
    return Tenancy.transaction(pool, principal.merchantId(), sql -> PaymentRequests.byId(sql, clock.instant(), principal.merchantId(), principal.mode(), id));
  }

  /** The 80 random bits of a time-sortable id (its last 16 base32 characters) as 10 bytes. */
  static byte[] ref(String id) {
    String alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
    String tail = id.substring(id.length() - 16);
    byte[] out = new byte[10];
    long bits = 0;
    int count = 0;
    int at = 0;
    for (char c : tail.toCharArray()) {
      bits = (bits << 5) | alphabet.indexOf(c);
      count += 5;
      if (count >= 8) {
        count -= 8;
        out[at++] = (byte) (bits >>> count);
      }
    }
    return out;
  }
}
