package dev.cowrie.providers;

/**
 * A started checkout: the provider's id for it and where to send the customer. A charge of a
 * saved method settles at once instead: {@code settled} is its status and there is no redirect.
 */
public record StartResult(String providerReference, String redirectUrl, StatusResult settled) {

  public StartResult(String providerReference, String redirectUrl) {
    this(providerReference, redirectUrl, null);
  }
}
