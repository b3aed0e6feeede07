package dev.cowrie.payments;

/** Event-bus addresses of the payments area (PaymentsVerticle). */
public final class PaymentAddresses {
  public static final String CREATE = "cowrie.payments.create";
  public static final String GET = "cowrie.payments.get";
  public static final String LIST = "cowrie.payments.list";
  public static final String CANCEL = "cowrie.payments.cancel";
  public static final String VERIFY = "cowrie.payments.verify";
  public static final String REFUND = "cowrie.payments.refund";
  public static final String GET_REFUND = "cowrie.payments.get_refund";
  /** {id, principal} → the ledger entries about the payment and its refunds, as a list. */
  public static final String LEDGER_ENTRIES = "cowrie.payments.ledger_entries";
  /** Applies a provider-reported status (from a callback, verify or the reconciler). */
  public static final String APPLY_STATUS = "cowrie.payments.apply_status";
  public static final String APPLY_REFUND_STATUS = "cowrie.payments.apply_refund_status";
  public static final String FIND_BY_PROVIDER_REFERENCE = "cowrie.payments.find_by_provider_reference";
  public static final String RECONCILE = "cowrie.payments.reconcile";
  /** Routes a payment that was stored but never reached a provider (the reconciler's repair). */
  public static final String RESUME = "cowrie.payments.resume";
  /** {id, principal} → {saved_method: {provider, connection_id, token, …}} or {}: what the provider kept from a paid checkout. */
  public static final String SAVED_METHOD = "cowrie.payments.saved_method";
  /** Published after a payment made for an invoice (purpose {@code invoice}) changes status; the payment as JSON. */
  public static final String SETTLED = "cowrie.payments.settled";

  /**
   * {@code {"connections": [ids], principal}} → {@code {"window_seconds", "data": [{"connection", "calls",
   * "succeeded", "circuit_open", "last_error": {code, message, http_status, at}?}]}}: provider calls of the last hour.
   */
  public static final String CONNECTION_HEALTH = "cowrie.payments.connection_health";

  /** A payment as its hosted checkout page shows it, by checkout token: {@code {"token"}}. */
  public static final String CHECKOUT = "cowrie.payments.checkout";
  /** Pays a payment (by checkout token) from the signed-in wallet user's wallet: {@code {"token","pin",principal}}. */
  public static final String PAY_WITH_WALLET = "cowrie.payments.pay_with_wallet";
  /**
   * Starts a payment still payable (by checkout token) on the eligible connection its customer chose:
   * {@code {"token","connection_id"}} → {@code {"payment","redirect_url"}}. A provider refusing records a failed attempt only.
   */
  public static final String ROUTE_TO = "cowrie.payments.route_to";

  private PaymentAddresses() {}
}
