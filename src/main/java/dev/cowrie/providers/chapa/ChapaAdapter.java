package dev.cowrie.providers.chapa;

import dev.cowrie.common.Money;
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
import dev.cowrie.providers.RefundResult;
import dev.cowrie.providers.RefundStart;
import dev.cowrie.providers.StartResult;
import dev.cowrie.providers.StatusResult;
import dev.cowrie.providers.Wire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Chapa v1 (https://api.chapa.co): JSON, amounts as major-unit strings ({@code "100.00"}), bearer
 * secret key. Callbacks: {@code x-chapa-signature} = hex HMAC-SHA256 of the raw body keyed with
 * the webhook secret. {@code Chapa-Signature} is HMAC(secret, secret), the same for every request,
 * so it proves nothing about the body and is never enough on its own.
 */
public final class ChapaAdapter implements ProviderAdapter {
  static final String SIGNATURE_HEADER = "x-chapa-signature";
  static final String BODYLESS_HEADER = "chapa-signature";

  @Override
  public String name() {
    return "chapa";
  }

  @Override
  public ConnectionForm connectionForm() {
    return new ConnectionForm("Chapa", "Settings → API; set a webhook secret hash and the callback URL under Webhooks.", List.of(
        new ConnectionForm.Field("secret_key", "Secret key", "CHASECK_TEST-… or CHASECK-…"),
        new ConnectionForm.Field("webhook_secret", "Webhook secret", "the secret hash set in Chapa (8 to 200 characters)")));
  }

  @Override
  public String defaultApiBase(String publicUrl) {
    return "https://api.chapa.co";
  }

  @Override
  public Set<String> currencies() {
    return Set.of("ETB", "USD");
  }

  /** CHASECK_TEST-… is a test key, CHASECK-… a live one (PROVIDERS.md 4.1). */
  @Override
  public java.util.Optional<String> credentialsMode(JsonObject credentials) {
    return Wire.keyMode(credentials.getString("secret_key"), List.of("CHASECK_TEST-"), List.of("CHASECK-"));
  }

  @Override
  public JsonObject prepareCredentials(JsonObject credentials) {
    return Wire.credentials(name(), credentials, Map.of(
            "secret_key", Pattern.compile("CHASECK(_TEST)?-[A-Za-z0-9]+"),
            "webhook_secret", Pattern.compile("\\S{8,200}")),
        Map.of("secret_key", "your Chapa secret key (CHASECK_TEST-… or CHASECK-…)",
            "webhook_secret", "the webhook secret hash set in the Chapa dashboard (8 to 200 characters, no spaces)"));
  }

  private static Map<String, String> headers(Connection connection, String contentType) {
    return Wire.bearer(connection.secret("secret_key"), contentType);
  }

  static String major(long minor, String currency) {
    return new Money(minor, currency).toMajor().toPlainString();
  }

  /** 400 "Transaction reference has been used before" (official Error Codes page). */
  @Override
  public boolean duplicateStart(HttpAnswer answer) {
    return answer.status() == 400 && String.valueOf(answer.json().getValue("message")).toLowerCase(java.util.Locale.ROOT)
        .contains("reference has been used before");
  }

  @Override
  public HttpCall startPayment(Connection connection, PaymentStart payment) {
    JsonObject body = new JsonObject().put("amount", major(payment.amount(), payment.currency()))
        .put("currency", payment.currency()).put("tx_ref", payment.reference())
        .put("meta", new JsonObject().put("cowrie_payment", payment.paymentId()));
    if (payment.customerEmail() != null) {
      body.put("email", payment.customerEmail());
    }
    if (payment.returnUrl() != null) {
      body.put("return_url", payment.returnUrl());
    }
    return HttpCall.post("/v1/transaction/initialize", headers(connection, "application/json"), body.toBuffer());
  }

  @Override
  public StartResult readStart(Connection connection, PaymentStart payment, HttpAnswer answer) {
    JsonObject data = ChapaJson.data(answer.json());
    return new StartResult(payment.reference(), MalformedAnswer.require(data.getString("checkout_url"), "data.checkout_url"));
  }

  @Override
  public HttpCall verifyPayment(Connection connection, PaymentLookup lookup) {
    return HttpCall.get("/v1/transaction/verify/" + Wire.segment(lookup.reference()), headers(connection, null));
  }

  @Override
  public StatusResult readVerify(Connection connection, PaymentLookup lookup, HttpAnswer answer) {
    JsonObject data = ChapaJson.data(answer.json());
    String status = MalformedAnswer.require(data.getString("status"), "data.status");
    return new StatusResult(ChapaJson.status(status), data.getString("reference"), ChapaJson.minor(data),
        Wire.upper(data.getString("currency")), null, null);
  }

  @Override
  public HttpCall refund(Connection connection, RefundStart refund) {
    // Form-encoded, as in Chapa's own refund example; `reference` is our refund id, unique per business.
    Map<String, String> fields = Wire.fields();
    fields.put("reason", "Cowrie refund " + refund.refundId());
    fields.put("amount", refund.amount() == refund.paymentAmount() ? null : major(refund.amount(), refund.currency()));
    fields.put("reference", refund.refundId());
    return HttpCall.post("/v1/refund/" + Wire.segment(refund.paymentReference()),
        headers(connection, "application/x-www-form-urlencoded"), Wire.form(fields));
  }

  @Override
  public RefundResult readRefund(Connection connection, RefundStart refund, HttpAnswer answer) {
    JsonObject data = ChapaJson.data(answer.json());
    Object id = data.getValue("ref_id", data.getValue("reference"));
    return new RefundResult(ChapaJson.refundStatus(data.getString("status")), id == null ? null : String.valueOf(id), null);
  }

  @Override
  public CallbackEvent verifyCallback(Connection connection, Map<String, String> headers, byte[] rawBody, Instant now) {
    // Some integrations swap the two headers, so a body HMAC in either is accepted; the constant one never is.
    List<String> candidates = new ArrayList<>();
    for (String name : List.of(SIGNATURE_HEADER, BODYLESS_HEADER)) {
      if (headers.get(name) != null) {
        candidates.add(headers.get(name).trim().toLowerCase(java.util.Locale.ROOT));
      }
    }
    if (headers.get(SIGNATURE_HEADER) == null) {
      throw new CallbackRejected("missing " + SIGNATURE_HEADER + " header (Chapa-Signature alone does not cover the body)");
    }
    String expected = Wire.hmacHex("HmacSHA256", connection.secret("webhook_secret"), rawBody);
    if (!Wire.anyMatches(expected, candidates)) {
      throw new CallbackRejected("signature does not match the body");
    }
    return ChapaJson.event(new JsonObject(Buffer.buffer(rawBody)));
  }
}
