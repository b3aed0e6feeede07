package dev.cowrie.webhooks;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.sqlclient.Pool;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Clock;

/**
 * Makes due deliveries: leases them from the database, signs and POSTs each event, records the
 * attempt and schedules the retry. At most {@code perEndpoint} calls per endpoint are open across
 * all nodes (the leases in the database are counted) and {@code inFlightMax} in all on this node,
 * so one slow merchant cannot hold up the others.
 */
final class Dispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final int CLAIM_BATCH_MAX = 100;
  private static final int BODY_KEPT_BYTES = 1024;
  private static final int ERROR_CHARS_MAX = 500;
  /** Beyond the call's timeout: DNS, signing and settling must fit in the lease too. */
  private static final long LEASE_MARGIN_MS = 2_000;

  record Settings(long timeoutMs, int perEndpoint, int inFlightMax, long[] backoffMs, boolean allowPrivate,
                  byte[] masterKey) {}

  private final Vertx vertx;
  private final WorkerExecutor lookups;
  private final Pool pool;
  private final Settings settings;
  private final Clock clock;
  private final HttpClient client;
  private int inFlightTotal;
  private boolean claiming;
  private boolean wokenWhileClaiming;

  Dispatcher(Vertx vertx, Pool pool, WorkerExecutor lookups, Settings settings, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.lookups = lookups;
    this.pool = pool;
    this.settings = settings;
    this.client = vertx.createHttpClient(new HttpClientOptions()
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.timeoutMs()))
            .setKeepAlive(true).setVerifyHost(true),
        new PoolOptions().setHttp1MaxSize(settings.inFlightMax()));
  }

  /** Claims as much due work as this node has room for; calls made end by waking it again. */
  void wake() {
    if (claiming) {
      wokenWhileClaiming = true;
      return;
    }
    int room = Math.min(CLAIM_BATCH_MAX, settings.inFlightMax() - inFlightTotal);
    if (room <= 0) {
      return;
    }
    claiming = true;
    wokenWhileClaiming = false;
    Deliveries.claim(pool, room, settings.perEndpoint(), settings.timeoutMs() + LEASE_MARGIN_MS)
        .onComplete(claimed -> {
          claiming = false;
          if (claimed.failed()) {
            LOG.warn("Claiming webhook deliveries failed; retried at the next poll: {}", claimed.cause().toString());
            return;
          }
          List<Deliveries.Due> due = claimed.result();
          due.forEach(this::deliver);
          if (due.size() == room || wokenWhileClaiming) {
            wake();
          }
        });
  }

  private void deliver(Deliveries.Due due) {
    inFlightTotal++;
    call(due)
        .compose(outcome -> Deliveries.settle(pool, due, outcome, outcome.delivered() ? 0 : retryDelayMs(due.attempts())))
        .onComplete(settled -> {
          if (settled.failed()) {
            LOG.warn("Recording delivery {} failed; its lease runs out and it is tried again: {}", due.id(),
                settled.cause().toString());
          }
          inFlightTotal--;
          wake();
        });
  }

  /** Exponential backoff from config (the last delay repeats), with +/- 20 % jitter so retries spread out. */
  long retryDelayMs(int attemptsBefore) {
    long[] schedule = settings.backoffMs();
    long base = schedule[Math.min(attemptsBefore, schedule.length - 1)];
    return Math.round(base * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
  }

  /** One signed POST; never fails: every way it can go wrong is an unsuccessful outcome. */
  private Future<Deliveries.Outcome> call(Deliveries.Due due) {
    long started = System.nanoTime();
    URI uri = URI.create(due.url());
    return UrlGuard.resolve(lookups, uri, settings.allowPrivate())
        .compose(address -> post(due, uri, address, started))
        .recover(failure -> Future.succeededFuture(new Deliveries.Outcome(false, null, elapsedMs(started), null,
            cut(failure instanceof dev.cowrie.common.CowrieError ? "refused: " + failure.getMessage()
                : failure.getClass().getSimpleName() + ": " + failure.getMessage()))));
  }

  private Future<Deliveries.Outcome> post(Deliveries.Due due, URI uri, InetAddress address, long started) {
    Buffer body = due.event().toBuffer();
    long timestamp = clock.instant().getEpochSecond();
    String secret = WebhookSecrets.open(settings.masterKey(), due.secretSealed());
    int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(due.url())
        // Connect to the address we checked, not to whatever DNS says a moment later (rebinding).
        .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
        .setFollowRedirects(false)
        .setIdleTimeout(settings.timeoutMs())
        .putHeader("content-type", "application/json")
        .putHeader("user-agent", "Cowrie-Webhooks/1")
        .putHeader("webhook-id", due.eventId())
        .putHeader("webhook-timestamp", String.valueOf(timestamp))
        .putHeader("webhook-signature", WebhookSecrets.sign(secret, due.eventId(), timestamp, body.getBytes()));
    Promise<Deliveries.Outcome> outcome = Promise.promise();
    HttpClientRequest[] open = new HttpClientRequest[1];
    long deadline = vertx.setTimer(settings.timeoutMs(), fired -> {
      if (open[0] != null) {
        open[0].reset();
      }
      outcome.tryFail("timed out after " + settings.timeoutMs() + " ms");
    });
    client.request(options)
        .compose(request -> {
          open[0] = request;
          return request.send(body);
        })
        .compose(this::firstBytes)
        .onComplete(done -> {
          vertx.cancelTimer(deadline);
          if (done.failed()) {
            outcome.tryFail(done.cause());
            return;
          }
          int status = done.result().status();
          boolean ok = status >= 200 && status < 300;
          String error = ok ? null : status >= 300 && status < 400 ? "redirect " + status + " not followed" : "HTTP " + status;
          outcome.tryComplete(new Deliveries.Outcome(ok, status, elapsedMs(started), done.result().text(), error));
        });
    return outcome.future();
  }

  private record Answer(int status, String text) {}

  /** The status and the first KiB of the answer; the rest is read and dropped. */
  private Future<Answer> firstBytes(HttpClientResponse response) {
    Buffer kept = Buffer.buffer();
    response.handler(chunk -> {
      int room = BODY_KEPT_BYTES - kept.length();
      if (room > 0) {
        kept.appendBuffer(chunk, 0, Math.min(room, chunk.length()));
      }
    });
    return response.end().map(done -> new Answer(response.statusCode(),
        new String(kept.getBytes(), StandardCharsets.UTF_8).replace("\u0000", "")));
  }

  private static int elapsedMs(long startedNanos) {
    return (int) Math.max(0, (System.nanoTime() - startedNanos) / 1_000_000);
  }

  private static String cut(String text) {
    return text == null || text.length() <= ERROR_CHARS_MAX ? text : text.substring(0, ERROR_CHARS_MAX);
  }

  Future<Void> close() {
    return client.close();
  }
}
