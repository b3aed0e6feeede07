package dev.cowrie.ledger;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Ids;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Posting to the double-entry ledger, always inside the caller's transaction so a state change,
 * its entry and its event commit together. Every entry sums to zero per currency; an entry is
 * posted at most once per (kind, reference). Balances live in shards: a credit touches one shard
 * no other transaction holds (a random one when all are held); a debit of an account that may not
 * go below zero locks every shard of its account and checks the total; and all locks are taken in
 * (account id, shard) order, so concurrent entries cannot deadlock.
 */
public final class Ledger {
  /** Kinds whose balance may never go below zero. */
  static final Set<String> NON_NEGATIVE = Set.of("merchant_available", "merchant_pending", "user_wallet", "fees");
  /**
   * Kinds credited by many concurrent transactions get more shards. A wallet can be one (a stall
   * paid by everyone at a market): with 4, transfers into one wallet queued on its shards at about
   * 550/s here; with 8, they run as fast as transfers between random wallets (scripts/bench/transfers.sh).
   */
  static final Map<String, Integer> SHARDS = Map.of("merchant_available", 8, "provider_clearing", 8, "user_wallet", 8,
      "merchant_pending", 4, "refunds", 4, "fees", 4);

  private Ledger() {}

  /** An account: merchant, mode, kind, owner (user id, provider name or ""), currency. */
  public record AccountRef(String merchantId, String mode, String kind, String ownerId, String currency) {}

  /** One leg: + credits (raises the balance), − debits. */
  public record Leg(AccountRef account, long amount) {}

  private record ResolvedLeg(String accountId, int shards, boolean allowNegative, Leg leg) {}

  /** Posts a balanced entry; answers its id, or the existing id when (entryKind, reference) was posted before. */
  public static Future<String> post(SqlConnection tx, String merchantId, String mode, String entryKind, String reference,
      List<Leg> legs) {
    checkBalanced(legs);
    String entryId = Ids.next("je");
    return tx.preparedQuery("""
            INSERT INTO journal_entries (id, merchant_id, mode, kind, reference) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (kind, reference) DO NOTHING""")
        .execute(Tuple.of(entryId, merchantId, mode, entryKind, reference))
        .compose(inserted -> inserted.rowCount() == 0
            ? existingEntry(tx, entryKind, reference)
            : resolve(tx, legs).compose(resolved -> apply(tx, entryId, resolved)).map(entryId));
  }

  /** Finds (or creates) the accounts of a balanced entry's legs; {@link Found#postNew} then sends all of its statements at once. */
  public static Future<Found> find(SqlConnection tx, List<Leg> legs) {
    checkBalanced(legs);
    return resolve(tx, legs).map(resolved -> new Found(Ids.next("je"), resolved));
  }

  /** An entry whose accounts are known: nothing is left to look up before its statements go out. */
  public static final class Found {
    private final String entryId;
    private final List<ResolvedLeg> legs;

    private Found(String entryId, List<ResolvedLeg> legs) {
      this.entryId = entryId;
      this.legs = legs;
    }

    /** The id the entry is posted under. */
    public String entryId() {
      return entryId;
    }

    /**
     * Posts the entry under a reference nothing was posted under before (a new transfer's id, so a
     * second posting is a unique violation, not a look-up). Every statement is sent at once,
     * pipelined on the connection, the balance changes last: a caller that sends its own rows
     * first keeps the balance rows locked only from here to its commit. Fails with
     * insufficient_funds when a debit found too little: the caller's transaction must then roll
     * back what it sent.
     */
    public Future<String> postNew(SqlConnection tx, String merchantId, String mode, String entryKind, String reference) {
      Future<?> entered = tx.preparedQuery("INSERT INTO journal_entries (id, merchant_id, mode, kind, reference) VALUES ($1, $2, $3, $4, $5)")
          .execute(Tuple.of(entryId, merchantId, mode, entryKind, reference));
      Future<?> posted = insertPostings(tx, entryId, legs);
      Future<Void> changed = changeBalances(tx, legs);
      return Future.all(entered, posted, changed).map(entryId);
    }
  }

  static void checkBalanced(List<Leg> legs) {
    if (legs.size() < 2) {
      throw new IllegalArgumentException("an entry needs at least two legs");
    }
    Map<String, Long> sums = new HashMap<>();
    for (Leg leg : legs) {
      if (leg.amount() == 0) {
        throw new IllegalArgumentException("zero posting");
      }
      sums.merge(leg.account().currency(), leg.amount(), Math::addExact);
    }
    sums.forEach((currency, sum) -> {
      if (sum != 0) {
        throw new IllegalArgumentException("entry does not balance in " + currency + ": " + sum);
      }
    });
  }

  private static Future<String> existingEntry(SqlConnection tx, String kind, String reference) {
    return tx.preparedQuery("SELECT id FROM journal_entries WHERE kind = $1 AND reference = $2")
        .execute(Tuple.of(kind, reference))
        .map(rows -> rows.iterator().next().getString("id"));
  }

