package dev.cowrie.providers;

/** Event-bus addresses of the provider layer. */
public final class ProviderAddresses {
  public static final String SAVE_CONNECTION = "cowrie.provider.connections.save";
  public static final String LIST_CONNECTIONS = "cowrie.provider.connections.list";
  /** {"connections": [ids]}: each connection's circuit breaker on this node, closed, half_open or open. */
  public static final String BREAKERS = "cowrie.provider.breakers";

  private ProviderAddresses() {}

  /** The address of one adapter's verticle: {@code cowrie.provider.paystack.call}. */
  public static String call(String provider) {
    return "cowrie.provider." + provider + ".call";
  }
}
