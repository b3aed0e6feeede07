package dev.cowrie.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks that hold the ledger against payments and refunds: one query joining two areas' tables,
 * which only the operator's tool may do (see TableOwnershipTest's exceptions). Run with the
 * ledger's own checks by {@code cowrie admin ledger check} and after every test that moves money.
 */
public final class PaymentLedgerChecks {
  private static final Map<String, String> CHECKS = new LinkedHashMap<>();

  static {
    CHECKS.put("every succeeded payment is in the ledger exactly once, and no other", """
        SELECT p.id AS payment_id, p.status, count(e.id) AS entries FROM payments p
        LEFT JOIN journal_entries e ON e.kind = 'payment_succeeded' AND e.reference = p.id
        GROUP BY p.id, p.status
        HAVING (p.status IN ('succeeded', 'partially_refunded', 'refunded')) <> (count(e.id) = 1) LIMIT 20""");
    CHECKS.put("a payment is refunded exactly when its succeeded refunds add up to its amount", """
        SELECT p.id AS payment_id, p.status, p.amount,
               coalesce(sum(r.amount) FILTER (WHERE r.status = 'succeeded'), 0) AS refunded
        FROM payments p LEFT JOIN refunds r ON r.payment_id = p.id GROUP BY p.id, p.status, p.amount
        HAVING (p.status = 'refunded') <> (coalesce(sum(r.amount) FILTER (WHERE r.status = 'succeeded'), 0) = p.amount)
        LIMIT 20""");
    CHECKS.putAll(FeeLedgerChecks.CHECKS);
  }

  private PaymentLedgerChecks() {}

  /** Check name to a query answering the violating rows (at most 20). */
  public static Map<String, String> all() {
    return Collections.unmodifiableMap(CHECKS);
  }
}
