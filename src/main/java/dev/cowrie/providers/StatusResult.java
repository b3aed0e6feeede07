package dev.cowrie.providers;

/**
 * A payment's state at the provider. {@code amount} (minor units) and {@code currency} are what the
 * provider reports, checked against ours before money moves. {@code followUp}, when set, is one
 * more call whose answer decides (e.g. a Stripe session whose PaymentIntent tells the outcome).
 * {@code savedMethod} is the method the provider kept for later charges, when it kept one.
 */
public record StatusResult(ProviderStatus status, String providerReference, Long amount, String currency,
    String failureMessage, HttpCall followUp, SavedMethod savedMethod) {

  public StatusResult(ProviderStatus status, String providerReference, Long amount, String currency,
      String failureMessage, HttpCall followUp) {
    this(status, providerReference, amount, currency, failureMessage, followUp, null);
  }

  public static StatusResult of(ProviderStatus status, String providerReference, Long amount, String currency) {
    return new StatusResult(status, providerReference, amount, currency, null, null);
  }
}
