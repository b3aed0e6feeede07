package dev.cowrie.recurring;

/** Event-bus addresses of the recurring area (RecurringVerticle, RenewalScheduler). */
public final class RecurringAddresses {
  public static final String CUSTOMER_CREATE = "cowrie.recurring.customer_create";
  public static final String CUSTOMER_GET = "cowrie.recurring.customer_get";
  public static final String CUSTOMER_LIST = "cowrie.recurring.customer_list";
  public static final String PRICE_CREATE = "cowrie.recurring.price_create";
  public static final String PRICE_GET = "cowrie.recurring.price_get";
  public static final String PRICE_LIST = "cowrie.recurring.price_list";
  public static final String PRICE_ARCHIVE = "cowrie.recurring.price_archive";
  public static final String SUBSCRIPTION_CREATE = "cowrie.recurring.subscription_create";
  public static final String SUBSCRIPTION_GET = "cowrie.recurring.subscription_get";
  public static final String SUBSCRIPTION_LIST = "cowrie.recurring.subscription_list";
  public static final String SUBSCRIPTION_UPDATE = "cowrie.recurring.subscription_update";
  public static final String SUBSCRIPTION_CANCEL = "cowrie.recurring.subscription_cancel";
  public static final String INVOICE_GET = "cowrie.recurring.invoice_get";
  public static final String INVOICE_LIST = "cowrie.recurring.invoice_list";
  public static final String INVOICE_VOID = "cowrie.recurring.invoice_void";
  public static final String CLOCK_CREATE = "cowrie.recurring.clock_create";
  public static final String CLOCK_GET = "cowrie.recurring.clock_get";
  public static final String CLOCK_LIST = "cowrie.recurring.clock_list";
  public static final String CLOCK_ADVANCE = "cowrie.recurring.clock_advance";
  public static final String SETTINGS_GET = "cowrie.recurring.settings_get";
  public static final String SETTINGS_SET = "cowrie.recurring.settings_set";
  /** Wakes this node's scheduler now (a clock moved, a subscription began); local only. */
  public static final String NUDGE = "cowrie.recurring.nudge";
  /** Charges one invoice now (a subscription's first), answering the invoice; {principal, id}. */
  public static final String INVOICE_CHARGE = "cowrie.recurring.invoice_charge";

  private RecurringAddresses() {}
}
