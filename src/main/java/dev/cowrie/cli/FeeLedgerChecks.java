package dev.cowrie.cli;

import dev.cowrie.plans.FeeRule;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fee invariants, holding payments, plans and statements against the ledger (issue 14): each a
 * query answering the violating rows, at most 20, run with {@link PaymentLedgerChecks}. Refund
 * rule: fees are not returned, so the fees account holds exactly the fees charged.
 */
final class FeeLedgerChecks {
  /** Money that reached the ledger through a payment's success (late successes are booked too). */
  private static final String BOOKED = "(p.status IN ('succeeded', 'partially_refunded', 'refunded') OR p.review_code = 'late_success')";
  static final Map<String, String> CHECKS = new LinkedHashMap<>();

  static {
    // A top-up and a payment that succeeded before plans existed (no succeeded_at) carry no fee.
    CHECKS.put("every succeeded payment's fee matches the plan in force when it succeeded", """
        SELECT p.id AS payment_id, p.fee, p.fee_plan, expected.plan_id AS plan_in_force, expected.fee AS expected_fee
        FROM payments p
        LEFT JOIN plan_terms t ON t.merchant_id = p.merchant_id AND t.starts_at <= p.succeeded_at
          AND (t.ends_at IS NULL OR t.ends_at > p.succeeded_at)
        LEFT JOIN plans pl ON pl.id = coalesce(t.plan_id, 'plan_default')
        CROSS JOIN LATERAL (SELECT pl.fees -> p.currency AS r) rule
        CROSS JOIN LATERAL (SELECT
            CASE WHEN p.purpose = 'wallet_topup' OR p.succeeded_at IS NULL THEN NULL ELSE pl.id END AS plan_id,
            CASE WHEN p.purpose = 'wallet_topup' OR p.succeeded_at IS NULL THEN 0 ELSE\s""" + FeeRule.SQL.replace("r->>", "rule.r->>") + """
            \sEND AS fee) expected
        WHERE\s""" + BOOKED + """
          AND (p.fee <> expected.fee OR p.fee_plan IS DISTINCT FROM expected.plan_id)
        LIMIT 20""");
    CHECKS.put("every fee charge (what statements add up) agrees with its payment", """
        SELECT p.id AS payment_id, p.fee, c.fee AS charged_fee, p.fee_plan, c.plan_id AS charged_plan FROM payments p
        FULL JOIN fee_charges c ON c.payment_id = p.id
        WHERE (c.payment_id IS NULL) <> (p.fee_plan IS NULL) OR c.fee <> p.fee OR c.plan_id <> p.fee_plan
          OR c.amount <> p.amount OR c.currency <> p.currency LIMIT 20""");
    CHECKS.put("the fees account holds the sum of payment fees (fees are not returned on refunds)", """
        SELECT coalesce(c.merchant_id, h.merchant_id) AS merchant_id, coalesce(c.mode, h.mode) AS mode,
               coalesce(c.currency, h.currency) AS currency, coalesce(c.fees, 0) AS fees_charged, coalesce(h.held, 0) AS fees_account
        FROM (SELECT p.merchant_id, p.mode, p.currency, sum(p.fee) AS fees FROM payments p WHERE p.fee > 0 AND\s""" + BOOKED + """
              \sGROUP BY 1, 2, 3) c
        FULL JOIN (SELECT a.merchant_id, a.mode, a.currency, sum(b.balance) AS held FROM ledger_accounts a
              JOIN ledger_balances b ON b.account_id = a.id WHERE a.kind = 'fees' AND a.owner_id = '' GROUP BY 1, 2, 3) h
          ON h.merchant_id = c.merchant_id AND h.mode = c.mode AND h.currency = c.currency
        WHERE coalesce(c.fees, 0) <> coalesce(h.held, 0) LIMIT 20""");
    CHECKS.put("the platform fees account holds what statements debited", """
        SELECT coalesce(s.merchant_id, h.merchant_id) AS merchant_id, coalesce(s.mode, h.mode) AS mode,
               coalesce(s.currency, h.currency) AS currency, coalesce(s.debited, 0) AS debited, coalesce(h.held, 0) AS platform_fees_account
        FROM (SELECT merchant_id, mode, currency, sum(amount_debited) AS debited FROM statements WHERE amount_debited > 0
              GROUP BY 1, 2, 3) s
        FULL JOIN (SELECT a.merchant_id, a.mode, a.currency, sum(b.balance) AS held FROM ledger_accounts a
              JOIN ledger_balances b ON b.account_id = a.id WHERE a.kind = 'fees' AND a.owner_id = 'platform' GROUP BY 1, 2, 3) h
          ON h.merchant_id = s.merchant_id AND h.mode = s.mode AND h.currency = s.currency
        WHERE coalesce(s.debited, 0) <> coalesce(h.held, 0) LIMIT 20""");
  }

  private FeeLedgerChecks() {}
}
