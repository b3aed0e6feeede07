package dev.cowrie.callbacks;

/** Event-bus addresses of callback intake. */
public final class CallbackAddresses {
  public static final String RECEIVE = "cowrie.callbacks.receive";
  public static final String LIST_ORPHANED = "cowrie.callbacks.list_orphaned";

  private CallbackAddresses() {}
}
