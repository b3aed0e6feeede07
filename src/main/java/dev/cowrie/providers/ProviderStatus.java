package dev.cowrie.providers;

/** A payment's state at a provider, mapped exhaustively; {@link #UNKNOWN} is settled by asking again. */
public enum ProviderStatus { REQUIRES_ACTION, PROCESSING, SUCCEEDED, FAILED, CANCELED, UNKNOWN;

  /** The payment status of API.md this maps to, or null for UNKNOWN. */
  public String paymentStatus() {
    return this == UNKNOWN ? null : name().toLowerCase(java.util.Locale.ROOT);
  }
}
