package dev.cowrie.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Load driver for {@code scripts/cowrie bench payments} (wrk measures raw throughput; this measures
 * latency at a fixed arrival rate, and settlement throughput for hot and spread merchants).
 * Only ever talks to the gateway URL it is given (loopback in the script); every phase is bounded.
 *
 * <pre>
 *   setup    URL ADMIN_TOKEN MERCHANTS OUT_FILE
 *   rate     URL KEYS_FILE RPS SECONDS [LEAD_IN_SECONDS]
 *   settle   URL KEYS_FILE PAYMENTS CONCURRENCY hot|spread
 * </pre>
 */
public final class PaymentsBench {
  private final Vertx vertx = Vertx.vertx();
  private final WebClient web;
  private final URI base;

  private PaymentsBench(String url) {
    this.base = URI.create(url);
    this.web = WebClient.create(vertx, new WebClientOptions().setDefaultHost(base.getHost()).setDefaultPort(base.getPort())
        .setKeepAlive(true).setMaxRedirects(0), new PoolOptions().setHttp1MaxSize(128));
  }

  public static void main(String[] args) throws Exception {
    PaymentsBench bench = new PaymentsBench(args[1]);
    try {
      switch (args[0]) {
        case "setup" -> bench.setup(args[2], Integer.parseInt(args[3]), Path.of(args[4]));
        case "rate" -> bench.rate(readKeys(Path.of(args[2])), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
            args.length > 5 ? Integer.parseInt(args[5]) : 0);
        case "settle" -> bench.settle(readKeys(Path.of(args[2])), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
            args[5].equals("hot"));
        default -> throw new IllegalArgumentException("unknown phase " + args[0]);
      }
    } finally {
      bench.vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static JsonArray readKeys(Path file) throws Exception {
    return new JsonArray(Files.readString(file));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(300, TimeUnit.SECONDS);
  }

  /**
   * COWRIE_BENCH_FEES=on (the default) puts every merchant on a plan with NGN fees (1.5 % + 100.00,
   * capped), so settlement posts a three-leg entry with the fee; off keeps the zero-fee default plan:
   * the two runs side by side show what fee posting costs.
   */
  private void setup(String adminToken, int merchants, Path out) throws Exception {
    JsonArray keys = new JsonArray();
    boolean fees = !"off".equals(System.getenv().getOrDefault("COWRIE_BENCH_FEES", "on"));
    if (fees) {
      await(web.post("/v1/admin/plans").putHeader("Authorization", "Bearer " + adminToken)
          .sendJsonObject(new JsonObject().put("name", "Bench fees").put("fees", new JsonObject()
              .put("NGN", new JsonObject().put("percent_bps", 150).put("fixed", 10_000).put("cap", 200_000)))));
    }
    for (int i = 0; i < merchants; i++) {
      JsonObject merchant = await(web.post("/v1/admin/merchants").putHeader("Authorization", "Bearer " + adminToken)
          .sendJsonObject(new JsonObject().put("name", "Bench " + i).put("email", "bench" + i + "@example.com"))).bodyAsJsonObject();
      if (fees) {
        await(web.post("/v1/admin/merchants/" + merchant.getString("id") + "/subscription").putHeader("Authorization", "Bearer " + adminToken)
            .sendJsonObject(new JsonObject().put("plan", "Bench fees").put("effective", "now")));
      }
      String secret = merchant.getJsonObject("api_keys").getString("secret");
      String webhookSecret = "bench_webhook_secret_" + i + "_0123456789";
      JsonObject connection = await(web.put("/v1/provider_connections/sandbox").putHeader("Authorization", "Bearer " + secret)
          .sendJsonObject(new JsonObject().put("credentials", new JsonObject().put("webhook_secret", webhookSecret)))).bodyAsJsonObject();
      keys.add(new JsonObject().put("merchant", merchant.getString("id")).put("secret", secret)
          .put("webhook_secret", webhookSecret).put("connection", connection.getString("id")));
    }
    Files.writeString(out, keys.encodePrettily());
    System.out.println("setup: " + merchants + " merchants with the sandbox provider, fees " + (fees ? "on" : "off") + " -> " + out);
  }

  private Future<HttpResponse<Buffer>> createPayment(String secret, String idempotencyKey) {
    return web.post("/v1/payments").putHeader("Authorization", "Bearer " + secret).putHeader("Idempotency-Key", idempotencyKey)
        .sendJsonObject(new JsonObject().put("amount", 150_000).put("currency", "NGN").put("reference", idempotencyKey));
  }

  /**
   * Fixed arrival rate; latency is measured from each request's scheduled start, so queueing counts.
   * The first leadInSeconds run at the same rate but are not counted: they open this driver's
   * connections and compile its own code, which would otherwise be charged to the gateway (pgbench,
   * the yardstick, is C and connects before its clock starts).
   */
  private void rate(JsonArray keys, int rps, int seconds, int leadInSeconds) throws Exception {
    Latencies latencies = new Latencies();
    int leadIn = rps * leadInSeconds;
    int total = leadIn + rps * seconds;
    // The slowest answer of each quarter second, by scheduled start: a stall shows as a run of slow windows.
    long[] windowMaxMicros = new long[(leadInSeconds + seconds) * 4 + 1];
    AtomicInteger issued = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    Promise<Void> finished = Promise.promise();
    long startNanos = System.nanoTime();
    long measuredFromNanos = startNanos + leadInSeconds * 1_000_000_000L;
    String run = Long.toString(System.currentTimeMillis(), 36);
    vertx.setPeriodic(1, timer -> {
      long due = Math.min(total, (System.nanoTime() - startNanos) * rps / 1_000_000_000L);
      while (issued.get() < due) {
        int n = issued.getAndIncrement();
        long scheduled = startNanos + n * 1_000_000_000L / rps;
        String secret = keys.getJsonObject(n % keys.size()).getString("secret");
        createPayment(secret, "rate-" + run + "-" + n).onComplete(result -> {
          long micros = (System.nanoTime() - scheduled) / 1000;
          if (n >= leadIn) {
            latencies.record(micros, result.succeeded() && result.result().statusCode() == 201);
          }
          int window = (int) ((scheduled - startNanos) / 250_000_000L);
          windowMaxMicros[window] = Math.max(windowMaxMicros[window], micros);
          if (done.incrementAndGet() == total) {
            finished.tryComplete();
          }
        });
      }
      if (issued.get() >= total) {
        vertx.cancelTimer(timer);
      }
    });
    await(finished.future());
    double elapsed = (System.nanoTime() - measuredFromNanos) / 1e9;
    System.out.printf("rate: target %d req/s for %d s (after %d s not counted): achieved %.0f req/s, p50 %.1f ms, p99 %.1f ms,"
        + " max %.1f ms, errors %d%n", rps, seconds, leadInSeconds, (total - leadIn) / elapsed, latencies.percentileMs(50),
        latencies.percentileMs(99), latencies.percentileMs(100), latencies.errors());
    StringBuilder slow = new StringBuilder();
    for (int window = 0; window < windowMaxMicros.length; window++) {
      if (windowMaxMicros[window] > 200_000) {
        slow.append(String.format(" %.2fs:%dms", window / 4.0 - leadInSeconds, windowMaxMicros[window] / 1000));
      }
    }
    System.out.println("rate: quarter seconds whose slowest answer took over 200 ms (by scheduled start; below 0: not counted):"
        + (slow.length() == 0 ? " none" : slow));
  }

  /** Creates payments (untimed), then settles them all with signed callbacks in parallel (timed). */
  private void settle(JsonArray keys, int payments, int concurrency, boolean hot) throws Exception {
    List<JsonObject[]> work = new ArrayList<>();
    String run = Long.toString(System.currentTimeMillis(), 36);
    for (int i = 0; i < payments; i += concurrency) {
      List<Future<HttpResponse<Buffer>>> batch = new ArrayList<>();
      List<JsonObject> owners = new ArrayList<>();
      for (int j = i; j < Math.min(payments, i + concurrency); j++) {
        JsonObject owner = keys.getJsonObject(hot ? 0 : j % keys.size());
        owners.add(owner);
        batch.add(createPayment(owner.getString("secret"), "settle-" + run + "-" + j));
      }
      await(Future.all(batch));
      for (int k = 0; k < batch.size(); k++) {
        work.add(new JsonObject[] {owners.get(k), batch.get(k).result().bodyAsJsonObject()});
      }
    }
    Latencies latencies = new Latencies();
    AtomicInteger next = new AtomicInteger();
    long started = System.nanoTime();
    List<Future<Void>> workers = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      workers.add(settleLoop(work, next, latencies));
    }
    await(Future.all(workers));
    double elapsed = (System.nanoTime() - started) / 1e9;
    System.out.printf("settle (%s, %d merchants): %d payments succeeded via callbacks in %.2f s = %.0f succeeded payments/s, "
            + "callback p50 %.1f ms, p99 %.1f ms, errors %d%n", hot ? "hot account" : "spread", hot ? 1 : keys.size(),
        payments, elapsed, payments / elapsed, latencies.percentileMs(50), latencies.percentileMs(99), latencies.errors());
  }

  private Future<Void> settleLoop(List<JsonObject[]> work, AtomicInteger next, Latencies latencies) {
    int index = next.getAndIncrement();
    if (index >= work.size()) {
      return Future.succeededFuture();
    }
    JsonObject owner = work.get(index)[0];
    JsonObject payment = work.get(index)[1];
    long timestamp = System.currentTimeMillis() / 1000;
    String body = new JsonObject().put("id", "bench_evt_" + payment.getString("id")).put("type", "payment.succeeded")
        .put("created", timestamp).put("data", new JsonObject().put("id", payment.getString("provider_reference"))
            .put("reference", payment.getString("id")).put("amount", payment.getLong("amount")).put("currency", "NGN")).encode();
    String signature = "t=" + timestamp + ",v1=" + hmacHex(owner.getString("webhook_secret"), timestamp + "." + body);
    long started = System.nanoTime();
    return web.post("/v1/callbacks/" + owner.getString("connection")).putHeader("Cowrie-Sandbox-Signature", signature)
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body))
        .transform(result -> {
          latencies.record((System.nanoTime() - started) / 1000, result.succeeded() && result.result().statusCode() == 200);
          return settleLoop(work, next, latencies);
        });
  }

  private static String hmacHex(String key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return java.util.HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
