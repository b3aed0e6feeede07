package dev.cowrie.ledger;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The ledger accounts this node has seen committed. An account row is never changed or deleted
 * once it exists, so its id, shard count and sign rule can be remembered, and posting to a known
 * account skips its create-or-find statement (two per transfer, one round trip each). Only rows
 * another transaction committed are remembered: one created by the caller's own transaction could
 * still roll back. One cache per Vert.x instance (each has its own database schema in tests), least
 * recently used entries dropped beyond {@link #SIZE_MAX}.
 */
final class KnownAccounts {
  static final int SIZE_MAX = 100_000;
  private static final Map<Vertx, KnownAccounts> PER_VERTX = Collections.synchronizedMap(new WeakHashMap<>());

  /** What a posting needs of an account. */
  record Known(String id, int shards, boolean allowNegative) {}

  private final Map<Ledger.AccountRef, Known> accounts = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Ledger.AccountRef, Known> eldest) {
      return size() > SIZE_MAX;
    }
  };

  /** The cache of the Vert.x instance running the caller, or null off a Vert.x thread (nothing is remembered). */
  static KnownAccounts current() {
    Context context = Vertx.currentContext();
    return context == null ? null : PER_VERTX.computeIfAbsent(context.owner(), vertx -> new KnownAccounts());
  }

  synchronized Known get(Ledger.AccountRef ref) {
    return accounts.get(ref);
  }

  synchronized void remember(Ledger.AccountRef ref, Known known) {
    accounts.put(ref, known);
  }
}
