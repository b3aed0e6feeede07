package dev.cowrie.callbacks;

/** Event-bus addresses of callback intake. */
public final class CallbackAddresses {
  public static final String RECEIVE = "cowrie.callbacks.receive";

  private CallbackAddresses() {}
}
