package dev.cowrie.ledger;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The journal entries about some objects (a payment and its refunds), each with its postings, oldest first. */
final class LedgerEntries {
  /** Bounds what one answer carries: a payment has a few entries (success, each refund's reserve and outcome). */
  static final int REFERENCES_MAX = 101;
  private static final int POSTINGS_MAX = 1000;
  private static final String BY_REFERENCES = """
      SELECT e.id, e.kind, e.reference, e.created_at, a.kind AS account, a.owner_id, p.currency, p.amount
      FROM journal_entries e JOIN postings p ON p.entry_id = e.id JOIN ledger_accounts a ON a.id = p.account_id
      WHERE e.merchant_id = $1 AND e.mode = $2 AND e.reference = ANY($3)
      ORDER BY e.created_at, e.id, p.id LIMIT $4""";

  private LedgerEntries() {}

  static Future<JsonArray> about(SqlClient sql, String merchantId, String mode, List<String> references) {
    if (references.size() > REFERENCES_MAX) {
      throw new IllegalArgumentException("at most " + REFERENCES_MAX + " references, got " + references.size());
    }
    return sql.preparedQuery(BY_REFERENCES)
        .execute(Tuple.of(merchantId, mode, references.toArray(String[]::new), POSTINGS_MAX))
        .map(rows -> {
          Map<String, JsonObject> entries = new LinkedHashMap<>();
          for (Row row : rows) {
            JsonObject entry = entries.computeIfAbsent(row.getString("id"), id -> new JsonObject()
                .put("id", id).put("object", "ledger_entry").put("kind", row.getString("kind"))
                .put("reference", row.getString("reference"))
                .put("created_at", row.getOffsetDateTime("created_at").withOffsetSameInstant(ZoneOffset.UTC).toString())
                .put("postings", new JsonArray()));
            // A user's wallet is named by its owner; the merchant's own accounts by their kind alone.
            entry.getJsonArray("postings").add(new JsonObject().put("account", row.getString("account"))
                .put("owner", row.getString("owner_id").isEmpty() ? null : row.getString("owner_id"))
                .put("amount", row.getLong("amount")).put("currency", row.getString("currency")));
          }
          return new JsonArray(List.copyOf(entries.values()));
        });
  }
}
