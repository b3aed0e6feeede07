package dev.cowrie.ledger;

/** Event-bus addresses of the ledger. */
public final class LedgerAddresses {
  public static final String BALANCE = "cowrie.ledger.balance";
  public static final String CHECK = "cowrie.ledger.check";
  /** {principal, references: [pay_…, re_…]} → {entries: [{id, kind, reference, created_at, postings}]}. */
  public static final String ENTRIES = "cowrie.ledger.entries";

  private LedgerAddresses() {}
}
