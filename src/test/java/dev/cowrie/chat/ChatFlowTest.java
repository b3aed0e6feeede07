package dev.cowrie.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import dev.cowrie.testing.WalletUsers;
import dev.cowrie.testing.WalletUsers.User;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A busy room: concurrent posters, one gap-free order for every member, and a slow member cut off without loss. */
class ChatFlowTest {
  static TestGateway gateway;
  static TestGateway.Merchant merchant;
  static WebSocketClient sockets;
  /** A client that reads almost nothing from the network until told to. */
  static WebSocketClient slowSockets;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(ChatFlowTest.class, Map.of("COWRIE_RATE_LIMIT_PER_KEY_PER_SECOND", "5000",
        "COWRIE_RATE_LIMIT_PER_KEY_BURST", "5000", "COWRIE_PG_POOL_SIZE", "16",
        // A bounded kernel send buffer, so a stalled reader is noticed after kilobytes rather than megabytes.
        "COWRIE_HTTP_SOCKET_SEND_BUFFER_BYTES", "65536"));
    merchant = gateway.createMerchant("Busy Room Shop");
    sockets = gateway.vertx.createWebSocketClient();
    slowSockets = gateway.vertx.createWebSocketClient(new WebSocketClientOptions().setReceiveBufferSize(4096));
  }

  @AfterAll
  static void stop() {
    TestGateway.await(sockets.close());
    TestGateway.await(slowSockets.close());
    gateway.close();
  }

  /** A connected socket, the frames it received in order, and how it was closed. */
  record Client(WebSocket socket, LinkedBlockingQueue<JsonObject> frames, CompletableFuture<Short> closed) {
    /** The next n message frames (skipping presence frames). */
    List<JsonObject> messages(int n) throws InterruptedException {
      List<JsonObject> got = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (got.size() < n && System.nanoTime() < deadline) {
        JsonObject frame = frames.poll(100, TimeUnit.MILLISECONDS);
        if (frame != null && "message".equals(frame.getString("type"))) {
          got.add(frame.getJsonObject("message"));
        }
      }
      return got;
    }
  }

  static Client connect(WebSocketClient client, User user) throws Exception {
    LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    CompletableFuture<Short> closed = new CompletableFuture<>();
    WebSocket socket = TestGateway.await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.port)
        .setURI("/v1/chat/ws").addHeader("Authorization", "Bearer " + user.token())).map(opened -> {
          opened.textMessageHandler(text -> frames.add(new JsonObject(text)));
          opened.closeHandler(done -> closed.complete(opened.closeStatusCode()));
          return opened;
        }));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      JsonObject frame = frames.poll(100, TimeUnit.MILLISECONDS);
      if (frame != null && "ready".equals(frame.getString("type"))) {
        return new Client(socket, frames, closed);
      }
    }
    throw new AssertionError("socket never ready");
  }

  static String room(User creator, List<User> members) {
    JsonArray names = new JsonArray();
    members.forEach(member -> names.add(member.username()));
    Response created = gateway.post("/v1/chat/rooms").bearer(creator.token())
        .json(new JsonObject().put("name", "Busy").put("members", names)).send();
    assertEquals(201, created.status(), created.toString());
    return created.json().getString("id");
  }

  static Future<Response> say(User user, String room, String text) {
    return gateway.post("/v1/chat/rooms/" + room + "/messages").bearer(user.token())
        .json(new JsonObject().put("kind", "text").put("text", text)).sendAsync();
  }

  static void assertSeqs(List<JsonObject> messages, long from, long to) {
    assertEquals(to - from + 1, messages.size(), "messages " + from + ".." + to);
    for (int i = 0; i < messages.size(); i++) {
      assertEquals(from + i, messages.get(i).getLong("seq"), "in seq order, without a gap");
    }
  }

  @Test
  void concurrentPostersGetOneGapFreeOrderThatEveryMemberSees() throws Exception {
    List<User> people = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      people.add(WalletUsers.create(gateway, merchant, "busy" + i));
    }
    String room = room(people.get(0), people.subList(1, people.size()));
    List<Client> clients = new ArrayList<>();
    for (User person : people) {
      clients.add(connect(sockets, person));
    }
    int posts = 120;
    List<Future<Response>> sent = new ArrayList<>();
    for (int i = 0; i < posts; i++) {
      sent.add(say(people.get(i % people.size()), room, "post " + i));
    }
    List<Long> seqs = new ArrayList<>();
    List<String> messageIds = new ArrayList<>();
    for (Future<Response> post : sent) {
      Response answer = TestGateway.await(post);
      assertEquals(201, answer.status(), answer.toString());
      seqs.add(answer.json().getLong("seq"));
      messageIds.add(answer.json().getString("id"));
    }
    assertEquals(posts, seqs.stream().distinct().count(), "each post its own seq");
    assertEquals(List.of(1L, (long) posts), List.of(seqs.stream().min(Long::compare).get(), seqs.stream().max(Long::compare).get()));

    List<String> order = null;
    for (Client client : clients) {
      List<JsonObject> seen = client.messages(posts);
      assertSeqs(seen, 1, posts);
      List<String> ids = seen.stream().map(message -> message.getString("id")).toList();
      if (order != null) {
        assertEquals(order, ids, "every member sees the same order");
      }
      order = ids;
    }
    // Posts that arrived together were stored together: fewer transactions than posts (group commit).
    long transactions = gateway.query("SELECT count(DISTINCT xmin::text) AS n FROM chat_messages WHERE room_id = $1", room)
        .iterator().next().getLong("n");
    assertTrue(transactions < posts, transactions + " transactions for " + posts + " posts");
    // Their audit rows too: each committed before its 201, and written together (AuditWriter).
    var audit = gateway.query("SELECT count(*) AS n, count(DISTINCT xmin::text) AS transactions FROM audit_log "
        + "WHERE target = ANY($1::text[])", (Object) messageIds.toArray(String[]::new)).iterator().next();
    assertEquals(posts, audit.getLong("n"), "every post audited before its 201");
    assertTrue(audit.getLong("transactions") < posts, audit.getLong("transactions") + " audit transactions for " + posts + " posts");
    for (Client client : clients) {
      TestGateway.await(client.socket().close());
    }
  }

  @Test
  void aSlowMemberIsCutOffWithoutHoldingTheRoomAndResumesWithoutLoss() throws Exception {
    User quick = WalletUsers.create(gateway, merchant, "quick");
    User sloth = WalletUsers.create(gateway, merchant, "sloth");
    String room = room(quick, List.of(sloth));
    Client fast = connect(sockets, quick);
    Client slow = connect(slowSockets, sloth);
    slow.socket().pause();

    // Far more than a paused reader's buffers hold: the gateway must cut it off, not queue for it.
    int posts = 150;
    String filler = "x".repeat(3_900);
    for (int from = 0; from < posts; from += 25) {
      List<Future<Response>> burst = new ArrayList<>();
      for (int i = from; i < Math.min(posts, from + 25); i++) {
        burst.add(say(quick, room, i + " " + filler));
      }
      for (Future<Response> post : burst) {
        assertEquals(201, TestGateway.await(post).status());
      }
    }
    assertSeqs(fast.messages(posts), 1, posts);

    slow.socket().resume();
    assertEquals(ChatOutlet.CLOSE_BEHIND, slow.closed().get(30, TimeUnit.SECONDS), "closed as fallen behind");
    List<JsonObject> before = new ArrayList<>();
    for (JsonObject frame : slow.frames()) {
      if ("message".equals(frame.getString("type"))) {
        before.add(frame.getJsonObject("message"));
      }
    }
    assertTrue(before.size() < posts, "cut off before the end: " + before.size());
    assertSeqs(before, 1, before.size());

    // The client resumes from the last seq it saw.
    List<JsonObject> resumed = new ArrayList<>(before);
    TestGateway.eventually("history read to the end", Duration.ofSeconds(30), () -> {
      long last = resumed.isEmpty() ? 0 : resumed.get(resumed.size() - 1).getLong("seq");
      Response page = gateway.get("/v1/chat/rooms/" + room + "/messages?limit=100&after_seq=" + last).bearer(sloth.token()).send();
      assertEquals(200, page.status(), page.toString());
      page.data().forEach(message -> resumed.add((JsonObject) message));
      return !page.json().getBoolean("has_more");
    });
    assertSeqs(resumed, 1, posts);
    TestGateway.await(fast.socket().close());
  }
}
