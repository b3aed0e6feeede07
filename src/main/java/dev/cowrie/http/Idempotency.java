package dev.cowrie.http;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Secrets;
import dev.cowrie.store.RedisStore;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotency-Key on every POST (API.md). Redis answers replays and in-flight conflicts in one
 * round trip; the {@code idempotency_keys} row is the durable guard, so a flushed or failed Redis
 * can never run the same request twice. 5xx and 429 answers are forgotten so the client may retry.
 */
final class Idempotency {
  private static final Logger log = LoggerFactory.getLogger(Idempotency.class);
  static final String HEADER = "Idempotency-Key";
  private static final int LOCK_SECONDS = 60;
  private static final int UNRELEASED_MAX = 10_000;

  private static final String STORED = """
      SELECT fingerprint, state, response_status, response_body FROM idempotency_keys
      WHERE merchant_id = $1 AND mode = $2 AND idem_key = $3""";

  private final Pool pool;
  private final Pool system;
  private final RedisStore redis;
  private final long ttlSeconds;
  private final Clock clock;
  // Claims whose release failed because the database was down (bounded; the lock lapses anyway).
  // Each HttpVerticle instance has its own Idempotency, used from its event loop only.
  private final Map<String, Claim> unreleased = new HashMap<>();

  /** {@code pool} is the app role (each key in its merchant's tenant), {@code system} purges across merchants. */
  Idempotency(Pool pool, Pool system, RedisStore redis, long ttlSeconds, Clock clock) {
    this.clock = clock;
    this.pool = pool;
    this.system = system;
    this.redis = redis;
    this.ttlSeconds = ttlSeconds;
  }

  record Scope(String merchantId, String mode) {}

  /** A running request's hold on its key; {@code lockedUntil} tells this claim from a later one. */
  private record Claim(Scope scope, String key, OffsetDateTime lockedUntil) {}

