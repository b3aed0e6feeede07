package dev.cowrie.plans;

/** Event-bus addresses of plans, subscriptions to them and statements. */
public final class PlanAddresses {
  public static final String CREATE = "cowrie.plans.create";
  public static final String LIST = "cowrie.plans.list";
  public static final String ARCHIVE = "cowrie.plans.archive";
  public static final String SUBSCRIBE = "cowrie.plans.subscribe";
  public static final String SUBSCRIPTION = "cowrie.plans.subscription";
  public static final String LIST_STATEMENTS = "cowrie.plans.list_statements";
  public static final String GET_STATEMENT = "cowrie.plans.get_statement";
  /** Runs one pass of the period-closing worker now: {} → {closed}. */
  public static final String CLOSE_PERIODS = "cowrie.plans.close_periods";

  private PlanAddresses() {}
}