  private static Future<List<ResolvedLeg>> resolve(SqlConnection tx, List<Leg> legs) {
    KnownAccounts cache = KnownAccounts.current();
    List<Future<ResolvedLeg>> resolved = new ArrayList<>();
    for (Leg leg : legs) {
      KnownAccounts.Known known = cache == null ? null : cache.get(leg.account());
      resolved.add(known != null ? Future.succeededFuture(new ResolvedLeg(known.id(), known.shards(), known.allowNegative(), leg))
          : ensureAccount(tx, leg.account(), cache).map(found -> new ResolvedLeg(found.id(), found.shards(), found.allowNegative(), leg)));
    }
    return Future.all(resolved).map(all -> {
      List<ResolvedLeg> list = new ArrayList<>(all.list());
      list.sort(Comparator.comparing(ResolvedLeg::accountId));
      return list;
    });
  }

  /** The account row, created on first use (with its shards); remembered in {@code cache} once it is committed. */
  static Future<KnownAccounts.Known> ensureAccount(SqlClient sql, AccountRef ref, KnownAccounts cache) {
    // When another transaction creates the same account concurrently, ON CONFLICT waits for it but
    // this statement's snapshot predates it: the row is visible to the next statement, so ask again.
    return createOrFind(sql, ref, cache).compose(row -> row != null ? Future.succeededFuture(row) : createOrFind(sql, ref, cache))
        .compose(row -> row != null ? Future.succeededFuture(row)
            : Future.failedFuture(new IllegalStateException("ledger account not found after creation: " + ref)));
  }

