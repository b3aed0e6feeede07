package dev.cowrie.providers;

/**
 * A verified provider callback in neutral terms. {@code eventId} de-duplicates (the provider's
 * event id, or event type + reference where the provider has none). When
 * {@code confirmByVerify} is true the callback carries no timestamp to prove freshness, so its
 * outcome is confirmed by asking the provider before money moves.
 */
public record CallbackEvent(String eventId, String eventType, Kind kind, ProviderStatus paymentStatus,
    RefundResult.Status refundStatus, String reference, String providerReference, Long amount, String currency,
    boolean confirmByVerify) {

  public enum Kind { PAYMENT, REFUND, OTHER }
}
