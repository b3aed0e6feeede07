package dev.cowrie.callbacks;

/** Event-bus addresses of callback intake. */
public final class CallbackAddresses {
  public static final String RECEIVE = "cowrie.callbacks.receive";
  /** {"principal", "payment"}: the callbacks received about one payment, oldest first. */
  public static final String OF_PAYMENT = "cowrie.callbacks.of_payment";

  private CallbackAddresses() {}
}