  private static Future<KnownAccounts.Known> createOrFind(SqlClient sql, AccountRef ref, KnownAccounts cache) {
    String id = Ids.next("acct");
    int shards = SHARDS.getOrDefault(ref.kind(), 1);
    boolean allowNegative = !NON_NEGATIVE.contains(ref.kind());
    return sql.preparedQuery("""
            WITH created AS (
              INSERT INTO ledger_accounts (id, merchant_id, mode, kind, owner_id, currency, allow_negative, shards)
              VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
              ON CONFLICT (merchant_id, mode, kind, owner_id, currency) DO NOTHING
              RETURNING id, shards, allow_negative),
            shard_rows AS (
              INSERT INTO ledger_balances (account_id, shard, allow_negative, merchant_id)
              SELECT created.id, s, created.allow_negative, $2 FROM created, generate_series(0, created.shards - 1) s)
            SELECT id, shards, allow_negative FROM created
            UNION ALL
            SELECT id, shards, allow_negative FROM ledger_accounts
            WHERE merchant_id = $2 AND mode = $3 AND kind = $4 AND owner_id = $5 AND currency = $6""")
        .execute(Tuple.tuple(List.of(id, ref.merchantId(), ref.mode(), ref.kind(), ref.ownerId(), ref.currency(),
            allowNegative, shards)))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          KnownAccounts.Known found = new KnownAccounts.Known(row.getString("id"), row.getInteger("shards"), row.getBoolean("allow_negative"));
          if (cache != null) {
            rememberWhenCommitted(sql, cache, ref, found);
          }
          return found;
        });
  }

  /** A row this transaction created (or found after creating it earlier) exists for others only once it commits. */
  private static void rememberWhenCommitted(SqlClient sql, KnownAccounts cache, AccountRef ref, KnownAccounts.Known found) {
    if (sql instanceof SqlConnection connection && connection.transaction() != null) {
      connection.transaction().completion().onSuccess(committed -> cache.remember(ref, found));
    } else {
      cache.remember(ref, found); // no transaction: the statement committed on its own
    }
  }

  /** The balance changes, then the postings, sent without waiting for each other (the connection pipelines them). */
  private static Future<Void> apply(SqlConnection tx, String entryId, List<ResolvedLeg> legs) {
    Future<Void> changed = changeBalances(tx, legs);
    Future<?> posted = insertPostings(tx, entryId, legs);
    return Future.all(changed, posted).mapEmpty();
  }

  /** In account order (no deadlock); each debit checks its own total in the same statement, so none waits for another's answer. */
  private static Future<Void> changeBalances(SqlConnection tx, List<ResolvedLeg> legs) {
    List<Future<Void>> changes = new ArrayList<>();
    for (ResolvedLeg leg : legs) {
      boolean checked = leg.leg().amount() < 0 && !leg.allowNegative();
      changes.add(checked ? debitChecked(tx, leg) : change(tx, leg));
    }
    return Future.all(changes).mapEmpty();
  }

  private static Future<?> insertPostings(SqlConnection tx, String entryId, List<ResolvedLeg> legs) {
    List<Tuple> postings = legs.stream()
        .map(leg -> Tuple.of(entryId, leg.accountId(), leg.leg().account().currency(), leg.leg().amount()))
        .toList();
    return tx.preparedQuery("INSERT INTO postings (entry_id, account_id, currency, amount) VALUES ($1, $2, $3, $4)")
        .executeBatch(postings);
  }

  // A shard no other transaction holds, so a hot account's credits queue only when every shard is
  // taken (then on a random one, $2). Within one account any shard will do: the balance is their sum.
  private static final String CHANGE_FREE_SHARD = """
      UPDATE ledger_balances SET balance = balance + $3
      WHERE account_id = $1 AND shard = coalesce(
        (SELECT shard FROM ledger_balances WHERE account_id = $1 ORDER BY random() LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED), $2)""";

  /** A credit, or a debit of an account allowed below zero: one shard, so concurrent entries rarely wait on each other. */
  private static Future<Void> change(SqlConnection tx, ResolvedLeg leg) {
    int shard = ThreadLocalRandom.current().nextInt(leg.shards());
    return tx.preparedQuery(CHANGE_FREE_SHARD)
        .execute(Tuple.of(leg.accountId(), shard, leg.leg().amount()))
        .compose(changed -> changed.rowCount() == 1 ? Future.<Void>succeededFuture()
            : Future.failedFuture(new IllegalStateException("no balance shard changed for account " + leg.accountId())));
  }

  // Locks every shard of the account (in shard order), and only if their total covers the amount
  // drains them in order; answers the total and what it took, so the check needs no second trip.
  // The new balance is computed from the locked row, not from b: the UPDATE's own scan reads the
  // statement's snapshot, which misses a credit committed while the lock was awaited (seen as a
  // shard driven below zero under LedgerConcurrencyTest).
  private static final String DEBIT_CHECKED = """
      WITH locked AS MATERIALIZED (
        SELECT shard, balance FROM ledger_balances WHERE account_id = $1 ORDER BY shard FOR UPDATE),
      plan AS (
        SELECT shard, balance, (sum(balance) OVER ())::bigint AS total,
          least(balance, greatest(0, $2::bigint - coalesce((sum(balance) OVER (ORDER BY shard ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))::bigint, 0))) AS take
        FROM locked),
      taken AS (
        UPDATE ledger_balances b SET balance = plan.balance - plan.take FROM plan
        WHERE b.account_id = $1 AND b.shard = plan.shard AND plan.take > 0 AND plan.total >= $2
        RETURNING plan.take)
      SELECT (SELECT coalesce(max(total), 0) FROM plan) AS total, (SELECT coalesce(sum(take), 0)::bigint FROM taken) AS taken""";

  /** A debit of an account that may not go below zero; insufficient_funds when its shards hold too little. */
  private static Future<Void> debitChecked(SqlConnection tx, ResolvedLeg leg) {
    long amount = -leg.leg().amount();
    return tx.preparedQuery(DEBIT_CHECKED)
        .execute(Tuple.of(leg.accountId(), amount))
        .compose(rows -> {
          Row row = rows.iterator().next();
          long total = row.getLong("total");
          return row.getLong("taken") == amount ? Future.<Void>succeededFuture()
              : Future.failedFuture(new CowrieError(ErrorCode.INSUFFICIENT_FUNDS,
                  "Insufficient funds: the balance is " + total + " and " + amount + " is needed.", "amount"));
        });
  }

  /** Current balance of an account (0 if it does not exist yet). */
  public static Future<Long> balance(SqlClient sql, AccountRef ref) {
    return sql.preparedQuery("""
            SELECT coalesce(sum(b.balance), 0) AS balance FROM ledger_accounts a JOIN ledger_balances b ON b.account_id = a.id
            WHERE a.merchant_id = $1 AND a.mode = $2 AND a.kind = $3 AND a.owner_id = $4 AND a.currency = $5""")
        .execute(Tuple.of(ref.merchantId(), ref.mode(), ref.kind(), ref.ownerId(), ref.currency()))
        .map(rows -> rows.iterator().next().getLong("balance"));
  }

  /** Balances per currency of one owner's accounts of a kind. */
  public static Future<Map<String, Long>> balances(SqlClient sql, String merchantId, String mode, String kind, String ownerId) {
    return sql.preparedQuery("""
            SELECT a.currency, sum(b.balance) AS balance FROM ledger_accounts a JOIN ledger_balances b ON b.account_id = a.id
            WHERE a.merchant_id = $1 AND a.mode = $2 AND a.kind = $3 AND a.owner_id = $4
            GROUP BY a.currency ORDER BY a.currency LIMIT 200""")
        .execute(Tuple.of(merchantId, mode, kind, ownerId))
        .map(rows -> {
          Map<String, Long> balances = new java.util.LinkedHashMap<>();
          rows.forEach(row -> balances.put(row.getString("currency"), row.getLong("balance")));
          return balances;
        });
  }
}
