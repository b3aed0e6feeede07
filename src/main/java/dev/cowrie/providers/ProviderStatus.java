package dev.cowrie.providers;

/**
 * A payment's state at a provider, mapped exhaustively; {@link #UNKNOWN} is settled by asking again.
 * What it means for a payment is decided in one place, {@code payments.PaymentStatus#of}.
 */
public enum ProviderStatus { REQUIRES_ACTION, PROCESSING, SUCCEEDED, FAILED, CANCELED, UNKNOWN }
