package dev.cowrie.providers.flutterwave;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
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
import dev.cowrie.providers.RefundResult;
import dev.cowrie.providers.RefundStart;
import dev.cowrie.providers.StartResult;
import dev.cowrie.providers.StatusResult;
import dev.cowrie.providers.Wire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Flutterwave v3 (https://api.flutterwave.com): Standard hosted checkout, JSON, major-unit amounts.
 * Callbacks: {@code flutterwave-signature} = base64 HMAC-SHA256 of the raw body keyed with the
 * dashboard secret hash, or the legacy {@code verif-hash} = the secret hash itself. Neither has a
 * timestamp, so callbacks are confirmed by verify.
 */
public final class FlutterwaveAdapter implements ProviderAdapter {
  static final String SIGNATURE_HEADER = "flutterwave-signature";
  static final String LEGACY_HEADER = "verif-hash";

  @Override
  public String name() {
    return "flutterwave";
  }

  @Override
  public ConnectionForm connectionForm() {
    return new ConnectionForm("Flutterwave", "Settings → API keys; set a secret hash under Settings → Webhooks with the callback URL.", List.of(
        new ConnectionForm.Field("secret_key", "Secret key", "FLWSECK_TEST-…-X or FLWSECK-…-X"),
        new ConnectionForm.Field("secret_hash", "Secret hash", "the webhook secret hash you set in Flutterwave (8 to 200 characters)")));
  }

  @Override
  public String defaultApiBase(String publicUrl) {
    return "https://api.flutterwave.com";
  }

  @Override
  public Set<String> currencies() {
    return Set.of("NGN", "GHS", "KES", "ZAR", "USD", "EUR", "GBP", "UGX", "TZS", "RWF", "XAF", "XOF");
  }

  /** Test keys carry _TEST: FLWSECK_TEST-…-X; live keys are FLWSECK-…-X (PROVIDERS.md 2). */
  @Override
  public java.util.Optional<String> credentialsMode(JsonObject credentials) {
    return Wire.keyMode(credentials.getString("secret_key"), List.of("FLWSECK_TEST-"), List.of("FLWSECK-"));
  }

  @Override
  public JsonObject prepareCredentials(JsonObject credentials) {
    return Wire.credentials(name(), credentials, Map.of(
            "secret_key", Pattern.compile("FLWSECK(_TEST)?-[A-Za-z0-9]+-X"),
            "secret_hash", Pattern.compile("\\S{8,200}")),
        Map.of("secret_key", "your Flutterwave secret key (FLWSECK_TEST-…-X or FLWSECK-…-X)",
            "secret_hash", "the webhook secret hash set in the Flutterwave dashboard (8 to 200 characters, no spaces)"));
  }

  private static Map<String, String> headers(Connection connection, boolean json) {
    return Wire.bearer(connection.secret("secret_key"), json ? "application/json" : null);
  }

  @Override
  public Set<String> requiredPaymentFields() {
    return Set.of("customer.email");
  }

  @Override
  public HttpCall startPayment(Connection connection, PaymentStart payment) {
    if (payment.customerEmail() == null) {
      throw new CowrieError(ErrorCode.PARAMETER_MISSING, "Flutterwave needs customer.email.", "customer.email");
    }
    JsonObject body = new JsonObject().put("tx_ref", payment.reference())
        .put("amount", FlutterwaveJson.major(payment.amount(), payment.currency())).put("currency", payment.currency())
        .put("redirect_url", payment.returnUrl()).put("customer", new JsonObject().put("email", payment.customerEmail()))
        .put("meta", new JsonObject().put("cowrie_payment", payment.paymentId()));
    if (payment.description() != null) {
      body.put("customizations", new JsonObject().put("description", payment.description()));
    }
    if (payment.savedMethod() != null) {
      // A card token from an earlier checkout's verify, charged without the customer (Tokenized charge).
      JsonObject charge = new JsonObject().put("token", payment.savedMethod().token()).put("currency", payment.currency())
          .put("amount", FlutterwaveJson.major(payment.amount(), payment.currency())).put("email", payment.customerEmail())
          .put("tx_ref", payment.reference()).put("narration", payment.description());
      return HttpCall.post("/v3/tokenized-charges", headers(connection, true), charge.toBuffer());
    }
    return HttpCall.post("/v3/payments", headers(connection, true), body.toBuffer());
  }

  /** Flutterwave verify shows a card payment's {@code data.card.token}, valid for tokenized charges. */
  @Override
  public boolean savesMethods() {
    return true;
  }

  @Override
  public StartResult readStart(Connection connection, PaymentStart payment, HttpAnswer answer) {
    JsonObject data = FlutterwaveJson.data(answer.json());
    if (payment.savedMethod() != null) { // the tokenized charge's outcome is in its answer
      return new StartResult(payment.reference(), null, FlutterwaveJson.transaction(data));
    }
    // The answer has only a link: our tx_ref is the reference until verify tells Flutterwave's id.
    return new StartResult(payment.reference(), MalformedAnswer.require(data.getString("link"), "data.link"));
  }

  @Override
  public HttpCall verifyPayment(Connection connection, PaymentLookup lookup) {
    return HttpCall.get("/v3/transactions/verify_by_reference?tx_ref=" + Wire.segment(lookup.reference()),
        headers(connection, false));
  }

  @Override
  public StatusResult readVerify(Connection connection, PaymentLookup lookup, HttpAnswer answer) {
    return FlutterwaveJson.transaction(FlutterwaveJson.data(answer.json()));
  }

  @Override
  public HttpCall refund(Connection connection, RefundStart refund) {
    // The provider reference here is Flutterwave's transaction id, learnt from verify.
    JsonObject body = new JsonObject().put("comments", "Cowrie refund " + refund.refundId());
    if (refund.amount() != refund.paymentAmount()) {
      body.put("amount", FlutterwaveJson.major(refund.amount(), refund.currency()));
    }
    return HttpCall.post("/v3/transactions/" + Wire.segment(refund.providerReference()) + "/refund",
        headers(connection, true), body.toBuffer());
  }

  @Override
  public RefundResult readRefund(Connection connection, RefundStart refund, HttpAnswer answer) {
    JsonObject data = FlutterwaveJson.data(answer.json());
    return new RefundResult(FlutterwaveJson.refundStatus(data.getString("status")),
        String.valueOf(MalformedAnswer.require(data.getValue("id"), "data.id")), null);
  }

  @Override
  public CallbackEvent verifyCallback(Connection connection, Map<String, String> headers, byte[] rawBody, Instant now) {
    String secretHash = connection.secret("secret_hash");
    String signature = headers.get(SIGNATURE_HEADER);
    String legacy = headers.get(LEGACY_HEADER);
    if (signature == null && legacy == null) {
      throw new CallbackRejected("missing " + SIGNATURE_HEADER + " and " + LEGACY_HEADER + " headers");
    }
    String expected = Base64.getEncoder().encodeToString(
        Secrets.hmacSha256(secretHash.getBytes(StandardCharsets.UTF_8), rawBody));
    boolean signed = signature != null && Wire.anyMatches(expected, List.of(signature.trim()));
    boolean legacyOk = legacy != null && Secrets.constantTimeEquals(secretHash, legacy);
    if (!signed && !legacyOk) {
      throw new CallbackRejected("signature does not match");
    }
    return FlutterwaveJson.event(new JsonObject(Buffer.buffer(rawBody)));
  }
}