  static void validate(String key) {
    if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw new CowrieError(ErrorCode.PARAMETER_INVALID,
          "Idempotency-Key must be 1 to 255 printable ASCII characters.", HEADER);
    }
  }

  static String fingerprint(String method, String path, Buffer body) {
    return Secrets.sha256Hex(method + " " + path + "\n" + (body == null ? "" : body.toString()));
  }

  Future<Reply> run(Scope scope, String key, String fingerprint, Supplier<Future<Reply>> action) {
    return fastPath(scope, fingerprint, key, redisKey -> claimDurably(scope, key, fingerprint, redisKey, action));
  }

  /**
   * Like {@link #run}, for a route that claims and completes the key inside its own transactions
   * ({@link RequestRecord}): no commit of its own here unless the route refused before claiming.
   */
  Future<Reply> runRecorded(Scope scope, String key, String fingerprint, Function<RequestRecord.Key, Future<Reply>> action) {
    return fastPath(scope, fingerprint, key, redisKey -> carry(scope, key, fingerprint, redisKey, action));
  }

  /** One Redis round trip: the in-flight lock, or (a second one) the stored answer of an earlier request. */
  private Future<Reply> fastPath(Scope scope, String fingerprint, String key, Function<String, Future<Reply>> claimed) {
    String redisKey = redis.key("idem", scope.merchantId(), scope.mode(), Secrets.sha256Hex(key));
    JsonObject inFlight = new JsonObject().put("state", "in_flight").put("fp", fingerprint);
    return redis.api().set(List.of(redisKey, inFlight.encode(), "NX", "EX", String.valueOf(LOCK_SECONDS)))
        .map(response -> response != null) // null: key exists
        .otherwise(failure -> {
          log.warn("Idempotency fast path unavailable ({}); using Postgres only", failure.getMessage());
          return true;
        })
        .compose(fresh -> fresh ? claimed.apply(redisKey)
            : redis.api().get(redisKey).compose(stored -> stored == null // expired between SET and GET
                ? claimed.apply(redisKey) : answerFromRedis(stored, fingerprint)));
  }

  private Future<Reply> carry(Scope scope, String key, String fingerprint, String redisKey,
      Function<RequestRecord.Key, Future<Reply>> action) {
    OffsetDateTime lockedUntil = lockUntil();
    RequestRecord.Key claim = new RequestRecord.Key(scope.merchantId(), scope.mode(), key, fingerprint, lockedUntil);
    return releaseLeftover(redisKey).compose(ignored -> attempt(() -> action.apply(claim))).transform(done -> {
      if (done.succeeded()) { // the route stored this answer with its change
        remember(redisKey, fingerprint, done.result().status(), done.result().json().encode());
        return settle(done);
      }
      if (RequestRecord.isTaken(done.cause())) {
        return existing(scope, key, fingerprint, redisKey);
      }
      Reply reply = ErrorReplies.toReply(CowrieError.from(done.cause()), null);
      if (reply.status() >= 500 || reply.status() == 429) {
        return release(new Claim(scope, key, lockedUntil), redisKey).transform(ignored -> settle(done));
      }
      String body = reply.json().encode();
      return Tenancy.transaction(pool, scope.merchantId(), sql -> sql.preparedQuery(RequestRecord.ANSWER)
              .execute(Tuple.of(scope.merchantId(), scope.mode(), key, fingerprint, lockedUntil, reply.status(), body)))
          .onSuccess(ignored -> remember(redisKey, fingerprint, reply.status(), body))
          .transform(ignored -> settle(done));
    });
  }

  private Future<Reply> answerFromRedis(Response stored, String fingerprint) {
    JsonObject record = new JsonObject(stored.toString());
    if (!record.getString("fp").equals(fingerprint)) {
      return Future.failedFuture(reused());
    }
    if ("in_flight".equals(record.getString("state"))) {
      return Future.failedFuture(inUse());
    }
    return Future.succeededFuture(replay(record.getInteger("status"), record.getString("body")));
  }

  private Future<Reply> claimDurably(Scope scope, String key, String fingerprint, String redisKey,
      Supplier<Future<Reply>> action) {
    OffsetDateTime lockedUntil = lockUntil();
    return releaseLeftover(redisKey)
        .compose(ignored -> Tenancy.transaction(pool, scope.merchantId(), sql -> sql.preparedQuery(RequestRecord.CLAIM)
            .execute(Tuple.of(scope.merchantId(), scope.mode(), key, fingerprint, lockedUntil))))
        .transform(claim -> {
          if (claim.failed()) { // the database is out: nothing ran, so the fast-path lock must not hold retries back
            return forgetFastPath(redisKey).compose(ignored -> Future.failedFuture(claim.cause()));
          }
          RowSet<Row> rows = claim.result();
          return rows.size() == 1
              ? execute(new Claim(scope, key, lockedUntil), redisKey, fingerprint, action)
              : existing(scope, key, fingerprint, redisKey);
        });
  }

  /** The end of a new claim's lock, chosen here (at the database's precision) so its owner can name exactly its own claim. */
  private OffsetDateTime lockUntil() {
    return OffsetDateTime.now(clock).plusSeconds(LOCK_SECONDS).truncatedTo(ChronoUnit.MICROS);
  }

  private Future<Reply> existing(Scope scope, String key, String fingerprint, String redisKey) {
    return Tenancy.transaction(pool, scope.merchantId(), sql -> sql.preparedQuery(STORED)
        .execute(Tuple.of(scope.merchantId(), scope.mode(), key)))
        .onFailure(outage -> forgetFastPath(redisKey))
        .compose(rows -> {
          if (rows.size() == 0) { // finished with a 5xx and was released meanwhile
            return Future.failedFuture(inUse());
          }
          Row row = rows.iterator().next();
          if (!row.getString("fingerprint").equals(fingerprint)) {
            return Future.failedFuture(reused());
          }
          if ("in_flight".equals(row.getString("state"))) {
            return Future.failedFuture(inUse());
          }
          int status = row.getInteger("response_status");
          String body = row.getString("response_body");
          remember(redisKey, fingerprint, status, body);
          return Future.succeededFuture(replay(status, body));
        });
  }

  private Future<Reply> execute(Claim claim, String redisKey, String fingerprint, Supplier<Future<Reply>> action) {
    return attempt(action).transform(done -> {
      Reply reply = done.succeeded() ? done.result() : ErrorReplies.toReply(CowrieError.from(done.cause()), null);
      // A 5xx or a 429 (a cost charged inside the request, such as a QR decode) did not do the
      // work: forget the key so the retry runs. Raw bodies are not replayable.
      if (reply.status() >= 500 || reply.status() == 429 || reply.raw() != null) {
        return release(claim, redisKey).transform(ignored -> settle(done));
      }
      String body = reply.json().encode();
      return Tenancy.transaction(pool, claim.scope().merchantId(), sql -> sql.preparedQuery(RequestRecord.COMPLETE)
          .execute(Tuple.of(claim.scope().merchantId(), claim.scope().mode(), claim.key(), claim.lockedUntil(), reply.status(), body)))
          .onSuccess(ignored -> remember(redisKey, fingerprint, reply.status(), body))
          .transform(ignored -> settle(done));
    });
  }

  private static Future<Reply> attempt(Supplier<Future<Reply>> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static Future<Reply> settle(io.vertx.core.AsyncResult<Reply> done) {
    return done.succeeded() ? Future.succeededFuture(done.result()) : Future.failedFuture(done.cause());
  }

  /**
   * Forgets a claim whose answer was a 5xx, so the client's retry runs. When the database is the
   * thing that is down, the row is deleted as soon as it answers again: by the next retry of the
   * same key on this node, or by {@link #releaseLeftovers()}.
   */
  private Future<Void> release(Claim claim, String redisKey) {
    return deleteClaim(claim)
        .recover(outage -> {
          if (unreleased.size() < UNRELEASED_MAX) {
            unreleased.put(redisKey, claim);
          }
          return Future.succeededFuture();
        })
        .compose(ignored -> forgetFastPath(redisKey));
  }

  private Future<Void> deleteClaim(Claim claim) {
    return Tenancy.transaction(pool, claim.scope().merchantId(), sql -> sql.preparedQuery(RequestRecord.RELEASE)
        .execute(Tuple.of(claim.scope().merchantId(), claim.scope().mode(), claim.key(), claim.lockedUntil())))
        .mapEmpty();
  }

  private Future<Void> releaseLeftover(String redisKey) {
    Claim claim = unreleased.get(redisKey);
    if (claim == null) {
      return Future.succeededFuture();
    }
    return deleteClaim(claim).onSuccess(ignored -> unreleased.remove(redisKey, claim));
  }

  /** Deletes the claims a database outage kept from being released; run every second or so. */
  Future<Void> releaseLeftovers() {
    List<Future<Void>> releases = List.copyOf(unreleased.keySet()).stream().map(this::releaseLeftover).toList();
    return Future.join(releases).mapEmpty();
  }

  private Future<Void> forgetFastPath(String redisKey) {
    return redis.api().del(List.of(redisKey)).<Void>mapEmpty().otherwiseEmpty();
  }

  private void remember(String redisKey, String fingerprint, int status, String body) {
    JsonObject record = new JsonObject().put("state", "done").put("fp", fingerprint).put("status", status).put("body", body);
    redis.api().set(List.of(redisKey, record.encode(), "EX", String.valueOf(ttlSeconds)))
        .onFailure(failure -> log.warn("Could not cache idempotent response: {}", failure.getMessage()));
  }

  /** A stored answer, sent again with the header that says so. */
  private static Reply replay(int status, String body) {
    return Reply.of(status, new JsonObject(body)).withHeaders(Map.of("Idempotent-Replayed", "true"));
  }

  private static CowrieError inUse() {
    return new CowrieError(ErrorCode.IDEMPOTENCY_KEY_IN_USE,
        "A request with this Idempotency-Key is still being processed; retry after it finishes.", HEADER);
  }

  private static CowrieError reused() {
    return new CowrieError(ErrorCode.IDEMPOTENCY_KEY_REUSED,
        "This Idempotency-Key was already used with a different request (method, path or body).", HEADER);
  }

  /** Deletes durable keys older than the retention; run periodically. */
  Future<Integer> purgeExpired() {
    return system.preparedQuery("""
            DELETE FROM idempotency_keys WHERE ctid IN (
              SELECT ctid FROM idempotency_keys WHERE created_at < now() - make_interval(secs => $1) LIMIT 1000)""")
        .execute(Tuple.of(ttlSeconds))
        .map(rows -> rows.rowCount());
  }
}
