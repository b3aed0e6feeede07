package dev.cowrie.auth;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Times;
import dev.cowrie.security.Principal;
import dev.cowrie.store.RedisStore;
import dev.cowrie.store.Tenancy;
import dev.cowrie.security.AuthAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A wallet user's profile and payment PIN (the card-and-PIN of a QR wallet): the PIN is hashed like
 * a password, paying more than {@code pin_limit} needs it, and {@link #FAILURES_MAX} wrong PINs lock
 * paying for {@link #LOCK_SECONDS} (counted in Redis, so every node sees the same count).
 */
final class Pins {
  static final int FAILURES_MAX = 5;
  static final int LOCK_SECONDS = 15 * 60;
  private static final Pattern PIN = Pattern.compile("^[0-9]{4,6}$");

  static final String SELECT_PROFILE = """
      SELECT id, username, mode, merchant_id, created_at, pin_hash, pin_limit FROM users
      WHERE id = $1 AND merchant_id = $2 AND kind = 'wallet'""";
  static final String UPDATE_PIN = "UPDATE users SET pin_hash = $3 WHERE id = $1 AND merchant_id = $2";
  static final String UPDATE_PIN_LIMIT = "UPDATE users SET pin_limit = $3 WHERE id = $1 AND merchant_id = $2";

  /** What the caller asked to change; null fields stay as they are. */
  record Change(String pin, String currentPin, Long pinLimit) {}

  private final Vertx vertx;
  private final Pool pool;
  private final PinRules rules = new PinRules();
  private final Passwords passwords;
  private final RedisStore redis;
  private final Consumer<JsonObject> audit;

  Pins(Vertx vertx, Pool pool, Passwords passwords, RedisStore redis, Consumer<JsonObject> audit) {
    this.vertx = vertx;
    this.pool = pool;
    this.passwords = passwords;
    this.redis = redis;
    this.audit = audit;
  }

  /** Serves PINS_CHANGED: the rule of that user is read again at its next payment. */
  Future<Void> listenForChanges() {
    return vertx.eventBus().<String>consumer(AuthAddresses.PINS_CHANGED, message -> rules.forget(message.body())).completion();
  }

  static void validatePin(String field, String pin) {
    if (pin != null && !PIN.matcher(pin).matches()) {
      throw CowrieError.invalid(field, field + " must be 4 to 6 digits.");
    }
  }

  Future<JsonObject> profile(Principal user) {
    return row(user).compose(row -> failures(user).map(failed -> new JsonObject()
        .put("id", row.getString("id")).put("object", "user").put("username", row.getString("username"))
        .put("mode", row.getString("mode")).put("merchant", row.getString("merchant_id"))
        .put("created_at", Times.rfc3339(row.getOffsetDateTime("created_at")))
        .put("pin_set", row.getString("pin_hash") != null)
        .put("limits", new JsonObject().put("pin_limit", row.getLong("pin_limit")))
        .put("paying_locked", failed >= FAILURES_MAX)));
  }

  /** Setting a PIN the first time needs nothing more; changing the PIN or the limit afterwards needs the current PIN. */
  Future<JsonObject> update(Principal user, Change change) {
    return row(user).compose(row -> {
      String hash = row.getString("pin_hash");
      Future<Void> allowed = hash == null ? Future.succeededFuture() : verify(user, hash, change.currentPin(), "current_pin");
      return allowed
          .compose(ok -> change.pin() == null ? Future.succeededFuture() : passwords.hash(change.pin())
              .compose(newHash -> write(user, UPDATE_PIN, newHash)))
          .compose(ok -> change.pinLimit() == null ? Future.succeededFuture() : write(user, UPDATE_PIN_LIMIT, change.pinLimit()))
          // Every node (this one included) forgets the rule it held, even when only one of the two writes committed.
          .onComplete(done -> {
            rules.forget(user.userId());
            vertx.eventBus().publish(AuthAddresses.PINS_CHANGED, user.userId());
          })
          .compose(ok -> profile(user));
    });
  }

  /** Lets a payment of {@code amount} go ahead, or fails with pin_required, invalid_pin or pin_locked. */
  Future<JsonObject> check(Principal user, long amount, String pin) {
    return rules.rule(user.userId(), () -> row(user).map(row -> new PinRules.Rule(row.getString("pin_hash"), row.getLong("pin_limit"))))
        .compose(rule -> decide(user, rule, amount, pin));
  }

  private Future<JsonObject> decide(Principal user, PinRules.Rule rule, long amount, String pin) {
    if (rule.pinHash() == null || amount <= rule.pinLimit()) {
      return Future.succeededFuture(new JsonObject().put("allowed", true));
    }
    if (pin == null) {
      return Future.failedFuture(new CowrieError(ErrorCode.PIN_REQUIRED, "Paying more than " + rule.pinLimit()
          + " needs your PIN: send it as 'pin'.", "pin"));
    }
    return verify(user, rule.pinHash(), pin, "pin").map(new JsonObject().put("allowed", true));
  }

  private Future<Void> verify(Principal user, String hash, String pin, String field) {
    if (pin == null) {
      return Future.failedFuture(new CowrieError(ErrorCode.PIN_REQUIRED, "Send your current PIN as '" + field + "'.", field));
    }
    return failures(user).compose(failed -> failed >= FAILURES_MAX ? Future.failedFuture(locked())
        : passwords.matches(pin, hash).compose(ok -> ok ? forgive(user) : fail(user, field)));
  }

  private Future<Void> fail(Principal user, String field) {
    String key = failuresKey(user);
    return redis.api().incr(key).compose(count -> {
      int failed = count.toInteger();
      Future<Response> expiry = failed == 1 ? redis.api().expire(List.of(key, String.valueOf(LOCK_SECONDS))) : Future.succeededFuture();
      if (failed >= FAILURES_MAX) {
        // The lock runs from the last wrong PIN, so guessing on keeps it shut.
        expiry = redis.api().expire(List.of(key, String.valueOf(LOCK_SECONDS)));
      }
      audit.accept(entry(user, failed >= FAILURES_MAX ? "pin.locked" : "pin.failed", 403));
      return expiry.compose(done -> Future.failedFuture(failed >= FAILURES_MAX ? locked()
          : new CowrieError(ErrorCode.INVALID_PIN, "Wrong PIN; " + (FAILURES_MAX - failed) + " tries left before paying is locked for "
              + LOCK_SECONDS / 60 + " minutes.", field)));
    });
  }

  private Future<Void> forgive(Principal user) {
    return redis.api().del(List.of(failuresKey(user))).mapEmpty();
  }

  private Future<Integer> failures(Principal user) {
    return redis.api().get(failuresKey(user)).map(value -> value == null ? 0 : value.toInteger());
  }

  private static CowrieError locked() {
    return new CowrieError(ErrorCode.PIN_LOCKED, "Too many wrong PINs: paying is locked for " + LOCK_SECONDS / 60
        + " minutes from the last try.", "pin");
  }

  private JsonObject entry(Principal user, String action, int status) {
    return new JsonObject().put("actor", user.actorId()).put("merchant_id", user.merchantId()).put("mode", user.mode())
        .put("action", action).put("target", user.userId()).put("status", status);
  }

  private String failuresKey(Principal user) {
    return redis.key("pin_failures", user.userId());
  }

  private Future<Row> row(Principal user) {
    return Tenancy.transaction(pool, user.merchantId(), sql -> sql.preparedQuery(SELECT_PROFILE)
            .execute(Tuple.of(user.userId(), user.merchantId())))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(CowrieError.notFound("user", user.userId()))
            : Future.succeededFuture(rows.iterator().next()));
  }

  private Future<Void> write(Principal user, String statement, Object value) {
    return Tenancy.transaction(pool, user.merchantId(), sql -> sql.preparedQuery(statement)
        .execute(Tuple.of(user.userId(), user.merchantId(), value))).mapEmpty();
  }
}
