package dev.cowrie.ledger;

/** Event-bus addresses of the ledger. */
public final class LedgerAddresses {
  public static final String BALANCE = "cowrie.ledger.balance";
  public static final String CHECK = "cowrie.ledger.check";

  private LedgerAddresses() {}
}
