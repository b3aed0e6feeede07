// Driver for scripts/bench/transfers.sh: run with `java -cp target/cowrie.jar scripts/bench/TransfersBench.java`.
// Talks to a running gateway over HTTP and WebSocket only (loopback); every phase is bounded in count and time.
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

public class TransfersBench {
  // No default: the port is the one scripts/bench/transfers.sh started (and checked) its own gateway on.
  static final int PORT = Integer.parseInt(required("BENCH_PORT"));
  static final int WALLETS = Integer.parseInt(env("BENCH_WALLETS", "1000"));
  static final int TRANSFERS = Integer.parseInt(env("BENCH_TRANSFERS", "15000"));
  static final int CONCURRENCY = Integer.parseInt(env("BENCH_CONCURRENCY", "32"));
  static final int CHAT_CLIENTS = Integer.parseInt(env("BENCH_CHAT_CLIENTS", "100"));
  static final int CHAT_MESSAGES = Integer.parseInt(env("BENCH_CHAT_MESSAGES", "500"));
  // Unreported transfers first, so the JIT has compiled the transfer path before it is timed.
  static final int WARMUP_TRANSFERS = Integer.parseInt(env("BENCH_WARMUP_TRANSFERS", "3000"));
  static final int WARMUP_SECONDS_MAX = Integer.parseInt(env("BENCH_WARMUP_SECONDS_MAX", "200"));
  static final long TOPUP = 1_000_000;
  static final Vertx vertx = Vertx.vertx();
  static final WebClient web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(PORT),
      new PoolOptions().setHttp1MaxSize(CONCURRENCY * 2));

  static final java.util.concurrent.atomic.AtomicReference<String> FIRST_FAILURE = new java.util.concurrent.atomic.AtomicReference<>();

  record User(String id, String username, String token) {}

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  static String required(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      System.err.println(name + " is not set: run scripts/bench/transfers.sh, which starts its own gateway and sets it");
      System.exit(2);
    }
    return value;
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  static Future<HttpResponse<Buffer>> call(String method, String path, String bearer, JsonObject body) {
    var request = web.request(io.vertx.core.http.HttpMethod.valueOf(method), path).timeout(30_000);
    // Money-moving calls with a person's token need a retry key; a fresh one per intent.
    request.putHeader("Idempotency-Key", java.util.UUID.randomUUID().toString());
    if (bearer != null) {
      request.putHeader("Authorization", "Bearer " + bearer);
    }
    return body == null ? request.send() : request.sendJsonObject(body);
  }

  static JsonObject ok(HttpResponse<Buffer> response, int status) {
    if (response.statusCode() != status) {
      throw new IllegalStateException(response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  /** Runs count tasks with at most CONCURRENCY in flight; answers latencies in microseconds and the wall time. */
  static long[] run(int count, IntFunction<Future<?>> task, AtomicInteger failures) throws Exception {
    long[] latencies = new long[count];
    AtomicInteger next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(count);
    long start = System.nanoTime();
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= count) {
        return;
      }
      long began = System.nanoTime();
      Future<?> started;
      try {
        started = task.apply(i);
      } catch (RuntimeException e) {
        started = Future.failedFuture(e);
      }
      started.onComplete(result -> {
        latencies[i] = (System.nanoTime() - began) / 1000;
        if (result.failed()) {
          failures.incrementAndGet();
          FIRST_FAILURE.compareAndSet(null, String.valueOf(result.cause().getMessage()));
        }
        done.countDown();
        pump[0].run();
      });
    };
    vertx.runOnContext(v -> {
      for (int c = 0; c < CONCURRENCY; c++) {
        pump[0].run();
      }
    });
    if (!done.await(300, TimeUnit.SECONDS)) {
      throw new IllegalStateException("phase did not finish within 300 s");
    }
    long wallMicros = (System.nanoTime() - start) / 1000;
    long[] out = new long[count + 1];
    System.arraycopy(latencies, 0, out, 0, count);
    out[count] = wallMicros;
    return out;
  }

  static void report(String phase, long[] result, int count, AtomicInteger failures, String extra) {
    long wall = result[count];
    long[] sorted = java.util.Arrays.copyOf(result, count);
    java.util.Arrays.sort(sorted);
    System.out.printf("%-34s %7d ops in %6.2f s = %8.1f ops/s   p50 %6.1f ms  p99 %6.1f ms  refused %d %s%n", phase, count,
        wall / 1e6, count / (wall / 1e6), sorted[count / 2] / 1000.0, sorted[(int) (count * 0.99)] / 1000.0, failures.get(), extra);
    String first = FIRST_FAILURE.getAndSet(null);
    if (first != null) {
      System.out.println("    first refusal: " + (first.length() > 200 ? first.substring(0, 200) : first));
    }
  }

  public static void main(String[] args) {
    int status = 0;
    try {
      bench();
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    }
    // Vert.x threads would keep the JVM alive after a failure; the run is over either way.
    System.exit(status);
  }

  static void bench() throws Exception {
    String admin = System.getenv("COWRIE_ADMIN_TOKEN");
    JsonObject merchant = ok(await(call("POST", "/v1/admin/merchants", admin,
        new JsonObject().put("name", "Bench").put("email", "bench@example.com"))), 201);
    String secret = merchant.getJsonObject("api_keys").getString("secret");
    String publishable = merchant.getJsonObject("api_keys").getString("publishable");
    ok(await(call("PUT", "/v1/provider_connections/sandbox", secret,
        new JsonObject().put("credentials", new JsonObject().put("webhook_secret", "bench_secret_0123456789abcdef")))), 200);

    int total = WALLETS + 1;
    User[] users = new User[total];
    AtomicInteger failures = new AtomicInteger();
    long[] signup = run(total, i -> {
      String name = i == WALLETS ? "hot" : "wallet" + i;
      JsonObject credentials = new JsonObject().put("username", name).put("password", "bench password 1");
      return call("POST", "/v1/users", publishable, credentials).map(r -> ok(r, 201))
          .compose(created -> call("POST", "/v1/auth/token", null, credentials.copy().put("publishable_key", publishable))
              .map(r -> users[i] = new User(created.getString("id"), name, ok(r, 200).getString("access_token"))));
    }, failures);
    report("sign-up + login", signup, total, failures, "");

    failures.set(0);
    long[] topups = run(WALLETS, i -> topUp(users[i]), failures);
    report("top-ups (sandbox payment, paid)", topups, WALLETS, failures, "");
    waitForBalances(users);

    Random random = new Random(1);
    IntFunction<Future<?>> randomTransfer = i -> {
      int from = random.nextInt(WALLETS);
      int to = (from + 1 + random.nextInt(WALLETS - 1)) % WALLETS;
      return transfer(users[from], users[to].username(), 1 + random.nextInt(100));
    };
    if (WARMUP_TRANSFERS > 0) {
      run(WARMUP_TRANSFERS, randomTransfer, new AtomicInteger());
      // Then until the gateway's JIT settles: on two cores it compiles for 90-170 s of load, and a
      // measure taken before that charges the compiler's CPU to every transfer.
      long warmUntil = System.nanoTime() + WARMUP_SECONDS_MAX * 1_000_000_000L;
      double compiled = CpuUse.compileSeconds();
      while (compiled >= 0 && System.nanoTime() < warmUntil) {
        run(WARMUP_TRANSFERS, randomTransfer, new AtomicInteger());
        double now = CpuUse.compileSeconds();
        if (now - compiled < 0.3) {
          break;
        }
        compiled = now;
      }
      System.out.printf("(warm-up done: the JIT has compiled for %.1f s in all)%n", CpuUse.compileSeconds());
    }
    CpuUse.settleDatabase();
    failures.set(0);
    CpuUse.Snapshot before = CpuUse.now();
    long[] p2p = run(TRANSFERS, randomTransfer, failures);
    report("transfers, " + WALLETS + " random wallets", p2p, TRANSFERS, failures, "");
    CpuUse.print(before, CpuUse.now(), TRANSFERS, "transfer");

    CpuUse.settleDatabase();
    failures.set(0);
    before = CpuUse.now();
    long[] hot = run(TRANSFERS, i -> transfer(users[i % WALLETS], "hot", 1 + random.nextInt(100)), failures);
    report("transfers into one hot wallet", hot, TRANSFERS, failures, "");
    CpuUse.print(before, CpuUse.now(), TRANSFERS, "transfer");

    chat(users);
  }

  static Future<?> topUp(User user) {
    return call("POST", "/v1/wallet/topups", user.token(), new JsonObject().put("amount", TOPUP).put("currency", "NGN"))
        .map(r -> ok(r, 201))
        .compose(payment -> {
          String url = payment.getJsonObject("next_action").getString("url");
          return web.post(url.substring(url.indexOf("/sandbox/checkout/"))).putHeader("Content-Type", "application/x-www-form-urlencoded")
              .sendBuffer(Buffer.buffer("outcome=succeed")).map(r -> {
                if (r.statusCode() != 200) {
                  throw new IllegalStateException("checkout " + r.statusCode() + " " + r.bodyAsString());
                }
                return r;
              });
        });
  }

  /** Top-ups complete on the provider's callback; wait (bounded) until every wallet shows its money. */
  static void waitForBalances(User[] users) throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    for (int i = 0; i < WALLETS; i++) {
      while (true) {
        JsonArray balances = ok(await(call("GET", "/v1/wallet", users[i].token(), null)), 200).getJsonArray("balances");
        if (!balances.isEmpty() && balances.getJsonObject(0).getLong("available") == TOPUP) {
          break;
        }
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("top-up of " + users[i].username() + " never landed");
        }
        await(vertx.timer(50));
      }
    }
  }

  static Future<?> transfer(User from, String to, long amount) {
    return call("POST", "/v1/transfers", from.token(), new JsonObject().put("to", to).put("amount", amount).put("currency", "NGN"))
        .map(r -> ok(r, 201));
  }

  /** One room of CHAT_CLIENTS members, all connected; members post CHAT_MESSAGES texts; every socket must get every one. */
  static void chat(User[] users) throws Exception {
    JsonArray members = new JsonArray();
    for (int i = 1; i < CHAT_CLIENTS; i++) {
      members.add(users[i].username());
    }
    String room = ok(await(call("POST", "/v1/chat/rooms", users[0].token(), new JsonObject().put("name", "Bench room")
        .put("members", members))), 201).getString("id");
    WebSocketClient client = vertx.createWebSocketClient(new io.vertx.core.http.WebSocketClientOptions().setMaxConnections(CHAT_CLIENTS * 2));
    long expected = (long) CHAT_CLIENTS * CHAT_MESSAGES;
    AtomicLong delivered = new AtomicLong();
    CountDownLatch all = new CountDownLatch(1);
    CountDownLatch ready = new CountDownLatch(CHAT_CLIENTS);
    List<io.vertx.core.http.WebSocket> sockets = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < CHAT_CLIENTS; i++) {
      // The handler is set on the event loop as the socket opens, so no frame can arrive before it.
      await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(PORT).setURI("/v1/chat/ws")
          .addHeader("Authorization", "Bearer " + users[i].token())).map(socket -> {
        sockets.add(socket);
        socket.textMessageHandler(text -> {
          if (text.contains("\"type\":\"ready\"")) {
            ready.countDown();
          } else if (text.contains("\"type\":\"message\"") && delivered.incrementAndGet() == expected) {
            all.countDown();
          }
        });
        return socket;
      }));
    }
    if (!ready.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("sockets not ready");
    }
    AtomicInteger failures = new AtomicInteger();
    long start = System.nanoTime();
    long[] posted = run(CHAT_MESSAGES, i -> call("POST", "/v1/chat/rooms/" + room + "/messages", users[i % CHAT_CLIENTS].token(),
        new JsonObject().put("kind", "text").put("text", "bench message " + i)).map(r -> ok(r, 201)), failures);
    boolean complete = all.await(120, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - start) / 1e9;
    report("chat posts (room of " + CHAT_CLIENTS + ")", posted, CHAT_MESSAGES, failures, "");
    System.out.printf("%-34s %7d frames in %6.2f s = %8.1f frames/s (%s)%n", "chat fan-out to " + CHAT_CLIENTS + " sockets",
        delivered.get(), seconds, delivered.get() / seconds, complete ? "all delivered" : "INCOMPLETE: " + delivered.get() + "/" + expected);
    for (var socket : sockets) {
      socket.close();
    }
  }
}
