package dev.cowrie.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * For {@code scripts/bench/cluster.sh}: payments created on one node at a fixed rate while a
 * WebSocket on another node listens; how long until each {@code payment.created} reaches that
 * socket, counted from the moment the creating call was sent (the commit happens inside that call,
 * so this bounds commit -> socket from above); the 201's own latency is printed beside it.
 *
 * <pre>  CREATE_URL STREAM_URL SECRET_KEY RATE_PER_SECOND SECONDS</pre>
 */
public final class ClusterLatencyBench {
  private static final int CONNECTIONS_MAX = 64;

  private ClusterLatencyBench() {}

  public static void main(String[] args) throws Exception {
    URI create = URI.create(args[0]);
    URI stream = URI.create(args[1]);
    String key = args[2];
    int rate = Integer.parseInt(args[3]);
    int seconds = Integer.parseInt(args[4]);
    Vertx vertx = Vertx.vertx();
    try {
      // Enough connections that the client never queues (the default 5 did: at 20/s and ~300 ms a call, 201s waited 9 s).
      WebClient web = WebClient.create(vertx, new WebClientOptions().setDefaultHost(create.getHost())
          .setDefaultPort(create.getPort()).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(CONNECTIONS_MAX));
      Map<String, Long> sentAtNanos = new ConcurrentHashMap<>();
      Latencies answers = new Latencies();
      Map<String, Long> heardAtNanos = new ConcurrentHashMap<>();
      WebSocket socket = connect(vertx, stream, key);
      socket.textMessageHandler(text -> {
        JsonObject event = new JsonObject(text);
        if ("payment.created".equals(event.getString("type"))) {
          heardAtNanos.put(event.getJsonObject("data").getJsonObject("object").getString("id"), System.nanoTime());
        }
      });
      int total = rate * seconds;
      CountDownLatch answered = new CountDownLatch(total);
      long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
      long start = System.nanoTime();
      for (int i = 0; i < total; i++) {
        long due = start + i * intervalNanos;
        while (System.nanoTime() < due) {
          Thread.onSpinWait();
        }
        long sent = System.nanoTime();
        create(web, key, i).onComplete(done -> {
          if (done.succeeded() && done.result() != null) {
            sentAtNanos.put(done.result(), sent);
            answers.record((System.nanoTime() - sent) / 1000, true);
          }
          answered.countDown();
        });
      }
      answered.await(60, TimeUnit.SECONDS);
      long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!heardAtNanos.keySet().containsAll(sentAtNanos.keySet()) && System.nanoTime() < waitUntil) {
        Thread.sleep(20);
      }
      report(sentAtNanos, heardAtNanos, answers, total);
    } finally {
      // The figures are printed; a slow close on a loaded machine must not fail the run (it stopped the 3-node phase).
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (TimeoutException slow) {
        System.err.println("(the driver's Vert.x took over 10 s to close; ignored)");
      }
    }
  }

  /** A loaded machine may drop a handshake; three tries, then the failure stands. */
  private static WebSocket connect(Vertx vertx, URI stream, String key) throws Exception {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(stream.getHost()).setPort(stream.getPort())
        .setURI("/v1/events/stream").addHeader("Authorization", "Bearer " + key).setTimeout(30_000);
    for (int attempt = 1; ; attempt++) {
      try {
        return vertx.createWebSocketClient().connect(options).toCompletionStage().toCompletableFuture().get(40, TimeUnit.SECONDS);
      } catch (ExecutionException failed) {
        if (attempt == 3) {
          throw failed;
        }
      }
    }
  }

  private static Future<String> create(WebClient web, String key, int i) {
    String idempotency = "cluster-latency-" + System.nanoTime() + "-" + i;
    return web.post("/v1/payments").putHeader("Authorization", "Bearer " + key).putHeader("Idempotency-Key", idempotency)
        .sendJsonObject(new JsonObject().put("amount", 150_000).put("currency", "NGN").put("reference", idempotency))
        .map(response -> response.statusCode() == 201 ? response.bodyAsJsonObject().getString("id") : null);
  }

  private static void report(Map<String, Long> sentAtNanos, Map<String, Long> heardAtNanos, Latencies answers, int sent) {
    Latencies latencies = new Latencies();
    int missing = 0;
    for (Map.Entry<String, Long> created : sentAtNanos.entrySet()) {
      Long heard = heardAtNanos.get(created.getKey());
      if (heard == null) {
        missing++;
        continue;
      }
      latencies.record((heard - created.getValue()) / 1000, true);
    }
    System.out.printf("create sent -> event on a socket of another node: sent %d, created %d, heard %d, missing %d,"
        + " p50 %.1f ms, p99 %.1f ms (the 201 itself: p50 %.1f ms, p99 %.1f ms)%n", sent, sentAtNanos.size(),
        latencies.count(), missing, latencies.percentileMs(50), latencies.percentileMs(99),
        answers.percentileMs(50), answers.percentileMs(99));
  }
}
