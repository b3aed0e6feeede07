package dev.cowrie.providers;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The provider SPI. An adapter translates: it builds each HTTP call to its provider and reads the
 * answer into provider-neutral results; it never does I/O. {@link ProviderVerticle} sends the
 * calls (timeouts, circuit breaker, error classification). Adapters are found with
 * {@link java.util.ServiceLoader}: a jar with a {@code META-INF/services} line adds a provider.
 *
 * <p>Required: every method. A provider without refunds answers {@link RefundResult} FAILED.
 */
public interface ProviderAdapter {

  /** The name in URLs and config: {@code paystack}. */
  String name();

  /** The provider's real API root; {@code publicUrl} is Cowrie's own, for the built-in sandbox. */
  String defaultApiBase(String publicUrl);

  /** The form the dashboard shows to connect this provider: its credential fields and where the merchant finds them. */
  ConnectionForm connectionForm();

  /** Currencies the provider takes; empty means any. */
  Set<String> currencies();

  /** Checks (and completes, e.g. generates a secret) the credentials given to PUT /v1/provider_connections. */
  JsonObject prepareCredentials(JsonObject credentials);

  /**
   * Optional: whether this provider moves real money. One that does not (the sandbox) can never
   * be connected in live mode, nor settle a live payment. The default: it does.
   */
  default boolean movesRealMoney() {
    return true;
  }

  /**
   * Optional: the mode ({@code "test"} or {@code "live"}) of prepared credentials, when the
   * provider's keys show it (Paystack {@code sk_test_…}); empty when they do not. A connection
   * takes only credentials of its own mode. The default: the keys do not show it.
   */
  default Optional<String> credentialsMode(JsonObject credentials) {
    return Optional.empty();
  }

  /**
   * Optional: whether a 4xx answer other than 401/403 still means the provider refused the
   * credentials (Paystack sometimes answers 400 "Invalid key"). Such an answer flags the connection
   * exactly like a 401. The default: status alone decides.
   */
  default boolean credentialsRefused(HttpAnswer answer) {
    return false;
  }

  /**
   * Optional: whether a 4xx answer to {@link #startPayment} says the reference is already known
   * (Paystack {@code duplicate_reference}, Chapa "Transaction reference has been used before"). A
   * retried start after a timeout may get this when the first one succeeded, so the payment is
   * verified by reference instead of failed. The default: never.
   */
  default boolean duplicateStart(HttpAnswer answer) {
    return false;
  }

  /**
   * Optional: payment fields the provider cannot start without, named as in the API
   * ({@code customer.email}). Routing checks them before anything is stored: a payment for this
   * provider that lacks one is a 400 naming the field, and unrouted payments skip this provider.
   * The default: none.
   */
  default Set<String> requiredPaymentFields() {
    return Set.of();
  }

  /**
   * Optional: whether the provider keeps a customer's method for later charges without them. When
   * it does, {@link #startPayment} charges {@link PaymentStart#savedMethod()} at once (its answer
   * read as {@link StartResult#settled()}), a checkout with {@link PaymentStart#saveMethod()} keeps
   * the method, and {@link #readVerify} reports it as {@link StatusResult#savedMethod()}. The
   * default: it keeps none (Chapa), so each renewal is paid at a hosted checkout.
   */
  default boolean savesMethods() {
    return false;
  }

  /** Starts a hosted checkout for a payment, or charges its saved method (see {@link #savesMethods()}). */
  HttpCall startPayment(Connection connection, PaymentStart payment);

  /** Reads a 2xx answer to {@link #startPayment}; throws {@link MalformedAnswer} when it cannot. */
  StartResult readStart(Connection connection, PaymentStart payment, HttpAnswer answer);

  /** Asks the provider for a payment's current state. */
  HttpCall verifyPayment(Connection connection, PaymentLookup lookup);

  /** Reads a 2xx answer to a verify call (it may ask for one follow-up call, see {@link StatusResult#followUp()}). */
  StatusResult readVerify(Connection connection, PaymentLookup lookup, HttpAnswer answer);

  /**
   * Optional: closes the provider's checkout of a payment Cowrie canceled, so the customer can no
   * longer pay it. The default (null) means the provider has no such call; a success that still
   * arrives is booked and flagged for review. Any 2xx answer means closed.
   */
  default HttpCall cancelPayment(Connection connection, PaymentLookup lookup) {
    return null;
  }

  /** Refunds all or part of a payment. */
  HttpCall refund(Connection connection, RefundStart refund);

  /** Reads a 2xx answer to {@link #refund}. */
  RefundResult readRefund(Connection connection, RefundStart refund, HttpAnswer answer);

  /**
   * Optional: asks for a refund's state, for the reconciler: by the provider's refund id, or, when
   * that is null (the creation timed out), by listing the payment's refunds at the provider so
   * {@link #readRefundStatus} can find ours (by our refund id sent as a note or metadata, and the
   * amount). The default (null) means the provider has no such lookup and its callback settles
   * the refund. A list in which none is ours reads as {@link RefundResult.Status#UNKNOWN}.
   */
  default HttpCall refundStatus(Connection connection, RefundLookup refund) {
    return null;
  }

  /** Reads a 2xx answer to {@link #refundStatus}. */
  default RefundResult readRefundStatus(Connection connection, RefundLookup refund, HttpAnswer answer) {
    throw new MalformedAnswer(name() + " has no refund lookup");
  }

  /**
   * Verifies a callback on its raw bytes with the provider's own scheme and reads it into a
   * neutral event; throws {@link CallbackRejected} for a bad, missing or stale signature.
   * Header names are lower case.
   */
  CallbackEvent verifyCallback(Connection connection, Map<String, String> headers, byte[] rawBody, Instant now);
}
