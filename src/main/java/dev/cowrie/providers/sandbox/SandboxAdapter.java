package dev.cowrie.providers.sandbox;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Secrets;
import dev.cowrie.providers.CallbackEvent;
import dev.cowrie.providers.CallbackRejected;
import dev.cowrie.providers.Connection;
import dev.cowrie.providers.ConnectionForm;
import dev.cowrie.providers.HttpAnswer;
import dev.cowrie.providers.HttpCall;
import dev.cowrie.providers.MalformedAnswer;
import dev.cowrie.providers.PaymentLookup;
import dev.cowrie.providers.PaymentStart;
import dev.cowrie.providers.ProviderAdapter;
import dev.cowrie.providers.ProviderStatus;
import dev.cowrie.providers.RefundResult;
import dev.cowrie.providers.RefundStart;
import dev.cowrie.providers.SavedMethod;
import dev.cowrie.providers.StartResult;
import dev.cowrie.providers.StatusResult;
import dev.cowrie.providers.TimestampedSignature;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The built-in sandbox, talked to over HTTP like any provider (its API is served by Cowrie under
 * {@code /sandbox/api}, see {@link SandboxApi}). Callbacks are signed like Stripe's:
 * {@code Cowrie-Sandbox-Signature: t=<unix s>,v1=<hex HMAC-SHA256 of "t.body">}, 300 s tolerance.
 */
public final class SandboxAdapter implements ProviderAdapter {
  static final String SIGNATURE_HEADER = "cowrie-sandbox-signature";
  static final long TOLERANCE_SECONDS = 300;

  @Override
  public String name() {
    return "sandbox";
  }

  @Override
  public ConnectionForm connectionForm() {
    return new ConnectionForm("Sandbox", "Test mode only: Cowrie's own simulated provider; a webhook secret is made for you when left empty.", List.of(
        new ConnectionForm.Field("webhook_secret", "Webhook secret (optional)", "16 to 200 characters; leave empty to have one made")));
  }

  @Override
  public String defaultApiBase(String publicUrl) {
    return publicUrl + "/sandbox/api";
  }

  @Override
  public Set<String> currencies() {
    return Set.of();
  }

  /** The sandbox only pretends: live mode never connects it, and it never settles a live payment. */
  @Override
  public boolean movesRealMoney() {
    return false;
  }

  @Override
  public JsonObject prepareCredentials(JsonObject credentials) {
    for (String field : credentials.fieldNames()) {
      if (!field.equals("webhook_secret")) {
        throw CowrieError.invalid("credentials." + field, "The sandbox takes only credentials.webhook_secret.");
      }
    }
    Object secret = credentials.getValue("webhook_secret");
    if (secret != null && (!(secret instanceof String text) || text.length() < 16 || text.length() > 200)) {
      throw CowrieError.invalid("credentials.webhook_secret", "webhook_secret must be a string of 16 to 200 characters.");
    }
    return secret != null ? credentials.copy() : new JsonObject().put("webhook_secret", "sbxsec_" + Secrets.randomToken(32));
  }

  private static Map<String, String> headers(Connection connection, String idempotencyKey) {
    Map<String, String> headers = new java.util.HashMap<>();
    headers.put("Authorization", "Bearer " + connection.secret("webhook_secret"));
    headers.put("Content-Type", "application/json");
    if (idempotencyKey != null) {
      headers.put("Idempotency-Key", idempotencyKey);
    }
    return headers;
  }

  @Override
  public HttpCall startPayment(Connection connection, PaymentStart payment) {
    JsonObject body = new JsonObject().put("reference", payment.reference()).put("amount", payment.amount())
        .put("currency", payment.currency()).put("callback_url", payment.callbackUrl())
        .put("return_url", payment.returnUrl()).put("description", payment.description());
    if (payment.savedMethod() != null) {
      body.put("authorization", payment.savedMethod().token());
    }
    return HttpCall.post("/charges", headers(connection, payment.idempotencyKey()), body.toBuffer());
  }

  /** The sandbox keeps every paid card as an authorization, like Paystack's reusable ones. */
  @Override
  public boolean savesMethods() {
    return true;
  }

  @Override
  public StartResult readStart(Connection connection, PaymentStart payment, HttpAnswer answer) {
    JsonObject charge = answer.json();
    String id = MalformedAnswer.require(charge.getString("id"), "id");
    if (payment.savedMethod() != null) { // an authorization's charge settles in the answer
      return new StartResult(id, null, statusOf(charge));
    }
    return new StartResult(id, MalformedAnswer.require(charge.getString("checkout_url"), "checkout_url"));
  }

