package dev.cowrie.providers.sandbox;

import dev.cowrie.common.Ids;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's signed callbacks, owed as a provider owes them: written to {@code sandbox_callbacks}
 * in the transaction that settles the charge (so a crash right after checkout loses none), then
 * sent by whichever node claims them ({@code FOR UPDATE SKIP LOCKED}), retried with backoff until
 * Cowrie answers 2xx, deleted once it has.
 */
public final class SandboxCallbacks {
  private static final Logger log = LoggerFactory.getLogger(SandboxCallbacks.class);
  private static final int ATTEMPTS_MAX = 8;
  private static final int CLAIM_MAX = 32;
  private static final long POLL_MS = 500;
  private static final long LEASE_MS = 30_000;
  private static final long SEND_TIMEOUT_MS = 10_000;

  private static final String OWE = """
      INSERT INTO sandbox_callbacks (charge_ref, body, next_attempt_at)
      VALUES ($1, $2, now() + make_interval(secs => $3::float8 / 1000))""";
  // One charge's callbacks go one at a time, in the order they were owed (processing before succeeded).
  // Leasing = moving next_attempt_at past the call's timeout: a crashed node's lease runs out and any node retakes it.
  private static final String CLAIM = """
      WITH due AS (
        SELECT id FROM sandbox_callbacks c WHERE next_attempt_at <= now()
          AND NOT EXISTS (SELECT 1 FROM sandbox_callbacks earlier WHERE earlier.charge_ref = c.charge_ref
                          AND earlier.id < c.id AND earlier.next_attempt_at < 'infinity')
        ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
      UPDATE sandbox_callbacks c SET attempts = c.attempts + 1,
        next_attempt_at = now() + make_interval(secs => $2::float8 / 1000)
      FROM due, sandbox_charges ch WHERE c.id = due.id AND ch.reference = c.charge_ref
      RETURNING c.id, c.body, c.attempts, ch.callback_url, ch.secret""";
  private static final String DELIVERED = "DELETE FROM sandbox_callbacks WHERE id = $1";
  // After the last attempt the row stays (never due again) as a record; the reconciler settles the payment.
  private static final String RETRY = """
      UPDATE sandbox_callbacks SET last_error = $3, next_attempt_at = CASE WHEN attempts >= $4 THEN 'infinity'
        ELSE now() + make_interval(secs => $2::float8 / 1000) END WHERE id = $1""";

  private final Vertx vertx;
  private final Pool pool;
  private final WebClient web;
  private final Function<Row, String> secretOf;
  private final long delayMs;
  private final Clock clock;
  private boolean claiming;
  private boolean wokenWhileClaiming;

  SandboxCallbacks(Vertx vertx, Pool pool, Function<Row, String> secretOf, long delayMs, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.pool = pool;
    this.web = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false).setConnectTimeout(5_000));
    this.secretOf = secretOf;
    this.delayMs = delayMs;
    vertx.setPeriodic(POLL_MS, tick -> sendDue());
  }

  long delayMs() {
    return delayMs;
  }

  /** In the caller's transaction: the callback {@code type} about the charge is owed, due after {@code afterMs}. */
  Future<Void> owe(SqlClient tx, String chargeRef, String type, JsonObject data, long afterMs) {
    JsonObject event = new JsonObject().put("id", Ids.next("sbx_evt")).put("type", type)
        .put("created", clock.instant().getEpochSecond()).put("data", data);
    return tx.preparedQuery(OWE).execute(Tuple.of(chargeRef, event, afterMs)).mapEmpty();
  }

  /** After the commit: send what is due now, and look again when the delayed ones fall due. */
  void committed(long... dueAfterMs) {
    sendDue();
    for (long afterMs : dueAfterMs) {
      if (afterMs > 0) {
        vertx.setTimer(afterMs, id -> sendDue());
      }
    }
  }

  private void sendDue() {
    if (claiming) {
      wokenWhileClaiming = true;
      return;
    }
    claiming = true;
    wokenWhileClaiming = false;
    pool.preparedQuery(CLAIM).execute(Tuple.of(CLAIM_MAX, LEASE_MS))
        .onSuccess(rows -> rows.forEach(this::attempt))
        .onFailure(failure -> log.warn("Sandbox callbacks: claim failed, retried at the next poll: {}", failure.toString()))
        .onComplete(claimed -> {
          claiming = false;
          if (wokenWhileClaiming) {
            sendDue();
          }
        });
  }

  private void attempt(Row due) {
    long id = due.getLong("id");
    int attempts = due.getInteger("attempts");
    Buffer body = ((JsonObject) due.getJson("body")).toBuffer();
    long timestamp = clock.instant().getEpochSecond();
    String signature = "t=" + timestamp + ",v1=" + SandboxAdapter.sign(secretOf.apply(due), timestamp, body.getBytes());
    web.postAbs(due.getString("callback_url")).timeout(SEND_TIMEOUT_MS).putHeader("Content-Type", "application/json")
        .putHeader("Cowrie-Sandbox-Signature", signature).sendBuffer(body)
        .compose(answer -> answer.statusCode() / 100 == 2 ? Future.succeededFuture()
            : Future.failedFuture("answered " + answer.statusCode()))
        .compose(delivered -> pool.preparedQuery(DELIVERED).execute(Tuple.of(id)).<Void>mapEmpty()
            .onSuccess(deleted -> sendDue()), failed -> { // the charge's next callback may be due now
          if (attempts >= ATTEMPTS_MAX) {
            log.warn("Sandbox callback {} to {} failed {} times ({}); the reconciler will settle it",
                id, due.getString("callback_url"), attempts, failed.getMessage());
          }
          return pool.preparedQuery(RETRY).execute(Tuple.of(id, 200L << attempts, failed.getMessage(), ATTEMPTS_MAX)).mapEmpty();
        });
  }
}
