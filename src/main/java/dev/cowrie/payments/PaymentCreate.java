package dev.cowrie.payments;

import dev.cowrie.common.Money;
import dev.cowrie.http.RequestRecord;
import dev.cowrie.providers.SavedMethod;
import dev.cowrie.security.Principal;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * The command of {@link PaymentAddresses#CREATE}, from every sender (the API, wallet top-ups, payment
 * links, invoices) and for the reconciler's resume. Its answer is the payment as the API renders it.
 * {@code request} is what an HTTP route records beside the change ({@code Call#command} adds it on
 * the way; workers have none). {@code savedMethod}, when set, is charged on its own connection only;
 * {@code saveMethod} asks the checkout to keep the customer's method.
 */
public record PaymentCreate(Principal principal, String requestId, RequestRecord request, String idempotencyKey,
    long amount, String currency, String provider, Details details, Purpose purpose, String walletUserId,
    SavedOn savedMethod, boolean saveMethod) {

  /** What the payment says about itself; every field may be null. */
  public record Details(JsonObject customer, String description, String reference, String returnUrl, JsonObject metadata) {
    public static final Details NONE = new Details(null, null, null, null, null);

    /** The customer's email, which some providers require. */
    public String customerEmail() {
      return customer == null ? null : customer.getString("email");
    }
  }

  /** A method a provider saved, and the connection that saved it (the only one that can charge it). */
  public record SavedOn(String connectionId, SavedMethod method) {
    public SavedOn {
      Objects.requireNonNull(connectionId, "connectionId");
      Objects.requireNonNull(method, "method");
    }
  }

  /** Why the gateway itself made the payment; a merchant's own payments have none. */
  public enum Purpose {
    WALLET_TOPUP, INVOICE;

    /** As the API and the payments table spell it. */
    public String api() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Purpose fromApi(String api) {
      return api == null ? null : Arrays.stream(values()).filter(purpose -> purpose.api().equals(api)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no purpose " + api));
    }
  }

  public PaymentCreate {
    Objects.requireNonNull(principal, "principal");
    new Money(amount, currency); // throws for a negative amount or an unknown currency
    if (amount == 0) {
      throw new IllegalArgumentException("a payment of nothing");
    }
    details = details == null ? Details.NONE : details;
    request = request == null ? new RequestRecord(null, null) : request;
  }

  /** A merchant's plain payment of {@code amount} (routed to any eligible provider, nothing saved). */
  public static PaymentCreate of(Principal principal, String requestId, String idempotencyKey, long amount, String currency) {
    return new PaymentCreate(principal, requestId, null, idempotencyKey, amount, currency, null, null, null, null, null, false);
  }

  /** Only {@code provider}'s connections may take it (null: any). */
  public PaymentCreate on(String provider) {
    return new PaymentCreate(principal, requestId, request, idempotencyKey, amount, currency, provider, details, purpose,
        walletUserId, savedMethod, saveMethod);
  }

  public PaymentCreate with(Details details) {
    return new PaymentCreate(principal, requestId, request, idempotencyKey, amount, currency, provider, details, purpose,
        walletUserId, savedMethod, saveMethod);
  }

  /** A payment the gateway makes for itself: a wallet's top-up (for {@code walletUserId}) or an invoice. */
  public PaymentCreate forPurpose(Purpose purpose, String walletUserId) {
    return new PaymentCreate(principal, requestId, request, idempotencyKey, amount, currency, provider, details, purpose,
        walletUserId, savedMethod, saveMethod);
  }

  /** Charged at once with a saved method, on its connection, without the customer. */
  public PaymentCreate charging(SavedOn method, String methodProvider) {
    return new PaymentCreate(principal, requestId, request, idempotencyKey, amount, currency, methodProvider, details, purpose,
        walletUserId, method, false);
  }

  /** The checkout keeps the customer's method for later charges. */
  public PaymentCreate savingMethod() {
    return new PaymentCreate(principal, requestId, request, idempotencyKey, amount, currency, provider, details, purpose,
        walletUserId, null, true);
  }

  String merchantId() {
    return principal.merchantId();
  }

  String mode() {
    return principal.mode();
  }

  /** Without the request record: {@code Call#command} adds it on the HTTP path. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("principal", principal.toJson()).put("request_id", requestId)
        .put("idempotency_key", idempotencyKey).put("amount", amount).put("currency", currency).put("provider", provider)
        .put("customer", details.customer()).put("description", details.description()).put("reference", details.reference())
        .put("return_url", details.returnUrl()).put("metadata", details.metadata())
        .put("purpose", purpose == null ? null : purpose.api()).put("wallet_user_id", walletUserId);
    if (savedMethod != null) {
      json.put("payment_method", savedMethod.method().toJson().put("connection_id", savedMethod.connectionId()));
    }
    return saveMethod ? json.put("save_method", true) : json;
  }

  public static PaymentCreate fromJson(JsonObject json) {
    JsonObject method = json.getJsonObject("payment_method");
    return new PaymentCreate(Principal.fromJson(json.getJsonObject("principal")), json.getString("request_id"),
        RequestRecord.of(json), json.getString("idempotency_key"), json.getLong("amount"), json.getString("currency"),
        json.getString("provider"), new Details(json.getJsonObject("customer"), json.getString("description"),
            json.getString("reference"), json.getString("return_url"), json.getJsonObject("metadata")),
        Purpose.fromApi(json.getString("purpose")), json.getString("wallet_user_id"),
        method == null ? null : new SavedOn(method.getString("connection_id"), SavedMethod.fromJson(method)),
        json.getBoolean("save_method", false));
  }
}
