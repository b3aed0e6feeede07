package dev.cowrie.providers;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * What one call to a provider came to, as ProviderVerticle classifies it. On the bus and in the
 * attempt log it is the lower-case name ({@link #wire()}); compare the enum, never the string.
 */
public enum CallOutcome {
  /** The provider answered and the adapter read the answer. */
  OK,
  /** Not done, and safe to try elsewhere (no answer to a start, 429, 5xx, circuit open). */
  RETRYABLE,
  /** Maybe done (no answer to a verify, cancel or refund): ask again later, never redo. */
  UNKNOWN,
  /** A start the provider already knew (an earlier start of ours may have succeeded). */
  DUPLICATE,
  /** The provider refused the request, or the adapter cannot express it. */
  REJECTED,
  /** The provider refused the connection's credentials; the connection is flagged. */
  BAD_CREDENTIALS,
  /** An answer the adapter could not read. */
  MALFORMED,
  /** The adapter has no such operation (e.g. closing a checkout). */
  UNSUPPORTED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static CallOutcome fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }

  /** The outcome of a provider reply on the bus. */
  public static CallOutcome of(JsonObject reply) {
    return fromWire(reply.getString("outcome"));
  }

  /** Worth another try later or elsewhere: the provider did not (knowingly) act. */
  public boolean inconclusive() {
    return this == RETRYABLE || this == UNKNOWN;
  }

  /** When nothing answered: a start is safe to route elsewhere, anything else may have happened. */
  public static CallOutcome noAnswerTo(String operation) {
    return operation.equals("start") ? RETRYABLE : UNKNOWN;
  }

  /** The payment_attempts.outcome this call is logged with (the API's attempt outcomes). */
  public String attemptOutcome() {
    return switch (this) {
      case OK -> "succeeded";
      case RETRYABLE -> "retryable";
      case UNKNOWN -> "unknown";
      default -> "failed";
    };
  }
}
