package dev.cowrie.ledger;

import dev.cowrie.common.Bus;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.security.Principal;
import dev.cowrie.store.Database;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers balances and invariant checks ({@code cowrie.ledger.*}). Postings themselves are made by
 * {@link Ledger#post} inside the transaction of the feature that moves money, since the state
 * change, its entry and its event must commit together.
 */
public final class LedgerVerticle extends VerticleBase {
  private static final Map<String, String> BALANCE_LISTS = Map.of("merchant_available", "available",
      "merchant_pending", "pending", "fees", "fees", "platform_fees", "platform_fees");
  private final CowrieConfig config;
  private Pool pool;
  private Pool system;

  public LedgerVerticle(CowrieConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, config);
    // The invariant check reads every merchant's books: the system role.
    system = Database.systemPool(vertx, config);
    return Future.all(
        Bus.serve(vertx, LedgerAddresses.BALANCE, this::balance).completion(),
        Bus.serve(vertx, LedgerAddresses.CHECK, cmd -> LedgerCheck.run(system)).completion(),
        Bus.serve(vertx, LedgerAddresses.ENTRIES, this::entries).completion());
  }

  private Future<JsonObject> entries(JsonObject cmd) {
    Principal principal = Principal.fromJson(cmd.getJsonObject("principal"));
    List<String> references = cmd.getJsonArray("references").stream().map(String::valueOf).toList();
    return Tenancy.transaction(pool, principal.merchantId(),
            sql -> LedgerEntries.about(sql, principal.merchantId(), principal.mode(), references))
        .map(entries -> new JsonObject().put("entries", entries));
  }

  /**
   * Available and pending money per currency, and what the merchant has paid the platform: {@code fees}
   * (transaction fees, taken from each payment: available is already net of them) and
   * {@code platform_fees} (debited by statements).
   */
  private Future<JsonObject> balance(JsonObject cmd) {
    Principal principal = Principal.fromJson(cmd.getJsonObject("principal"));
    return Tenancy.transaction(pool, principal.merchantId(), sql -> sql.preparedQuery("""
            SELECT CASE WHEN a.kind = 'fees' AND a.owner_id <> '' THEN 'platform_fees' ELSE a.kind END AS kind,
                   a.currency, sum(b.balance) AS amount
            FROM ledger_accounts a JOIN ledger_balances b ON b.account_id = a.id
            WHERE a.merchant_id = $1 AND a.mode = $2 AND a.kind IN ('merchant_available', 'merchant_pending', 'fees')
            GROUP BY 1, a.currency ORDER BY a.currency LIMIT 400""")
        .execute(Tuple.of(principal.merchantId(), principal.mode())))
        .map(rows -> {
          Map<String, JsonArray> lists = new LinkedHashMap<>();
          for (String list : List.of("available", "pending", "fees", "platform_fees")) {
            lists.put(list, new JsonArray());
          }
          rows.forEach(row -> lists.get(BALANCE_LISTS.get(row.getString("kind")))
              .add(new JsonObject().put("amount", row.getLong("amount")).put("currency", row.getString("currency"))));
          JsonObject balance = new JsonObject().put("object", "balance");
          lists.forEach(balance::put);
          return balance.put("livemode", "live".equals(principal.mode()));
        });
  }
}
