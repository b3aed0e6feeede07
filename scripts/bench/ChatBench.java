// Driver for scripts/bench/chat.sh: run with `java -cp target/cowrie.jar scripts/bench/ChatBench.java`.
// Talks to a running gateway over HTTP and WebSocket only (loopback); every phase is bounded in count and time.
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

public class ChatBench {
  static final int PORT = Integer.parseInt(env("BENCH_PORT", "18081"));
  static final int CONCURRENCY = Integer.parseInt(env("BENCH_CONCURRENCY", "32"));
  static final int MEMBERS = Integer.parseInt(env("BENCH_CHAT_CLIENTS", "100"));
  static final int POSTS = Integer.parseInt(env("BENCH_CHAT_POSTS", "2000"));
  static final int ROOMS = Integer.parseInt(env("BENCH_CHAT_ROOMS", "20"));
  static final int WARMUP = Integer.parseInt(env("BENCH_CHAT_WARMUP", "1000"));
  static final Vertx vertx = Vertx.vertx();
  static final WebClient web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(PORT),
      new PoolOptions().setHttp1MaxSize(CONCURRENCY * 2));
  static final AtomicReference<String> FIRST_FAILURE = new AtomicReference<>();
  static volatile boolean shuttingDown;

  record User(String id, String username, String token) {}

  /**
   * One connected member as a careful client: checks every room's frames arrive in seq order without a
   * gap, and when cut off for falling behind (4008) reconnects and reads the history after the last seq
   * it saw, holding live frames until that is done.
   */
  static final class Member {
    final User user;
    final List<String> rooms = new ArrayList<>();
    final Map<String, Long> lastSeq = new HashMap<>();
    final AtomicLong outOfOrder = new AtomicLong();
    final AtomicLong cutOffs = new AtomicLong();
    final AtomicLong fromHistory = new AtomicLong();
    final AtomicLong delivered;
    final List<JsonObject> held = new ArrayList<>();
    boolean resuming;
    WebSocket socket;

    Member(User user, AtomicLong delivered) {
      this.user = user;
      this.delivered = delivered;
    }

    synchronized void live(JsonObject message) {
      if (resuming) {
        held.add(message);
      } else {
        apply(message);
      }
    }

    synchronized void apply(JsonObject message) {
      String room = message.getString("room_id");
      long last = lastSeq.getOrDefault(room, 0L);
      long seq = message.getLong("seq");
      if (seq <= last) {
        return; // read from history already
      }
      if (seq != last + 1) {
        outOfOrder.incrementAndGet();
      }
      lastSeq.put(room, seq);
      delivered.incrementAndGet();
    }

    synchronized void resumed() {
      resuming = false;
      held.forEach(this::apply);
      held.clear();
    }

    Future<Void> connect(WebSocketClient client) {
      Promise<Void> ready = Promise.promise();
      client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(PORT).setURI("/v1/chat/ws")
          .addHeader("Authorization", "Bearer " + user.token())).onFailure(ready::tryFail).onSuccess(opened -> {
            socket = opened;
            opened.textMessageHandler(text -> {
              JsonObject frame = new JsonObject(text);
              if ("ready".equals(frame.getString("type"))) {
                ready.tryComplete();
              } else if ("message".equals(frame.getString("type"))) {
                live(frame.getJsonObject("message"));
              }
            });
            opened.closeHandler(closed -> {
              // 4008 is "fell behind"; a close without a status is the same socket dropped after the closing timeout.
              if (!shuttingDown) {
                cutOffs.incrementAndGet();
                synchronized (this) {
                  resuming = true;
                }
                connect(client).compose(v -> resume(0)).onComplete(done -> resumed());
              }
            });
          });
      return ready.future();
    }

    Future<Void> resume(int room) {
      if (room >= rooms.size()) {
        return Future.succeededFuture();
      }
      long after;
      synchronized (this) {
        after = lastSeq.getOrDefault(rooms.get(room), 0L);
      }
      return call(HttpMethod.GET, "/v1/chat/rooms/" + rooms.get(room) + "/messages?limit=100&after_seq=" + after, user.token(), null, 200)
          .compose(page -> {
            page.getJsonArray("data").forEach(message -> {
              fromHistory.incrementAndGet();
              apply((JsonObject) message);
            });
            return page.getBoolean("has_more") ? resume(room) : resume(room + 1);
          });
    }
  }

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  static Future<JsonObject> call(HttpMethod method, String path, String bearer, JsonObject body, int status) {
    var request = web.request(method, path).timeout(30_000);
    if (bearer != null) {
      request.putHeader("Authorization", "Bearer " + bearer);
    }
    Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendJsonObject(body);
    return sent.map(response -> {
      if (response.statusCode() != status) {
        throw new IllegalStateException(response.statusCode() + " " + response.bodyAsString());
      }
      return response.bodyAsJsonObject();
    });
  }

  /** Runs count tasks with at most CONCURRENCY in flight; answers latencies in microseconds plus the wall time last. */
  static long[] run(int count, IntFunction<Future<?>> task, AtomicInteger failures) throws Exception {
    long[] latencies = new long[count + 1];
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
    latencies[count] = (System.nanoTime() - start) / 1000;
    return latencies;
  }

  static void report(String phase, long[] result, int count, AtomicInteger failures) {
    long wall = result[count];
    long[] sorted = Arrays.copyOf(result, count);
    Arrays.sort(sorted);
    System.out.printf("%-36s %6d posts in %6.2f s = %7.1f posts/s   p50 %6.1f ms  p99 %6.1f ms  refused %d%n", phase, count,
        wall / 1e6, count / (wall / 1e6), sorted[count / 2] / 1000.0, sorted[(int) (count * 0.99)] / 1000.0, failures.get());
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
    System.exit(status);
  }

  static void bench() throws Exception {
    JsonObject merchant = await(call(HttpMethod.POST, "/v1/admin/merchants", System.getenv("COWRIE_ADMIN_TOKEN"),
        new JsonObject().put("name", "Chat bench").put("email", "chat-bench@example.com"), 201));
    String publishable = merchant.getJsonObject("api_keys").getString("publishable");
    User[] users = new User[MEMBERS];
    AtomicInteger failures = new AtomicInteger();
    run(MEMBERS, i -> {
      JsonObject credentials = new JsonObject().put("username", "member" + i).put("password", "bench password 1");
      return call(HttpMethod.POST, "/v1/users", publishable, credentials, 201)
          .compose(created -> call(HttpMethod.POST, "/v1/auth/token", null, credentials.copy().put("publishable_key", publishable), 200)
              .map(token -> users[i] = new User(created.getString("id"), "member" + i, token.getString("access_token"))));
    }, failures);
    if (failures.get() > 0) {
      throw new IllegalStateException("sign-up failed: " + FIRST_FAILURE.get());
    }
    AtomicLong delivered = new AtomicLong();
    Member[] members = new Member[MEMBERS];
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(MEMBERS * 4));
    for (int i = 0; i < MEMBERS; i++) {
      members[i] = new Member(users[i], delivered);
      await(members[i].connect(client));
    }

    String busy = room(members, "Busy room", 0, MEMBERS);
    if (WARMUP > 0) {
      // Unreported: the first posts run interpreted code while the JIT compiles the post path.
      run(WARMUP, i -> call(HttpMethod.POST, "/v1/chat/rooms/" + busy + "/messages", members[i % MEMBERS].user.token(),
          new JsonObject().put("kind", "text").put("text", "warm-up " + i), 201), new AtomicInteger());
      long expected = (long) WARMUP * MEMBERS;
      long deadline = System.currentTimeMillis() + 120_000;
      while (delivered.get() < expected && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
    }
    phase("one room of " + MEMBERS + " sockets", members, delivered, i -> busy, (long) POSTS * MEMBERS);

    int perRoom = MEMBERS / ROOMS;
    String[] rooms = new String[ROOMS];
    for (int r = 0; r < ROOMS; r++) {
      rooms[r] = room(members, "Room " + r, r * perRoom, (r + 1) * perRoom);
    }
    phase(ROOMS + " rooms of " + perRoom + " sockets", members, delivered, i -> rooms[(i / perRoom) % ROOMS], (long) POSTS * perRoom);
    shuttingDown = true;
    for (Member member : members) {
      member.socket.close();
    }
  }

  /** Posts POSTS texts, each by a member of the room it goes to; waits until every member has every message. */
  static void phase(String label, Member[] members, AtomicLong delivered, IntFunction<String> roomOfPoster, long expected)
      throws Exception {
    delivered.set(0);
    long cutOffsBefore = Arrays.stream(members).mapToLong(m -> m.cutOffs.get()).sum();
    long historyBefore = Arrays.stream(members).mapToLong(m -> m.fromHistory.get()).sum();
    AtomicInteger failures = new AtomicInteger();
    CpuUse.Snapshot cpuBefore = CpuUse.now();
    long start = System.nanoTime();
    long[] posted = run(POSTS, i -> {
      int poster = i % MEMBERS;
      return call(HttpMethod.POST, "/v1/chat/rooms/" + roomOfPoster.apply(poster) + "/messages", members[poster].user.token(),
          new JsonObject().put("kind", "text").put("text", "bench message " + i), 201);
    }, failures);
    long deadline = System.currentTimeMillis() + 120_000;
    while (delivered.get() < expected && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    report("posts, " + label, posted, POSTS, failures);
    long outOfOrder = Arrays.stream(members).mapToLong(m -> m.outOfOrder.get()).sum();
    long cutOffs = Arrays.stream(members).mapToLong(m -> m.cutOffs.get()).sum() - cutOffsBefore;
    long fromHistory = Arrays.stream(members).mapToLong(m -> m.fromHistory.get()).sum() - historyBefore;
    System.out.printf("%-36s %6d frames in %6.2f s = %7.0f frames/s   %s, %s; %d sockets cut off (4008) and resumed, %d messages read back from history%n",
        "fan-out, " + label, delivered.get(), seconds, delivered.get() / seconds,
        delivered.get() == expected ? "every message reached every member" : "DELIVERED " + delivered.get() + "/" + expected,
        outOfOrder == 0 ? "in seq order without a gap" : outOfOrder + " OUT OF ORDER OR MISSING", cutOffs, fromHistory);
    CpuUse.print(cpuBefore, CpuUse.now(), POSTS, "post");
  }

  static String room(Member[] members, String name, int from, int to) throws Exception {
    JsonArray names = new JsonArray();
    for (int i = from + 1; i < to; i++) {
      names.add(members[i].user.username());
    }
    String id = await(call(HttpMethod.POST, "/v1/chat/rooms", members[from].user.token(), new JsonObject().put("name", name)
        .put("members", names), 201)).getString("id");
    for (int i = from; i < to; i++) {
      synchronized (members[i]) {
        members[i].rooms.add(id);
      }
    }
    return id;
  }
}
