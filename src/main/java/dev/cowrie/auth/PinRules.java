package dev.cowrie.auth;

import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Each wallet user's paying rule (the PIN's hash, if one is set, and the amount above which it is
 * needed), remembered so that a transfer or a wallet payment asks the database nothing for it. A
 * rule changes only through {@link Pins#update}, which publishes the change to every node
 * ({@code AuthAddresses.PINS_CHANGED}); {@link #forget} drops it. A read that was under way while a
 * change was heard is answered but not remembered, so it cannot bring back the rule just dropped.
 * Used on its verticle's event loop only.
 */
final class PinRules {
  static final int SIZE_MAX = 100_000;

  /** What deciding a payment needs: the PIN's hash (null when none is set) and the limit without it. */
  record Rule(String pinHash, long pinLimit) {}

  private final Map<String, Rule> rules = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Rule> eldest) {
      return size() > SIZE_MAX;
    }
  };
  private long changesHeard;

  Future<Rule> rule(String userId, Supplier<Future<Rule>> read) {
    Rule known = rules.get(userId);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    long heardBefore = changesHeard;
    return read.get().onSuccess(rule -> {
      if (changesHeard == heardBefore) {
        rules.put(userId, rule);
      }
    });
  }

  void forget(String userId) {
    changesHeard++;
    rules.remove(userId);
  }
}
