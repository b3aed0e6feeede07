package dev.cowrie.ledger;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Proves the ledger's invariants on a live database (`cowrie admin ledger check`, and every test
 * that moves money). Each check is one query that returns the violating rows, at most 20. Checks
 * of the ledger against payments live with the CLI ({@code cli/PaymentLedgerChecks}).
 */
public final class LedgerCheck {
  private static final Map<String, String> CHECKS = new LinkedHashMap<>();

  static {
    CHECKS.put("every entry sums to zero per currency", """
        SELECT entry_id, currency, sum(amount) AS sum FROM postings GROUP BY entry_id, currency
        HAVING sum(amount) <> 0 LIMIT 20""");
    CHECKS.put("every entry has at least two postings", """
        SELECT e.id AS entry_id, count(p.id) AS postings FROM journal_entries e LEFT JOIN postings p ON p.entry_id = e.id
        GROUP BY e.id HAVING count(p.id) < 2 LIMIT 20""");
    CHECKS.put("every posting is in its account's currency", """
        SELECT p.id AS posting_id, p.currency, a.currency AS account_currency FROM postings p
        JOIN ledger_accounts a ON a.id = p.account_id WHERE p.currency <> a.currency LIMIT 20""");
    CHECKS.put("every cached balance equals the sum of its postings", """
        SELECT a.id AS account_id, b.cached, coalesce(p.posted, 0) AS posted FROM ledger_accounts a
        JOIN (SELECT account_id, sum(balance) AS cached FROM ledger_balances GROUP BY account_id) b ON b.account_id = a.id
        LEFT JOIN (SELECT account_id, sum(amount) AS posted FROM postings GROUP BY account_id) p ON p.account_id = a.id
        WHERE b.cached <> coalesce(p.posted, 0) LIMIT 20""");
    CHECKS.put("no forbidden negative balance", """
        SELECT a.id AS account_id, a.kind, sum(b.balance) AS balance FROM ledger_accounts a
        JOIN ledger_balances b ON b.account_id = a.id WHERE NOT a.allow_negative
        GROUP BY a.id, a.kind HAVING sum(b.balance) < 0 OR min(b.balance) < 0 LIMIT 20""");
  }

  private LedgerCheck() {}

  /** Runs the ledger's own checks; the report's {@code ok} is true only when all pass. */
  public static Future<JsonObject> run(SqlClient sql) {
    return run(sql, Map.of());
  }

  /**
   * The ledger's checks and {@code more} (name to a query answering violating rows, at most 20):
   * the operator's CLI adds checks that hold the ledger against other areas' tables.
   */
  public static Future<JsonObject> run(SqlClient sql, Map<String, String> more) {
    Map<String, String> queries = new LinkedHashMap<>(CHECKS);
    queries.putAll(more);
    List<Future<JsonObject>> results = queries.entrySet().stream()
        .map(check -> sql.query(check.getValue()).execute().map(rows -> {
          JsonArray violations = new JsonArray();
          rows.forEach(row -> violations.add(row.toJson()));
          return new JsonObject().put("check", check.getKey()).put("ok", violations.isEmpty()).put("violations", violations);
        }))
        .toList();
    return Future.all(results).map(all -> {
      JsonArray checks = new JsonArray();
      boolean ok = true;
      for (int i = 0; i < all.size(); i++) {
        JsonObject result = all.resultAt(i);
        checks.add(result);
        ok &= result.getBoolean("ok");
      }
      return new JsonObject().put("ok", ok).put("checks", checks);
    });
  }
}
