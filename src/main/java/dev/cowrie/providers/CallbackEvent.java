package dev.cowrie.providers;

/**
 * A verified provider callback in neutral terms. {@code eventId} de-duplicates (the provider's
 * event id, or event type + reference where the provider has none). When
 * {@code confirmByVerify} is true the callback carries no timestamp to prove freshness, so its
 * outcome is confirmed by asking the provider before money moves. {@code failureCode} and
 * {@code failureMessage} carry a decline reason when the provider's event gives one.
 */
public record CallbackEvent(String eventId, String eventType, Kind kind, ProviderStatus paymentStatus,
    RefundResult.Status refundStatus, String reference, String providerReference, Long amount, String currency,
    boolean confirmByVerify, String failureCode, String failureMessage) {

  /** An event that carries no decline reason. */
  public CallbackEvent(String eventId, String eventType, Kind kind, ProviderStatus paymentStatus,
      RefundResult.Status refundStatus, String reference, String providerReference, Long amount, String currency,
      boolean confirmByVerify) {
    this(eventId, eventType, kind, paymentStatus, refundStatus, reference, providerReference, amount, currency,
        confirmByVerify, null, null);
  }

  public enum Kind { PAYMENT, REFUND, OTHER }
}