  @Override
  public HttpCall verifyPayment(Connection connection, PaymentLookup lookup) {
    return HttpCall.get("/charges/" + lookup.providerReference(), headers(connection, null));
  }

  @Override
  public StatusResult readVerify(Connection connection, PaymentLookup lookup, HttpAnswer answer) {
    return statusOf(answer.json());
  }

  private static StatusResult statusOf(JsonObject charge) {
    JsonObject authorization = charge.getJsonObject("authorization");
    SavedMethod saved = authorization == null ? null : new SavedMethod(authorization.getString("id"), null,
        null, authorization.getString("brand"), authorization.getString("last4"));
    return new StatusResult(status(charge.getString("status")), charge.getString("id"), charge.getLong("amount"),
        charge.getString("currency"), charge.getString("failure_message"), null, saved);
  }

  static ProviderStatus status(String status) {
    return switch (status == null ? "" : status) {
      case "pending" -> ProviderStatus.REQUIRES_ACTION;
      case "processing" -> ProviderStatus.PROCESSING;
      case "succeeded" -> ProviderStatus.SUCCEEDED;
      case "failed" -> ProviderStatus.FAILED;
      case "canceled" -> ProviderStatus.CANCELED;
      default -> ProviderStatus.UNKNOWN;
    };
  }

  @Override
  public HttpCall cancelPayment(Connection connection, PaymentLookup lookup) {
    return HttpCall.post("/charges/" + lookup.providerReference() + "/cancel", headers(connection, null), new JsonObject().toBuffer());
  }

  @Override
  public HttpCall refund(Connection connection, RefundStart refund) {
    return HttpCall.post("/charges/" + refund.providerReference() + "/refunds", headers(connection, refund.idempotencyKey()),
        new JsonObject().put("amount", refund.amount()).put("reference", refund.refundId()).toBuffer());
  }

  @Override
  public RefundResult readRefund(Connection connection, RefundStart refund, HttpAnswer answer) {
    JsonObject body = answer.json();
    RefundResult.Status status = switch (String.valueOf(body.getString("status"))) {
      case "succeeded" -> RefundResult.Status.SUCCEEDED;
      case "pending" -> RefundResult.Status.PENDING;
      case "failed" -> RefundResult.Status.FAILED;
      default -> RefundResult.Status.UNKNOWN;
    };
    return new RefundResult(status, body.getString("id"), body.getString("failure_message"));
  }

  @Override
  public CallbackEvent verifyCallback(Connection connection, Map<String, String> headers, byte[] rawBody, Instant now) {
    TimestampedSignature.verify(SIGNATURE_HEADER, headers.get(SIGNATURE_HEADER), connection.secret("webhook_secret"),
        rawBody, now, TOLERANCE_SECONDS);
    return read(new JsonObject(io.vertx.core.buffer.Buffer.buffer(rawBody)));
  }

  /** Hex HMAC-SHA256 of {@code t.body} keyed with the secret's bytes. */
  static String sign(String secret, long timestamp, byte[] body) {
    return TimestampedSignature.sign(secret, timestamp, body);
  }

  private static CallbackEvent read(JsonObject event) {
    String type = String.valueOf(event.getString("type"));
    JsonObject data = event.getJsonObject("data", new JsonObject());
    String id = event.getString("id");
    return switch (type) {
      case "payment.processing", "payment.succeeded", "payment.failed" -> new CallbackEvent(id, type,
          CallbackEvent.Kind.PAYMENT, status(type.substring("payment.".length())), null, data.getString("reference"),
          data.getString("id"), data.getLong("amount"), data.getString("currency"), false,
          data.getString("failure_code"), data.getString("failure_message"));
      case "refund.succeeded", "refund.failed" -> new CallbackEvent(id, type, CallbackEvent.Kind.REFUND, null,
          type.endsWith("succeeded") ? RefundResult.Status.SUCCEEDED : RefundResult.Status.FAILED,
          data.getString("reference"), data.getString("refund_id"), data.getLong("amount"), data.getString("currency"), false);
      default -> new CallbackEvent(id, type, CallbackEvent.Kind.OTHER, null, null, data.getString("reference"),
          data.getString("id"), null, null, false);
    };
  }
}
