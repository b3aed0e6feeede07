package dev.cowrie.providers.paystack;

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
import dev.cowrie.common.CowrieError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Paystack (https://api.paystack.co): JSON bodies, amounts in subunits, bearer secret key.
 * Callbacks carry {@code x-paystack-signature} = hex HMAC-SHA512 of the raw body keyed with the
 * secret key; no timestamp, so every money-moving callback is confirmed by verify.
 */
public final class PaystackAdapter implements ProviderAdapter {
  static final String SIGNATURE_HEADER = "x-paystack-signature";
  private static final String JSON = "application/json";

  @Override
  public String name() {
    return "paystack";
  }

  @Override
  public ConnectionForm connectionForm() {
    return new ConnectionForm("Paystack", "Dashboard → Settings → API Keys & Webhooks; paste the callback URL below there as the Webhook URL.", List.of(
        new ConnectionForm.Field("secret_key", "Secret key", "sk_test_… in test mode, sk_live_… in live mode")));
  }

  @Override
  public String defaultApiBase(String publicUrl) {
    return "https://api.paystack.co";
  }

  @Override
  public Set<String> currencies() {
    return Set.of("NGN", "GHS", "ZAR", "KES", "USD");
  }

  /** Test keys are sk_test_…, live keys sk_live_… (PROVIDERS.md 1). */
  @Override
  public java.util.Optional<String> credentialsMode(JsonObject credentials) {
    return Wire.keyMode(credentials.getString("secret_key"), List.of("sk_test_"), List.of("sk_live_"));
  }

  @Override
  public JsonObject prepareCredentials(JsonObject credentials) {
    return Wire.credentials(name(), credentials, Map.of("secret_key", Pattern.compile("sk_(test|live)_[A-Za-z0-9]+")),
        Map.of("secret_key", "your Paystack secret key (sk_test_… or sk_live_…)"));
  }

  private static Map<String, String> headers(Connection connection, boolean json) {
    return Wire.bearer(connection.secret("secret_key"), json ? JSON : null);
  }

  /** Paystack's sources disagree on a bad key's code: 401 or 400, both with "Invalid key" (README, Errors). */
  @Override
  public boolean credentialsRefused(HttpAnswer answer) {
    return answer.status() == 400 && PaystackJson.invalidKey(answer.json());
  }

  /** 400 {@code code: "duplicate_reference"} ("Duplicate Transaction Reference"), OpenAPI TransactionInitializeBadRequestModel. */
  @Override
  public boolean duplicateStart(HttpAnswer answer) {
    JsonObject body = answer.json();
    return "duplicate_reference".equals(body.getValue("code"))
        || String.valueOf(body.getValue("message")).equalsIgnoreCase("Duplicate Transaction Reference");
  }

  @Override
  public Set<String> requiredPaymentFields() {
    return Set.of("customer.email");
  }

  @Override
  public HttpCall startPayment(Connection connection, PaymentStart payment) {
    if (payment.customerEmail() == null) {
      throw new CowrieError(dev.cowrie.common.ErrorCode.PARAMETER_MISSING, "Paystack needs customer.email.", "customer.email");
    }
    JsonObject body = new JsonObject().put("email", payment.customerEmail()).put("amount", payment.amount())
        .put("currency", payment.currency()).put("reference", PaystackJson.wireReference(payment.reference()))
        .put("metadata", new JsonObject().put("cowrie_payment", payment.paymentId()));
    if (payment.returnUrl() != null) {
      body.put("callback_url", payment.returnUrl());
    }
    if (payment.savedMethod() != null) {
      // A reusable authorization from an earlier checkout, charged without the customer (Charge Authorization).
      body.put("authorization_code", payment.savedMethod().token());
      return HttpCall.post("/transaction/charge_authorization", headers(connection, true), body.toBuffer());
    }
    return HttpCall.post("/transaction/initialize", headers(connection, true), body.toBuffer());
  }

  /** Paystack keeps a card as a reusable {@code authorization_code} after any card checkout. */
  @Override
  public boolean savesMethods() {
    return true;
  }

  @Override
  public StartResult readStart(Connection connection, PaymentStart payment, HttpAnswer answer) {
    JsonObject data = PaystackJson.data(answer.json());
    if (payment.savedMethod() != null) { // the charge's outcome is in its answer, shaped like verify's
      return new StartResult(MalformedAnswer.require(data.getString("reference"), "data.reference"), null,
          PaystackJson.transaction(data));
    }
    return new StartResult(MalformedAnswer.require(data.getString("reference"), "data.reference"),
        MalformedAnswer.require(data.getString("authorization_url"), "data.authorization_url"));
  }

  @Override
  public HttpCall verifyPayment(Connection connection, PaymentLookup lookup) {
    return HttpCall.get("/transaction/verify/" + Wire.segment(PaystackJson.wireReference(lookup.reference())),
        headers(connection, false));
  }

  @Override
  public StatusResult readVerify(Connection connection, PaymentLookup lookup, HttpAnswer answer) {
    return PaystackJson.transaction(PaystackJson.data(answer.json()));
  }

  @Override
  public HttpCall refund(Connection connection, RefundStart refund) {
    JsonObject body = new JsonObject().put("transaction", PaystackJson.wireReference(refund.paymentReference()))
        .put("currency", refund.currency()).put("merchant_note", PaystackJson.refundNote(refund.refundId()));
    if (refund.amount() != refund.paymentAmount()) {
      body.put("amount", refund.amount()); // left out, Paystack refunds the whole transaction
    }
    return HttpCall.post("/refund", headers(connection, true), body.toBuffer());
  }

  @Override
  public RefundResult readRefund(Connection connection, RefundStart refund, HttpAnswer answer) {
    JsonObject data = PaystackJson.data(answer.json());
    Object id = MalformedAnswer.require(data.getValue("id"), "data.id");
    return new RefundResult(PaystackJson.refundStatus(data.getString("status")), String.valueOf(id), null);
  }

  @Override
  public HttpCall refundStatus(Connection connection, dev.cowrie.providers.RefundLookup refund) {
    if (refund.providerRefundId() == null) {
      // Creation timed out: list the transaction's refunds (List Refunds, ?transaction=) and find ours by merchant_note.
      return HttpCall.get("/refund?transaction=" + Wire.segment(PaystackJson.wireReference(refund.paymentReference()))
          + "&perPage=100", headers(connection, false));
    }
    return HttpCall.get("/refund/" + Wire.segment(refund.providerRefundId()), headers(connection, false));
  }

  @Override
  public RefundResult readRefundStatus(Connection connection, dev.cowrie.providers.RefundLookup refund, HttpAnswer answer) {
    if (refund.providerRefundId() == null) {
      return PaystackJson.listedRefund(answer.json(), refund.refundId(), refund.amount());
    }
    JsonObject data = PaystackJson.data(answer.json());
    return new RefundResult(PaystackJson.refundStatus(data.getString("status")), String.valueOf(data.getValue("id")), null);
  }

  @Override
  public CallbackEvent verifyCallback(Connection connection, Map<String, String> headers, byte[] rawBody, Instant now) {
    String signature = headers.get(SIGNATURE_HEADER);
    if (signature == null) {
      throw new CallbackRejected("missing " + SIGNATURE_HEADER + " header");
    }
    // Paystack signs the raw bytes, so we verify before parsing JSON.
    String expected = Wire.hmacHex("HmacSHA512", connection.secret("secret_key"), rawBody);
    if (!Wire.anyMatches(expected, List.of(signature.trim().toLowerCase(java.util.Locale.ROOT)))) {
      throw new CallbackRejected("signature does not match the body");
    }
    return PaystackJson.event(new JsonObject(Buffer.buffer(rawBody)));
  }
}
